"""Late and restated data: which as-of dates a replaced partition can change.

Every load that replaces a partition records, in the same transaction, the as-of dates its old
and new rows reach (ops.changes). The next nightly run recomputes the already-computed dates
among them, then clears them; a run killed in between leaves them for the next one.
"""

from datetime import date, timedelta

import duckdb
import polars as pl

from creatorlens.ingest.files import ExportFile
from creatorlens.schemas.staging import DELIVERED, STAGED
from creatorlens.transforms.metrics import CREATOR_LOOKBACK_DAYS, POST_LOOKBACK_DAYS
from creatorlens.transforms.staging import declared_fields
from creatorlens.warehouse import query_frame, registered

AGENCY_COLUMNS = {
    entity: tuple(declared_fields(STAGED[entity], DELIVERED))
    for entity in ("roster", "rate_cards", "fx_rates")
}
"""The staged columns of each agency file, whose changed rows say which dates change."""


def partition_days(files: list[ExportFile]) -> pl.DataFrame:
    """The (platform, snapshot_date) partitions the files replace (platform null: an agency
    file, which replaces its whole table)."""
    return pl.DataFrame(
        [(f.platform, f.snapshot_date) for f in files],
        schema={"platform": pl.String, "snapshot_date": pl.Date},
        orient="row",
    )


def day_bounds(days: pl.DataFrame) -> dict[str, date | None]:
    """The first and last of some partitions' snapshot dates, as query parameters: a filter
    on constants lets DuckDB skip the row groups outside them (by their min and max), where a
    join with the partitions alone reads the whole table."""
    return {"first": days["snapshot_date"].min(), "last": days["snapshot_date"].max()}


def partitions_before(con: duckdb.DuckDBPyConnection, files: list[ExportFile]) -> dict:
    """What each file's partition holds before the file replaces it, as much as a change must
    compare with: the posts (platform, snapshot_date, post_id, published_date) of the posts
    files' days in one frame, and the rows of each agency file's table by entity."""
    days = partition_days([f for f in files if f.entity == "posts"])
    with registered(con, "replaced_days", days):
        before: dict = {
            "posts": con.sql(
                "select platform, snapshot_date, post_id, published_date"
                " from staging.stg_post_snapshots"
                " where snapshot_date between $first and $last"  # a bound the scan can use
                " and (platform, snapshot_date) in"
                " (select (platform, snapshot_date) from replaced_days)",
                params=day_bounds(days),
            ).pl()
        }
    for file in files:
        if file.entity in AGENCY_COLUMNS:
            columns = ", ".join(AGENCY_COLUMNS[file.entity])
            before[file.entity] = con.sql(f"select {columns} from staging.stg_{file.entity}").pl()
    return before


def record_changes(
    con: duckdb.DuckDBPyConnection,
    loads: list[tuple[ExportFile, pl.DataFrame, str]],
    before: dict,
) -> None:
    """Record the as-of dates that replacing each partition's `before` rows with a file's rows
    reaches (after the replacements, within the loading transaction); `loads` holds each
    file, its staged rows and its load id."""
    reached = [
        (load_id, *reach)
        for file, after, load_id in loads
        if file.entity != "posts" and (reach := _reach(file, before, after)) is not None
    ]
    posts = [(file, after, load_id) for file, after, load_id in loads if file.entity == "posts"]
    if posts:
        reached += _posts_reach(con, posts, before["posts"])
    if reached:
        con.executemany(
            "insert into ops.changes (load_id, first_as_of_date, last_as_of_date, reason) "
            "values (?, ?, ?, ?)",
            reached,
        )
    matched = [(load_id, *reach) for file, _, load_id in loads if (reach := _brief_reach(file))]
    if matched:
        con.executemany(
            "insert into ops.brief_changes (load_id, first_as_of_date, last_as_of_date, reason)"
            " values (?, ?, ?, ?)",
            matched,
        )


AUDIENCE_REACH_DAYS = 89
"""An audience snapshot of day d is the latest one of as-of dates up to d + 89."""


def _brief_reach(file: ExportFile) -> tuple[date | None, date | None, str] | None:
    """(first, last as-of date whose brief_matches a file reaches, null when open-ended; why):
    an audience file its 90 days, a briefs file every date; None for other files, whose
    changes reach the dates' creator metrics and so their brief_matches (record_changes)."""
    if file.entity == "audience":
        last = file.snapshot_date + timedelta(days=AUDIENCE_REACH_DAYS)
        return file.snapshot_date, last, f"{file.relative} loaded"
    if file.entity == "briefs":
        return None, None, f"{file.relative} loaded"
    return None


def _reach(
    file: ExportFile, before: dict, after: pl.DataFrame
) -> tuple[date | None, date | None, str] | None:
    """(first, last as-of date a creators or agency file reaches, null when open-ended;
    why), or None for no change."""
    day = file.snapshot_date
    if file.entity == "creators":  # followers, handle, growth and the authenticity window
        return day, day + timedelta(days=CREATOR_LOOKBACK_DAYS), f"{file.relative} loaded"
    if file.entity not in AGENCY_COLUMNS:
        return None  # campaign inputs: the campaign marts are computed whole on every run
    columns = list(AGENCY_COLUMNS[file.entity])
    old = before[file.entity]
    changed = pl.concat(
        [
            old.join(after.select(columns), on=columns, how="anti", nulls_equal=True),
            after.select(columns).join(old, on=columns, how="anti", nulls_equal=True),
        ]
    )
    if changed.is_empty():
        return None
    if "valid_from" in columns:  # prices from valid_from on
        return changed["valid_from"].min(), None, f"{file.relative} changed"
    return None, None, f"{file.relative} changed"  # the roster: every date


def _posts_reach(
    con: duckdb.DuckDBPyConnection,
    posts: list[tuple[ExportFile, pl.DataFrame, str]],
    before: pl.DataFrame,
) -> list[tuple]:
    """(load id, first, last as-of date, why) of each posts file whose old or new rows reach an
    as-of date: the last date on which one of those snapshots is (or was) its post's latest,
    within its longest window."""
    # a day after the last computed as-of date reaches no computed date (its reach starts on
    # that day): new days, the usual case, need no query over the staged posts
    query = "select max(as_of_date) from marts.creator_daily_metrics"
    (last_computed,) = con.sql(query).fetchall()[0]
    posts = [p for p in posts if last_computed is not None and p[0].snapshot_date <= last_computed]
    if not posts:
        return []
    before = before.filter(pl.col("snapshot_date") <= last_computed)
    columns = ["platform", "snapshot_date", "post_id", "published_date"]
    touched = pl.concat(
        [before.select(columns)]
        + [
            after.select(
                pl.lit(file.platform).alias("platform"),
                pl.lit(file.snapshot_date).alias("snapshot_date"),
                "post_id",
                "published_date",
            )
            for file, after, _ in posts
        ]
    ).unique()
    with registered(con, "touched_posts", touched):
        reach = query_frame(con, "int/int_post_change_reach", lookback_days=POST_LOOKBACK_DAYS)
    last = {(r[0], r[1]): r[2] for r in reach.rows()}
    return [
        (load_id, file.snapshot_date, day_last, f"{file.relative} loaded")
        for file, _, load_id in posts
        if (day_last := last.get((file.platform, file.snapshot_date))) is not None
    ]
