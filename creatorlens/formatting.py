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


ACRONYMS = {"cpe": "CPE", "cpa": "CPA", "cpc": "CPC", "cpv": "CPV", "roas": "ROAS", "fx": "FX"}
WINDOWS = {"7d": "(7 days)", "30d": "(30 days)", "90d": "(90 days)"}
HEADERS = {
    "cpe_usd": "cost per engagement",
    "cpe_rank": "# by cost per engagement",
    "cost_per_targeted_engagement_usd": "cost per engagement from the audience",
    "price_source": "price from",
    "authenticity_score": "authenticity (0-100)",
    "p25_engagement_rate_30d": "engagement rate (30 days), 1st quartile",
    "p75_engagement_rate_30d": "engagement rate (30 days), 3rd quartile",
    "suspicious_growth": "flagged",
}


def header(column: str) -> str:
    """A column's name as a table header for people: words, acronyms in capitals, windows in
    days, and no unit (the values show it: $ or %)."""
    if column in HEADERS:
        return HEADERS[column]
    words = [w for w in column.split("_") if w != "usd"]
    return " ".join(ACRONYMS.get(w) or WINDOWS.get(w) or w for w in words)


def coverage_lines(coverage: dict) -> list[str]:
    """What one as-of date's prices and niches rest on, for people: how many creators are
    priced by a rate card or a tier default and how many lack a roster entry, and what to
    deliver when none has. `coverage`: creators, by_rate_card, by_tier_default, off_roster."""
    creators, by_card = coverage["creators"], coverage["by_rate_card"]
    by_default, off_roster = coverage["by_tier_default"], coverage["off_roster"]
    if not creators:
        return []
    lines = [f"prices: {by_card:,} creators by their rate card, {by_default:,} by tier default"]
    if by_default and not by_card:
        lines[0] = (
            f"prices: all {by_default:,} are tier defaults, not what any creator charges: no "
            "rate card is in force; deliver rate_cards.csv"
        )
    if off_roster == creators:
        lines.append(
            f"roster: none of the {creators:,} creators is on it, so niche and country are "
            "empty; deliver roster.csv"
        )
    elif off_roster:
        lines.append(
            f"roster: {off_roster:,} of {creators:,} creators are not on it (niche and country "
            "empty); add them to roster.csv"
        )
    return lines
