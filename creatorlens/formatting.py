"""Numbers for people: shares as percentages, USD as money, counts with thousands separators.
A column's name says its unit (`_rate`, `_share`, `growth`, `_per_follower` are shares; `_usd` is
money)."""

from datetime import date, datetime


def is_share(column: str) -> bool:
    return (
        "_rate" in column or "_per_follower" in column or column.endswith(("_share", "growth_30d"))
    )


def is_money(column: str) -> bool:
    return column.endswith("_usd") or "_usd_" in column


def cell(column: str, value: object) -> str:
    """One value of `column` as people read it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if is_share(column):
            return f"{value:.2%}"
        if is_money(column):
            return f"${value:,.2f}" if value >= 0.01 else f"${value:,.4f}"
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
