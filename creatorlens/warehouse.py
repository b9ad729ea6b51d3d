"""The warehouse DuckDB file: connections, the SQL files by name, and partition writes."""

import errno
import re
import resource
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import polars as pl

from creatorlens import HOME, stopping
from creatorlens.errors import (
    CreatorlensError,
    DiskFullError,
    MachineError,
    WarehouseBusyError,
    WarehouseUnusableError,
    package_file,
)

SQL_DIR = HOME / "sql"
SCHEMAS = ("ops", "staging", "marts")
DERIVED_TABLES = ("staging/stg_post_latest",)
"""Warehouse tables a SQL file creates from others (when missing); every other table is made
from its declaration (schemas.declared)."""


def sql(name: str) -> str:
    """The text of `sql/<name>.sql`."""
    return package_file(SQL_DIR / f"{name}.sql").read_text()


def connect(path: Path, alias: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection whose default catalog is the DuckDB file at `path`, attached as `alias`.

    Attaching under a fixed alias keeps `marts.<table>` unambiguous even when the file itself
    is called marts.duckdb (DuckDB names a directly opened file's catalog after the file).
    """
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = stopping.register(duckdb.connect())
    con.execute("set enable_progress_bar = false")  # a first migration query can be long
    try:
        con.execute(f"attach ? as {alias} {'(read_only)' if read_only else ''}", [str(path)])
    except duckdb.Error as exc:
        con.close()
        reason = str(exc).splitlines()[0]
        if "lock" in reason.lower():
            raise WarehouseBusyError(
                f"{path}: another process holds this DuckDB file; close it there (BI tools must "
                "read the published marts file, read-only) and run again"
            ) from None
        if alias == "warehouse" and (damaged := machine_error(path, exc)) is not None:
            raise damaged from None
        raise CreatorlensError(f"{path}: cannot open DuckDB file ({reason})") from None
    con.execute(f"use {alias}")
    return con


DAMAGED = (
    "could not read enough bytes",
    "not a valid duckdb database",
    "corrupt",
    "checksum",
    "invalid database header",
    "failed to load metadata",
    "attempted to read",
)
"""What DuckDB's errors say of a file that is not whole (truncated, overwritten, half-copied)."""


ROOM = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large",
}
"""A write refused for room, by errno and by what the OS says of it (DuckDB and polars pass
only the text on): a full file system, a user's quota, or a limit on file size."""

SETTINGS_HINT = (
    "(or set CREATORLENS_WAREHOUSE, CREATORLENS_MARTS, CREATORLENS_SCRATCH_DIR or "
    "CREATORLENS_REPORTS_DIR to a disk with room) and run again: nothing loaded or published "
    "is lost"
)


def free_space(path: Path) -> str:
    """What is free on the file system holding `path` (or its nearest existing folder)."""
    folder = next((p for p in (path, *path.parents) if p.exists()), Path("/"))
    usage = shutil.disk_usage(folder)
    return f"{usage.free / 2**20:,.1f} MB free of {usage.total / 2**20:,.0f} MB"


def _failed_file(error: BaseException) -> str | None:
    """The file a write failed on, as the error names it (OSError's filename, or the quoted
    path in DuckDB's "Could not write file "...""), if it does."""
    if isinstance(error, OSError) and error.filename:
        return str(error.filename)
    named = re.search(r'file \\?"(.+?)\\?"', str(error))  # quoted again inside JSON, at times
    return named[1] if named else None


def _room_error(path: Path, error: BaseException) -> DiskFullError | None:
    text = str(error).lower()
    code = getattr(error, "errno", None)
    kind = code if code in ROOM else next((c for c, sign in ROOM.items() if sign in text), None)
    if kind is None:
        return None
    failed = _failed_file(error)
    where = f" writing {failed}" if failed and failed != str(path) else ""
    if kind == errno.EFBIG:
        limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
        shown = "unlimited" if limit == resource.RLIM_INFINITY else f"{limit:,} bytes"
        return DiskFullError(
            f"{path}: a file outgrew the limit on file size{where} (ulimit -f: {shown}); raise "
            f"the limit for the user or service that runs creatorlens {SETTINGS_HINT}"
        )
    said = "disk quota exceeded" if kind == errno.EDQUOT else "no space left on its disk"
    return DiskFullError(
        f"{path}: {said}{where} ({free_space(Path(failed) if failed else path)}); free space "
        f"there {SETTINGS_HINT}"
    )


def machine_error(path: Path, error: BaseException) -> MachineError | None:
    """The one-line user error behind an error met writing or reading `path` (the warehouse,
    the published marts, the scratch or reports folder): a full disk, or a damaged DuckDB file;
    None for any other error (a bug, or a passing I/O problem)."""
    if (full := _room_error(path, error)) is not None:
        return full
    text = str(error).lower()
    reason = (str(error).splitlines() or [type(error).__name__])[0][:160]
    if isinstance(error, duckdb.Error) and any(sign in text for sign in DAMAGED):
        return WarehouseUnusableError(
            f"{path}: the warehouse file is damaged ({reason}); run `creatorlens rebuild` to "
            "make it again from the exports folder (the published marts stay as they are)"
        )
    return None


@contextmanager
def machine_errors(path: Path) -> Iterator[None]:
    """Raise a full disk or a damaged file met inside the block as its one-line user error."""
    try:
        yield
    except MachineError:
        raise
    except Exception as error:  # polars and Python say a full disk in their own types
        translated = machine_error(path, error)
        if translated is None:
            raise
        raise translated from None


@contextmanager
def open_warehouse(
    path: Path, *, memory_limit: tuple[str, str] | None = None, migrate: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to the warehouse; with `memory_limit` (the setting's name, its
    size), DuckDB spills what it cannot hold within it to `<warehouse>.tmp/`; with `migrate`,
    every declared table created first (a run does that once, at its start). A full disk or a
    damaged file met while it is open is raised as its one-line user error."""
    if migrate:
        migrate_warehouse(path)
    with machine_errors(path), _opened(path, memory_limit) as con:
        yield con


@contextmanager
def _opened(
    path: Path, memory_limit: tuple[str, str] | None
) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(path, "warehouse")
    try:
        if memory_limit:
            _limit_memory(con, *memory_limit, path.with_suffix(".tmp"))
        yield con
    finally:
        con.close()


def migrate_warehouse(path: Path) -> None:
    """Create the schemas and every declared table a warehouse lacks (a new one, or one older
    than this version), add the nullable columns it lacks, and comment them: one transaction.
    A run calls it once, before its first connection."""
    from creatorlens.schemas.declared import DECLARED_TABLES, create_table  # noqa: PLC0415 (pandera: slow)

    with machine_errors(path), _opened(path, None) as con, transaction(con):
        if _migrated(con):
            return
        for schema in SCHEMAS:
            con.execute(f"create schema if not exists {schema}")
        for table in DECLARED_TABLES:
            for statement in create_table(table):
                con.execute(statement)
        for table in DERIVED_TABLES:
            con.execute(sql(table))


def _migrated(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse has every declared table, column and comment, and the derived
    tables: a run's migration is then one catalog query (the statements took about 0.1 s a
    run, and left a checkpoint to make)."""
    from creatorlens.schemas.declared import (  # noqa: PLC0415 (pandera: slow)
        DECLARED_TABLES,
        warehouse_columns,
        warehouse_comments,
    )

    catalog = con.sql(
        "select schema_name || '.' || table_name, column_name, comment from duckdb_columns()"
        " where database_name = current_database() union all"
        " select schema_name || '.' || table_name, null, comment from duckdb_tables()"
        " where database_name = current_database()"
    ).fetchall()
    found = {(table, column): comment for table, column, comment in catalog}
    for table in DECLARED_TABLES:
        comments = warehouse_comments(table)
        for column in [None, *(c.name for c in warehouse_columns(table))]:
            key = (table, column)
            if key not in found or (column in comments and found[key] != comments[column]):
                return False
    return all((f"{table.replace('/', '.')}", None) in found for table in DERIVED_TABLES)


def _limit_memory(con: duckdb.DuckDBPyConnection, setting: str, limit: str, spill: Path) -> None:
    _set_memory_limit(con, setting, limit)
    con.execute("set variable memory_limit = ?", [limit])  # for release_cache
    con.execute(f"set temp_directory = '{spill}'")


CACHE_RELEASED_TO = "1MB"
"""The memory limit set for a moment by release_cache: DuckDB evicts what it has cached above it."""


def release_cache(con: duckdb.DuckDBPyConnection) -> None:
    """Let go of the blocks DuckDB keeps cached from what it has read, up to its memory limit:
    lowering the limit for a moment evicts them. Loading calls it between batches: what one
    batch read is of little use to the next, and kept, the cache grew with the data. Nothing is
    done on a connection opened without a limit."""
    (limit,) = con.execute("select getvariable('memory_limit')").fetchall()[0]
    if limit is None:
        return
    with suppress(duckdb.Error):  # more than that is pinned: evicting what it could is enough
        con.execute(f"set memory_limit = '{CACHE_RELEASED_TO}'")
    con.execute(f"set memory_limit = '{limit}'")


def _set_memory_limit(con: duckdb.DuckDBPyConnection, setting: str, limit: str) -> None:
    try:
        con.execute(f"set memory_limit = '{limit}'")
    except duckdb.Error:
        reason = f"{setting}: '{limit}' is not a size; use one such as 512MB"
        raise CreatorlensError(reason) from None


def check_memory_limit(setting: str, limit: str) -> None:
    """Fail with one line when DuckDB does not read `limit`, the value of `setting`, as a size."""
    with duckdb.connect() as con:
        _set_memory_limit(con, setting, limit)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All statements inside commit together or not at all."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """`frame` queryable as the view `name` while the block runs."""
    con.register(name, frame)
    try:
        yield
    except BaseException:
        with suppress(duckdb.Error):  # refused in a transaction the error aborted: show that error
            con.unregister(name)
        raise
    con.unregister(name)


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Append a frame's columns to `table` by name (the frame's columns are the project's own).

    DuckDB reads the frame as this function's local variable (a replacement scan), not as a
    registered view: a view is a catalog entry, and a dropped one is kept, with the frame's
    memory, until its transaction ends."""
    columns = ", ".join(frame.columns)
    con.execute(f"insert into {table} ({columns}) select {columns} from frame")


def query_frame(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pl.DataFrame:
    """The result of `sql/<name>.sql` with named parameters, as a polars frame."""
    return con.sql(sql(name), params=params or None).pl()


def open_marts(marts_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published marts, as BI tools open them."""
    if not marts_path.exists():
        raise CreatorlensError(f"{marts_path}: no published marts yet; run `creatorlens run` first")
    return connect(marts_path, "published", read_only=True)
