"""Computing marts.brief_matches into the warehouse (design section 10), a few as-of dates at a
time, from the dates' creator_daily_metrics, the audience snapshots of their windows and the
current briefs."""

import math
from datetime import date

import duckdb
import polars as pl

from creatorlens.schemas.declared import polars_columns
from creatorlens.schemas.marts import BriefMatches
from creatorlens.transforms.audience import WINDOW_DAYS, match, rank
from creatorlens.warehouse import insert_frame, query_frame, transaction

METRICS = (
    "as_of_date, platform, account_id, handle, niche, tier, followers, posts_30d,"
    " engagements_30d, cpe_usd, suspicious_growth"
)
DATES_AT_ONCE = 8
"""As-of dates matched together."""
SLICE_ROWS = 25_000
"""Creator rows (creators times dates) matched at once: their audience rows are the memory a
match needs, about 30 buckets a creator and snapshot."""


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
        rows = pl.concat(
            [rank(_matched(con, chunk, platform, briefs)) for platform in _platforms(con, chunk)],
            how="vertical",
        ) if briefs.height else pl.DataFrame(schema=polars_columns(BriefMatches))  # fmt: skip
        rows = BriefMatches.validate(rows, lazy=True)
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


def _platforms(con: duckdb.DuckDBPyConnection, dates: list[date]) -> list[tuple[str, int]]:
    """The platforms of the dates' creators, with how many rows each has."""
    return con.execute(
        "select platform, count(*) from marts.creator_daily_metrics"
        " where list_contains(?, as_of_date) group by 1 order by 1",
        [dates],
    ).fetchall()


def _matched(
    con: duckdb.DuckDBPyConnection, dates: list[date], platform: tuple[str, int], briefs
) -> pl.DataFrame:
    """One platform's matched rows of `dates`, computed a slice of creators at a time (a
    creator's rows need only its own audience): memory follows a slice, not the creators."""
    name, rows = platform
    slices = max(1, math.ceil(rows / SLICE_ROWS))
    matched = []
    for number in range(slices):
        where = {"platform": name, "slices": slices, "slice": number, "dates": dates}
        metrics = con.sql(
            f"select {METRICS} from marts.creator_daily_metrics"
            " where list_contains($dates, as_of_date) and platform = $platform"
            " and hash(account_id) % $slices = $slice",
            params=where,
        ).pl()
        audience = query_frame(con, "int/int_audience_window", **where, window_days=WINDOW_DAYS)
        matched.append(match(metrics, audience, briefs))
    return pl.concat(matched, how="vertical")
