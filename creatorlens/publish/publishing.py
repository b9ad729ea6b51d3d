"""Publishing the marts as one DuckDB file BI can always open, at a cost that ignores history.

The published file (`marts_path`) is small: a view per mart naming immutable Parquet files in
the folder beside it (one per mart and as-of date, one for each mart without dates), and copies of
the ops tables. A publish writes Parquet files only for the as-of dates computed since the
last publish, then writes a new small file under a temporary name and renames it over the
published one. A reader that opened the old file keeps reading the files it names, whole; a
reader opening it now sees the new one, whole; no one opens the published path for writing.
Files no published file names any more are removed after a grace period.
"""

import contextlib
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

from creatorlens import runs
from creatorlens.publish import keeping
from creatorlens.publish.keeping import files_folder
from creatorlens.schemas import declared
from creatorlens.schemas.declared import MARTS, PUBLISHED
from creatorlens.warehouse import registered, sql, transaction

DATED = tuple(mart for mart, order in MARTS.items() if order[0] == "as_of_date")
"""The marts published as a file per as-of date."""
WHOLE = tuple(mart for mart in MARTS if mart not in DATED)
"""The marts published whole, as one file, by every publish that has new dates (or when
they have no file yet): tier_history and the campaign marts."""
OPS_COPIES = ("runs", "loads", "quarantine", "freshness")
READABLE_STORAGE = "v1.0.0"
"""The storage version the published file is written in: the oldest DuckDB 2.x writes, so every
DuckDB client from 1.0 on opens it (BI drivers often bundle a 1.x). The Parquet files it names
are readable by any of them too. The warehouse keeps the current storage version."""
GRACE = timedelta(hours=24)
"""How long a Parquet file stays on disk once no published file names it: a reader that
opened an older published file keeps reading for that long (setting publish_grace_hours)."""


def _rows_to_publish(con: duckdb.DuckDBPyConnection) -> int:
    """How many mart rows the warehouse holds, that is, what the published file shows."""
    return sum(con.execute(f"select count(*) from marts.{t}").fetchall()[0][0] for t in MARTS)


def publish_marts(
    con: duckdb.DuckDBPyConnection,
    marts_path: Path,
    *,
    completing: runs.RunEnd | None = None,
    grace: timedelta = GRACE,
) -> int:
    """Publish the marts computed since the last publish, with fresh copies of ops.runs,
    ops.loads and ops.quarantine; returns the mart rows the published file shows. The caller
    holds the warehouse's writer lock.

    A run this publish is `completing` is shown ended in the copy (with the rows published),
    and recorded ended in the warehouse only once the file is in place: a run killed before
    that stays unfinished.
    """
    rows = _rows_to_publish(con)
    if completing:
        completing = replace(completing, rows_published=rows)
    folder = files_folder(marts_path)
    folder.mkdir(parents=True, exist_ok=True)
    keeping.remove_unrecorded(con, marts_path, folder)
    keeping.forget_if_missing(con, folder)
    dates = _unpublished_dates(con)
    stamp = uuid.uuid4().hex[:12]
    written = _write_files(con, folder, dates, stamp)
    now = datetime.now(UTC).replace(tzinfo=None)
    with transaction(con):
        _record_files(con, written, dates, now)
    staged = marts_path.with_name(f".{marts_path.name}.{stamp}.tmp")
    _write_published_file(con, staged, folder, completing)
    for path in [staged, *(folder / f for f in written["path"])]:
        _keep_access(marts_path, path)
    _fsync(staged)
    os.replace(staged, marts_path)
    _fsync(marts_path.parent)
    keeping.journal_publish(folder, stamp, now)
    if completing:
        runs.finish_run(con, completing)
    keeping.remove_retired(con, folder, now - grace)
    return rows


def _unpublished_dates(con: duckdb.DuckDBPyConnection) -> list[date]:
    """The as-of dates to write: computed since the last publish, or every computed date when
    no file is published from this warehouse yet (a new one, or one published the old way)."""
    current = "select count(*) from ops.published_files where retired_at is null"
    if con.execute(current).fetchone()[0] == 0:
        query = "select distinct as_of_date from marts.creator_daily_metrics"
    else:
        query = "select as_of_date from ops.unpublished_dates"
    return sorted(row[0] for row in con.execute(query).fetchall())


