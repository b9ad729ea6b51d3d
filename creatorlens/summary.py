"""The short summary a person reads after a run."""

from rich.console import Console
from rich.table import Table

from creatorlens.marts import open_marts
from creatorlens.settings import Settings
from creatorlens.warehouse import query_frame
from flows.nightly import RunSummary


def print_summary(console: Console, summary: RunSummary, settings: Settings, platform: str) -> None:
    """Files and rows loaded, what was published, and the platform's top creators per tier."""
    loads = summary.loads
    console.print(
        f"\n[bold]creatorlens[/] run {summary.run_id} as of [bold]{summary.as_of_date}[/]\n"
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
            as_of_date=summary.as_of_date,
            platform=platform,
            per_tier=3,
        )
    table = Table(title=f"Top {platform} creators per tier by 30-day engagement rate")
    for column in ("tier", "#", "handle", "followers", "posts 30d", "engagement rate 30d"):
        table.add_column(column, justify="right" if column not in ("tier", "handle") else "left")
    for row in top.iter_rows(named=True):
        table.add_row(
            row["tier"] if row["place"] == 1 else "",
            str(row["place"]),
            row["handle"] or row["account_id"],
            f"{row['followers']:,}",
            str(row["posts_30d"]),
            f"{row['engagement_rate_30d']:.2%}",
        )
    console.print(table)
