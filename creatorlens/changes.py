"""Late and restated data: which as-of dates a replaced partition can change.

Every load that replaces a partition records, in the same transaction, the as-of dates its old
and new rows reach (ops.changes). The next nightly run recomputes the already-computed dates
among them, then clears them; a run killed in between leaves them for the next one.
"""

from datetime import date, timedelta

import duckdb
import polars as pl

from creatorlens.exports import ExportFile
from creatorlens.warehouse import query_frame
from transforms.metrics import CREATOR_LOOKBACK_DAYS, POST_LOOKBACK_DAYS
from transforms.staging import FX_RATE_FIELDS, RATE_CARD_FIELDS, ROSTER_FIELDS

REFERENCE_COLUMNS = {
    "roster": tuple(ROSTER_FIELDS),
    "rate_cards": tuple(RATE_CARD_FIELDS),
    "fx_rates": tuple(FX_RATE_FIELDS),
}
"""The staged columns of each reference file, whose changed rows say which dates change."""


def partition_before(con: duckdb.DuckDBPyConnection, file: ExportFile) -> pl.DataFrame:
    """What the partition holds before `file` replaces it: what a change must compare with."""
    if file.entity == "posts":
        return con.sql(
            "select post_id, published_date from staging.stg_post_snapshots "
            "where platform = $platform and snapshot_date = $day",
            params={"platform": file.platform, "day": file.snapshot_date},
        ).pl()
    if file.entity in REFERENCE_COLUMNS:
        columns = ", ".join(REFERENCE_COLUMNS[file.entity])
        return con.sql(f"select {columns} from staging.stg_{file.entity}").pl()
    return pl.DataFrame()


def record_change(
    con: duckdb.DuckDBPyConnection,
    file: ExportFile,
    before: pl.DataFrame,
    after: pl.DataFrame,
    load_id: str,
) -> None:
    """Record the as-of dates that replacing the partition's `before` rows with `after`
    reaches (after the replacement, within the loading transaction)."""
    reach = _reach(con, file, before, after)
    if reach is None:
        return
    first, last, reason = reach
    con.execute(
        "insert into ops.changes (load_id, first_as_of_date, last_as_of_date, reason) "
        "values (?, ?, ?, ?)",
        [load_id, first, last, reason],
    )


def _reach(
    con: duckdb.DuckDBPyConnection, file: ExportFile, before: pl.DataFrame, after: pl.DataFrame
) -> tuple[date | None, date | None, str] | None:
    """(first, last as-of date reached, null when open-ended; why), or None for no change."""
    day = file.snapshot_date
    if file.entity == "creators":  # followers, handle, growth and suspicious growth
        return day, day + timedelta(days=CREATOR_LOOKBACK_DAYS), f"{file.relative} loaded"
    if file.entity == "posts":
        last = _posts_reach(con, file, pl.concat([before, after.select(before.columns)]))
        return (day, last, f"{file.relative} loaded") if last is not None else None
    columns = list(REFERENCE_COLUMNS[file.entity])
    changed = pl.concat(
        [
            before.join(after.select(columns), on=columns, how="anti", nulls_equal=True),
            after.select(columns).join(before, on=columns, how="anti", nulls_equal=True),
        ]
    )
    if changed.is_empty():
        return None
    if "valid_from" in columns:  # prices from valid_from on
        return changed["valid_from"].min(), None, f"{file.relative} changed"
    return None, None, f"{file.relative} changed"  # the roster: every date


def _posts_reach(con: duckdb.DuckDBPyConnection, file: ExportFile, touched: pl.DataFrame):
    """The last as-of date on which a touched post's snapshot of this day is (or was) that
    post's latest, within its longest window; None when none reaches an as-of date."""
    con.register("touched_posts", touched.unique())
    try:
        reach = query_frame(
            con,
            "int/int_post_change_reach",
            platform=file.platform,
            snapshot_date=file.snapshot_date,
            lookback_days=POST_LOOKBACK_DAYS,
        )
    finally:
        con.unregister("touched_posts")
    return reach["last_as_of_date"][0]


def pending(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Recorded changes not yet recomputed, with the computed as-of dates each reaches."""
    return query_frame(con, "int/int_pending_changes")


def clear(con: duckdb.DuckDBPyConnection, load_ids: list[str]) -> None:
    """Forget changes whose as-of dates have been recomputed."""
    con.execute("delete from ops.changes where list_contains(?, load_id)", [load_ids])
