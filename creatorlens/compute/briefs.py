"""Computing marts.brief_matches into the warehouse (design section 10), a few as-of dates at a
time, from the dates' creator_daily_metrics, the audience snapshots of their windows and the
current briefs."""

from datetime import date

import duckdb
import polars as pl

from creatorlens.warehouse import insert_frame, query_frame, transaction
from schemas.marts import BriefMatches
from transforms.audience import WINDOW_DAYS, brief_matches

METRICS = (
    "as_of_date, platform, account_id, handle, niche, tier, followers, posts_30d,"
    " engagements_30d, cpe_usd, suspicious_growth"
)
DATES_AT_ONCE = 8
"""As-of dates matched together: memory follows a few dates' creators times the briefs."""


def pending(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Recorded audience and briefs changes not yet matched, with the computed as-of dates
    each reaches (load_id, reason, as_of_date)."""
    return query_frame(con, "int/int_pending_brief_changes")


def clear(con: duckdb.DuckDBPyConnection, load_ids: list[str]) -> None:
    """Forget audience and briefs changes whose dates have been matched."""
    con.execute("delete from ops.brief_changes where list_contains(?, load_id)", [load_ids])


def compute_brief_matches(con: duckdb.DuckDBPyConnection, dates: list[date]) -> int:
    """Recompute marts.brief_matches of `dates` (those computed: the others have no creators),
    and mark them to publish; returns the rows written."""
    computed = {
        row[0]
        for row in con.execute(
            "select distinct as_of_date from marts.creator_daily_metrics"
            " where list_contains(?, as_of_date)",
            [sorted(set(dates))],
        ).fetchall()
    }
    days = sorted(computed)
    briefs = con.sql("select * exclude (load_id, source_row) from staging.stg_briefs").pl()
    written = 0
    for first in range(0, len(days), DATES_AT_ONCE):
        chunk = days[first : first + DATES_AT_ONCE]
        metrics = con.sql(
            f"select {METRICS} from marts.creator_daily_metrics"
            " where list_contains($dates, as_of_date)",
            params={"dates": chunk},
        ).pl()
        audience = query_frame(con, "int/int_audience_window", dates=chunk, window_days=WINDOW_DAYS)
        rows = BriefMatches.validate(brief_matches(metrics, audience, briefs), lazy=True)
        with transaction(con):
            con.execute(
                "delete from marts.brief_matches where list_contains(?, as_of_date)", [chunk]
            )
            if rows.height:
                insert_frame(con, "marts.brief_matches", rows)
            con.execute(
                "insert or ignore into ops.unpublished_dates select unnest(?::date[])", [chunk]
            )
        written += rows.height
    return written
