"""The short summary a person reads after a run."""

from rich.console import Console
from rich.table import Table

from creatorlens.marts import open_marts
from creatorlens.settings import Settings
from creatorlens.warehouse import query_frame
from flows.tasks import RunSummary


def _dates(summary: RunSummary) -> str:
    if summary.start == summary.end:
        return str(summary.end)
    return f"{summary.start} to {summary.end}"


def print_summary(console: Console, summary: RunSummary, settings: Settings, platform: str) -> None:
    """Files and rows loaded, what was published, and the platform's top creators per tier."""
    loads = summary.loads
    console.print(
        f"\n[bold]creatorlens[/] run {summary.run_id} as of [bold]{_dates(summary)}[/]\n"
        f"  files: {loads.count('loaded')} loaded, {loads.count('unchanged')} unchanged, "
        f"{loads.count('rejected')} rejected\n"
        f"  rows:  {loads.rows_loaded:,} loaded, {loads.rows_quarantined:,} quarantined "
        f"({loads.quarantine_share:.3%}), "
        f"{sum(f.rows_duplicate for f in loads.files):,} duplicates dropped\n"
        f"  marts: {summary.rows_computed:,} creator rows computed, "
        f"{summary.rows_published:,} rows published to {settings.marts}",
        highlight=False,
    )
    with open_marts(settings.marts) as con:
        top = query_frame(
            con,
            "reports/top_creators_by_tier",
            as_of_date=summary.end,
            platform=platform,
            per_tier=3,
        )
    table = Table(title=f"Top {platform} creators per tier by cost per engagement")
    for column in ("tier", "#", "handle", "followers", "ER 30d", "CPE", "price/post", "price from"):
        table.add_column(
            column, justify="left" if column in ("tier", "handle", "price from") else "right"
        )
    for row in top.iter_rows(named=True):
        table.add_row(
            row["tier"] if row["rank"] == 1 else "",
            str(row["rank"]),
            row["handle"] or row["account_id"],
            f"{row['followers']:,}",
            f"{row['engagement_rate_30d']:.2%}",
            f"${row['cpe_usd']:.3f}",
            f"${row['price_per_post_usd']:,.0f}",
            row["price_source"].replace("_", " "),
        )
    console.print(table)
