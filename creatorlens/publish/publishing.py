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
import re
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

from creatorlens import runs
from creatorlens.compute.marts import MARTS
from creatorlens.errors import WarehouseUnusableError
from creatorlens.warehouse import connect, machine_errors, registered, sql, transaction
from schemas import declared
from schemas.declared import PUBLISHED

DATED = tuple(mart for mart, order in MARTS.items() if order[0] == "as_of_date")
"""The marts published as a file per as-of date."""
WHOLE = tuple(mart for mart in MARTS if mart not in DATED)
"""The marts published whole, as one file, by every publish that has new dates (or when
they have no file yet): tier_history and the campaign marts."""
OPS_COPIES = ("runs", "loads", "quarantine", "freshness")
GRACE = timedelta(hours=24)
"""How long a Parquet file stays on disk once no published file names it: a reader that
opened an older published file keeps reading for that long (setting publish_grace_hours)."""


def files_folder(marts_path: Path) -> Path:
    """The folder of Parquet files beside the published file."""
    return marts_path.with_name(f"{marts_path.stem}-parquet")


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
    _remove_unrecorded(con, marts_path, folder)
    _forget_if_missing(con, folder)
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
    _journal_publish(folder, stamp, now)
    if completing:
        runs.finish_run(con, completing)
    _remove_retired(con, folder, now - grace)
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
    con.execute("attach ? as published", [str(staged)])
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


def _remove_unrecorded(con: duckdb.DuckDBPyConnection, marts_path: Path, folder: Path) -> None:
    """Remove what a killed or failed publish left: a staged published file, and Parquet
    files it wrote but never published. Files a published file named that the warehouse does
    not record (a warehouse made anew records none of the files readers use, and an older
    published file may still be open in a BI tool) are recorded as retired now, so they stay for
    the grace period like any other. The writer lock makes the rest ours."""
    for leftover in marts_path.parent.glob(f".{marts_path.name}.*.tmp*"):
        leftover.unlink()
    recorded = {row[0] for row in con.execute("select path from ops.published_files").fetchall()}
    named = named_files(marts_path, folder)
    published = _journaled_stamps(folder)
    adopted = []
    for path in sorted(folder.glob("*/*.parquet")):
        relative = path.relative_to(folder).as_posix()
        if relative in recorded:
            continue
        if relative in named or _stamp(relative) in published:
            adopted.append(relative)
        else:
            path.unlink()
    if adopted:
        now = datetime.now(UTC).replace(tzinfo=None)
        con.executemany(
            "insert into ops.published_files (mart, path, published_at, retired_at)"
            " values (?, ?, ?, ?)",
            [(path.split("/")[0], path, now, now) for path in adopted],
        )


JOURNAL = "published.txt"
"""In the folder of Parquet files: the stamp of every publish that put its published file in
place, one a line, so that the files an older published file named are known as such whatever
state the warehouse is in (a reader may hold that file open for the grace period)."""


def _journal_publish(folder: Path, stamp: str, now: datetime) -> None:
    with (folder / JOURNAL).open("a") as journal:
        journal.write(f"{stamp} {now.isoformat()}\n")
        journal.flush()
        os.fsync(journal.fileno())


def _journaled_stamps(folder: Path) -> set[str]:
    path = folder / JOURNAL
    if not path.exists():
        return set()
    return {line.split()[0] for line in path.read_text().splitlines() if line.strip()}


def _forget_unused_stamps(folder: Path) -> None:
    """Keep the journal as long as the files it vouches for: drop stamps with no file left."""
    on_disk = {_stamp(p.name) for p in folder.glob("*/*.parquet")}
    path = folder / JOURNAL
    if not path.exists():
        return
    lines = path.read_text().splitlines()
    kept = [line for line in lines if line.split() and line.split()[0] in on_disk]
    if len(kept) < len(lines):
        staged = path.with_name(f".{JOURNAL}.tmp")
        staged.write_text("".join(f"{line}\n" for line in kept))
        os.replace(staged, path)


