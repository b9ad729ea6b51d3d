"""A batch of checked files written in the caller's transaction: each file's partition of its
staging table replaced, each post's latest snapshot kept up, and the loads, their quarantine
and the as-of dates they change recorded."""

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import duckdb
import polars as pl

from creatorlens.ingest import changes
from creatorlens.ingest.checks import TARGETS, ValidatedFile
from creatorlens.ingest.files import (
    ExportFile,
    RejectedFileError,
)
from creatorlens.ingest.report import FileOutcome
from creatorlens.transforms import staging
from creatorlens.transforms.staging import ENGAGEMENT_COLUMNS
from creatorlens.warehouse import (
    insert_frame,
    registered,
    sql,
)


@dataclass(frozen=True)
class ReadFile:
    """A file read and parsed, waiting to be validated with others."""

    file: ExportFile
    raw: pl.DataFrame
    digest: str
    size: int
    mtime_ns: int

    def without_rows(self) -> "ReadFile":
        """The same file with its rows let go: what writing it needs once it is validated."""
        return replace(self, raw=self.raw.clear())


def _load_record(file: ExportFile, run_id: str, **values: object) -> pl.DataFrame:
    record = {
        "load_id": uuid.uuid4().hex,
        "run_id": run_id,
        "file": file.relative,
        "platform": file.platform,
        "entity": file.entity,
        "snapshot_date": file.snapshot_date,
        "loaded_at": datetime.now(UTC).replace(tzinfo=None),
        **values,
    }
    return pl.DataFrame([record])


def _replace_partitions(
    con: duckdb.DuckDBPyConnection, loads: list[tuple[ExportFile, pl.DataFrame, str]]
) -> None:
    """Replace each file's partition with its rows (tagged with its load id): one delete and
    one insert per staging table."""
    for table in dict.fromkeys(TARGETS[file.entity].table for file, _, _ in loads):
        mine = [load for load in loads if TARGETS[load[0].entity].table == table]
        partition = TARGETS[mine[0][0].entity].partition
        if not partition:  # an agency file replaces its whole table
            con.execute(f"delete from {table}")
        else:
            columns = ", ".join(partition)
            days = changes.partition_days([file for file, _, _ in mine])
            replaced = days.select(
                pl.col("platform"), pl.col("snapshot_date").alias("result_date"), "snapshot_date"
            )
            with registered(con, "replaced_partitions", replaced.select(partition)):
                con.execute(
                    f"delete from {table} where {partition[-1]} between $first and $last"  # date
                    f" and ({columns}) in (select ({columns}) from replaced_partitions)",
                    changes.day_bounds(days),
                )
        rows = pl.concat([rows.with_columns(load_id=pl.lit(load_id)) for _, rows, load_id in mine])
        insert_frame(con, table, rows)


LATEST_KEY = ["platform", "post_id"]
LATEST_VALUES = ["account_id", "snapshot_date", "published_date", *ENGAGEMENT_COLUMNS, "views"]
"""A post's latest snapshot: the columns of staging.stg_post_latest taken from that one row."""
LATEST_KEPT = [*LATEST_VALUES, "published_min", "published_max", "account_min", "account_max"]
"""Every column of staging.stg_post_latest but its key: what an update of a kept row sets."""


