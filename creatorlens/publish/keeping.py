"""Which Parquet files beside the published file stay: every file a published file names, and
for the grace period every file one named (whatever the warehouse knows: the publishes' stamps are
journaled beside them); and the check that a warehouse knows the files the published marts name."""

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from creatorlens.errors import WarehouseUnusableError
from creatorlens.warehouse import connect, machine_errors


def files_folder(marts_path: Path) -> Path:
    """The folder of Parquet files beside the published file."""
    return marts_path.with_name(f"{marts_path.stem}-parquet")


def remove_unrecorded(con: duckdb.DuckDBPyConnection, marts_path: Path, folder: Path) -> None:
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


def journal_publish(folder: Path, stamp: str, now: datetime) -> None:
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


def forget_if_missing(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Forget every published file when one the published file names is gone (the folder
    removed, or CREATORLENS_MARTS pointed elsewhere): this publish then writes every date, as a
    first one does. Files still there stay for readers until the next publish removes them."""
    current = con.execute(
        "select path from ops.published_files where retired_at is null"
    ).fetchall()
    if any(not (folder / path).exists() for (path,) in current):
        con.execute("delete from ops.published_files")


def remove_retired(con: duckdb.DuckDBPyConnection, folder: Path, before: datetime) -> None:
    """Remove the files retired by `before` or earlier, and forget them."""
    retired = con.execute(
        "select path from ops.published_files where retired_at <= ?", [before]
    ).fetchall()
    for (path,) in retired:
        (folder / path).unlink(missing_ok=True)
    con.execute("delete from ops.published_files where retired_at <= ?", [before])
    _forget_unused_stamps(folder)


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