def _stamp(name: str) -> str:
    """The stamp of the publish that wrote a Parquet file (`<date>.<stamp>.parquet`, or
    `<stamp>.parquet` for a mart published whole)."""
    return Path(name).stem.rsplit(".", 1)[-1]


def named_files(marts_path: Path, folder: Path) -> set[str]:
    """The Parquet files (relative to `folder`) that the published file's views name; none
    when there is no published file, or it cannot be read."""
    if not marts_path.exists():
        return set()
    try:
        with duckdb.connect(str(marts_path), read_only=True) as con:
            views = " ".join(r[0] for r in con.sql("select sql from duckdb_views()").fetchall())
    except duckdb.Error:
        return set()
    prefix = str(folder.resolve()).replace("'", "''") + "/"
    return {
        name.replace("''", "'").removeprefix(prefix.replace("''", "'"))
        for name in re.findall(r"'((?:[^']|'')+\.parquet)'", views)
        if name.replace("''", "'").startswith(prefix.replace("''", "'"))
    }


def _forget_if_missing(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Forget every published file when one the published file names is gone (the folder
    removed, or CREATORLENS_MARTS pointed elsewhere): this publish then writes every date, as a
    first one does. Files still there stay for readers until the next publish removes them."""
    current = con.execute(
        "select path from ops.published_files where retired_at is null"
    ).fetchall()
    if any(not (folder / path).exists() for (path,) in current):
        con.execute("delete from ops.published_files")


def _remove_retired(con: duckdb.DuckDBPyConnection, folder: Path, before: datetime) -> None:
    """Remove the files retired by `before` or earlier, and forget them."""
    retired = con.execute(
        "select path from ops.published_files where retired_at <= ?", [before]
    ).fetchall()
    for (path,) in retired:
        (folder / path).unlink(missing_ok=True)
    con.execute("delete from ops.published_files where retired_at <= ?", [before])
    _forget_unused_stamps(folder)


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


def check_warehouse_holds_published(warehouse: Path, marts_path: Path) -> None:
    """Refuse a warehouse that does not know the Parquet files the published marts name: it is
    new (deleted, or moved), or older than the published marts (restored from a backup), and
    publishing from it would drop every as-of date it lacks and the files BI reads."""
    folder = files_folder(marts_path)
    named = named_files(marts_path, folder)
    if not named:
        return
    recorded: set[str] = set()
    if warehouse.exists():
        con = connect(warehouse, "warehouse", read_only=True)
        with con, machine_errors(warehouse):
            known = con.execute(
                "select count(*) from duckdb_tables() where schema_name = 'ops'"
                " and table_name = 'published_files'"
            ).fetchone()[0]
            if known:
                query = "select path from warehouse.ops.published_files"
                recorded = {row[0] for row in con.execute(query).fetchall()}
    unknown = named - recorded
    if not unknown:
        return
    with duckdb.connect(str(marts_path), read_only=True) as con:
        first, last, dates = con.execute(
            "select min(as_of_date), max(as_of_date), count(distinct as_of_date)"
            " from marts.creator_daily_metrics"
        ).fetchone()
    state = "is new" if not recorded else "is older than them"
    raise WarehouseUnusableError(
        f"{warehouse}: the published marts {marts_path} hold {dates} as-of dates ({first} to "
        f"{last}) this warehouse does not know ({len(unknown)} of their files): it {state}, "
        "and a run would publish fewer; run `creatorlens rebuild` to make it again from the "
        "exports folder and recompute every published date (or set CREATORLENS_MARTS to a new "
        "file to start the marts afresh)"
    )


def published_dates(marts_path: Path) -> list[date]:
    """The as-of dates the published marts hold, in order; none without a published file."""
    if not marts_path.exists():
        return []
    with duckdb.connect(str(marts_path), read_only=True) as con:
        query = "select distinct as_of_date from marts.creator_daily_metrics order by 1"
        return [row[0] for row in con.execute(query).fetchall()]