def update_post_latest(
    con: duckdb.DuckDBPyConnection, added: pl.DataFrame, replaced: pl.DataFrame
) -> None:
    """Bring staging.stg_post_latest in step with posts rows `added` and the rows of the days
    they `replaced` (platform, post_id): a post that lost rows is taken again from all its
    snapshots, one that only gained rows from its kept row and the latest of the new ones."""
    lost = replaced.select(LATEST_KEY).unique()
    gained = added.select(*LATEST_KEY, *LATEST_VALUES)
    if lost.height:
        gained = gained.join(lost, on=LATEST_KEY, how="anti")
    if staging.one_row_per_key(gained, LATEST_KEY):
        # one row a post, as a day's files give: it is the latest, and its own ranges (the
        # group-by below is the slow way, for restated days)
        fresh = gained.with_columns(
            published_min=pl.col("published_date"),
            published_max=pl.col("published_date"),
            account_min=pl.col("account_id"),
            account_max=pl.col("account_id"),
        )
    else:
        last = pl.col("snapshot_date").arg_max()  # a post has one row a snapshot date
        fresh = gained.group_by(LATEST_KEY).agg(
            *(pl.col(column).get(last) for column in LATEST_VALUES),
            published_min=pl.col("published_date").min(),
            published_max=pl.col("published_date").max(),
            account_min=pl.col("account_id").min(),
            account_max=pl.col("account_id").max(),
        )
    with registered(con, "lost_posts", lost), registered(con, "fresh_posts", fresh):
        lost_from = None
        if lost.height:  # no snapshot predates its post
            (lost_from,) = con.execute(
                "select min(published_min) from staging.stg_post_latest"
                " semi join lost_posts using (platform, post_id)"
            ).fetchall()[0]
        con.execute(
            f"create or replace temp table post_latest_update as"
            f" {sql('staging/update_post_latest')}",
            {"lost_from": lost_from},
        )
        if lost.height:
            con.execute(
                "delete from staging.stg_post_latest where (platform, post_id) in"
                " (select (platform, post_id) from lost_posts)"
            )
    # a kept post's row is updated in place, by its rowid (rowids hold within the caller's
    # transaction: the delete above moves no row): a delete and an insert again made the
    # commit and the checkpoint rewrite the rows (600,000 of 2.5 M posts: 1.7-2.2 s, in place
    # 0.75 s; a nightly at 9,000 creators 0.13 s less)
    assigned = ", ".join(f"{column} = new.{column}" for column in LATEST_KEPT)
    con.execute(
        f"update staging.stg_post_latest as kept set {assigned}"
        " from post_latest_update as new where kept.rowid = new.kept_rowid"
    )
    con.execute(
        "insert into staging.stg_post_latest by name"
        " select * exclude (kept_rowid) from post_latest_update where kept_rowid is null"
    )
    con.execute("drop table post_latest_update")


def record_rejection(
    con: duckdb.DuckDBPyConnection, error: RejectedFileError, file: ExportFile | None, run_id: str
) -> FileOutcome:
    """Write a rejected file to ops.loads; nothing of it loads."""
    if file is None:
        record = pl.DataFrame(
            [{"load_id": uuid.uuid4().hex, "run_id": run_id, "file": error.relative}]
        )
        record = record.with_columns(loaded_at=pl.lit(datetime.now(UTC).replace(tzinfo=None)))
    else:
        record = _load_record(file, run_id)
    insert_frame(
        con,
        "ops.loads",
        record.with_columns(status=pl.lit("rejected"), message=pl.lit(error.reason)),
    )
    return FileOutcome(error.relative, "rejected", message=error.reason)


def write_files(
    con: duckdb.DuckDBPyConnection, files: list[tuple[ReadFile, ValidatedFile]], run_id: str
) -> list[FileOutcome]:
    """Replace each file's partition with its good rows, and record the loads, their
    quarantine and the as-of dates they change, a few statements for the whole batch (the
    caller holds the transaction)."""
    outcomes, records, quarantines, loads = [], [], [], []
    for read, validated in files:
        file = read.file
        outcome = validated.outcome(file, "loaded")
        record = _load_record(
            file,
            run_id,
            content_sha256=read.digest,
            file_size=read.size,
            file_mtime_ns=read.mtime_ns,
            status="loaded",
            rows_read=outcome.rows_read,
            rows_loaded=outcome.rows_loaded,
            rows_quarantined=outcome.rows_quarantined,
            rows_duplicate=outcome.rows_duplicate,
        )
        load_id = record["load_id"][0]
        quarantines.append(
            validated.quarantine.with_columns(
                load_id=pl.lit(load_id),
                run_id=pl.lit(run_id),
                file=pl.lit(file.relative),
                quarantined_at=record["loaded_at"][0],
            )
        )
        outcomes.append(outcome)
        records.append(record)
        loads.append((file, validated.rows, load_id))
    if not loads:
        return []
    before = changes.partitions_before(con, [file for file, _, _ in loads])
    _replace_partitions(con, loads)
    added = [rows for file, rows, _ in loads if file.entity == "posts"]
    if added:
        update_post_latest(con, pl.concat(added, how="diagonal_relaxed"), before["posts"])
    changes.record_changes(con, loads, before)
    insert_frame(con, "ops.loads", pl.concat(records, how="diagonal_relaxed"))
    quarantine = pl.concat(quarantines, how="diagonal_relaxed")
    if quarantine.height:
        insert_frame(con, "ops.quarantine", quarantine)
    return outcomes