def _write_files(
    con: duckdb.DuckDBPyConnection, folder: Path, dates: Sequence[date], stamp: str
) -> pl.DataFrame:
    """Write a Parquet file per dated mart and date with rows, and each other mart whole when
    any date changed (or it was never written); returns the files (mart, as_of_date, path)."""
    files: list[tuple[str, date | None, str]] = []
    if dates:
        con.execute(
            "create or replace temp table publishing as select * from"
            " (select unnest(?::date[]) as as_of_date)",
            [list(dates)],
        )
        for mart in DATED:
            (folder / mart).mkdir(exist_ok=True)
            present = con.execute(
                f"select distinct as_of_date from marts.{mart}"
                " where as_of_date in (select as_of_date from publishing) order by 1"
            ).fetchall()
            for (day,) in present:
                path = f"{mart}/{day.isoformat()}.{stamp}.parquet"
                _copy_to_parquet(con, mart, folder / path, where=("as_of_date = ?", [day]))
                files.append((mart, day, path))
    for mart in WHOLE:
        current = con.execute(
            "select count(*) from ops.published_files where mart = ? and retired_at is null",
            [mart],
        ).fetchone()[0]
        if dates or not current:
            (folder / mart).mkdir(exist_ok=True)
            path = f"{mart}/{stamp}.parquet"
            _copy_to_parquet(con, mart, folder / path)
            files.append((mart, None, path))
    for _, _, path in files:
        _fsync(folder / path)
    _fsync(folder)
    return pl.DataFrame(
        files, schema={"mart": pl.String, "as_of_date": pl.Date, "path": pl.String}, orient="row"
    )


def _copy_to_parquet(
    con: duckdb.DuckDBPyConnection,
    mart: str,
    path: Path,
    where: tuple[str, list] = ("true", []),
) -> None:
    condition, params = where
    order = ", ".join(MARTS[mart])
    con.execute(
        f"copy (select * from marts.{mart} where {condition} order by {order})"
        f" to '{_quoted(path)}' (format parquet, compression zstd)",
        params,
    )


def _record_files(
    con: duckdb.DuckDBPyConnection, written: pl.DataFrame, dates: Sequence[date], now: datetime
) -> None:
    """Retire the files the new ones replace (every file of the republished dates, even one
    whose date now has no rows), record the new ones, and clear the dates published."""
    con.execute(
        "update ops.published_files set retired_at = ? where retired_at is null"
        " and (as_of_date in (select unnest(?::date[]))"
        " or (as_of_date is null and list_contains(?, mart)))",
        [now, list(dates), written["mart"].unique().to_list()],
    )
    with registered(con, "written", written):
        con.execute(
            "insert into ops.published_files (mart, as_of_date, path, published_at)"
            " select mart, as_of_date, path, ? from written",
            [now],
        )
    con.execute("delete from ops.unpublished_dates")


def _write_published_file(
    con: duckdb.DuckDBPyConnection, staged: Path, folder: Path, completing: runs.RunEnd | None
) -> None:
    """Write the small published file: a view per mart over its current Parquet files (an
    empty table when it has none) and the ops copies, each commented from its declaration."""
    con.execute(f"attach ? as published (storage_version '{READABLE_STORAGE}')", [str(staged)])
    try:
        with transaction(con):  # one commit, not one a statement (most are comments)
            kinds = _create_published(con, folder.resolve())
            for table, kind in kinds.items():
                for statement in declared.comments(table, f"published.{table}", kind):
                    con.execute(statement)
            if completing:
                runs.finish_run(con, completing, table="published.ops.runs")
        con.execute("checkpoint published")
    finally:
        con.execute("detach published")


def _create_published(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, str]:
    """Create the attached published file's marts (views over the current Parquet files in the
    absolute `folder`, or empty tables), ops copies and views; returns what each name is."""
    con.execute("create schema published.marts")
    con.execute("create schema published.ops")
    kinds = {}  # what each published name is: a view over Parquet files, or a table
    for mart in MARTS:
        table = f"marts.{mart}"
        columns = ", ".join(c.name for c in declared.columns(PUBLISHED[table]))
        paths = con.execute(
            "select path from ops.published_files where mart = ? and retired_at is null"
            " order by as_of_date",
            [mart],
        ).fetchall()
        if paths:
            listed = ", ".join(f"'{_quoted(folder / path)}'" for (path,) in paths)
            con.execute(
                f"create view published.{table} as select {columns} from read_parquet([{listed}])"
            )
            kinds[table] = "view"
        else:
            empty = f"select {columns} from {table} limit 0"
            con.execute(f"create table published.{table} as {empty}")
            kinds[table] = "table"
    for copy in OPS_COPIES:
        table = f"ops.{copy}"
        columns = ", ".join(c.name for c in declared.columns(PUBLISHED[table]))
        con.execute(f"create table published.{table} as select {columns} from {table}")
        kinds[table] = "table"
    con.execute("use published")  # the views name the published file's own tables
    try:
        for view in declared.VIEWS:
            con.execute(f"create view {view} as {sql('published/' + view.split('.')[1])}")
            kinds[view] = "view"
    finally:
        con.execute("use warehouse")
    return kinds


def _quoted(path: Path | str) -> str:
    return str(path).replace("'", "''")


def _keep_access(published: Path, written: Path) -> None:
    """Give a new file the published one's mode and group, so read access granted to BI
    (say `chgrp bi creatorlens.duckdb; chmod 640 creatorlens.duckdb`) survives every
    publish, for the published file and the Parquet files it names."""
    if not published.exists():
        return
    shutil.copymode(published, written)
    with contextlib.suppress(PermissionError):  # only a group the writer belongs to
        os.chown(written, -1, published.stat().st_gid)


def _fsync(path: Path) -> None:
    """Make a file's (or a folder's) content durable before the next step relies on it."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
