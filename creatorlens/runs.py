"""Runs: what a run is asked and checks before it starts, and its record in ops.runs."""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb

from creatorlens import reference
from creatorlens.errors import CreatorlensError
from creatorlens.reference import TierScheme
from creatorlens.schemas.platforms import ADAPTERS
from creatorlens.settings import Settings
from creatorlens.warehouse import check_memory_limit

ABANDONED = "abandoned: the process ended before the run finished"


def check_settings(settings: Settings) -> TierScheme:
    """Fail fast on settings a user must fix; returns the active tier scheme (with the
    authenticity threshold)."""
    if not settings.exports_dir.is_dir():
        raise CreatorlensError(
            f"exports folder {settings.exports_dir} does not exist; set CREATORLENS_EXPORTS_DIR "
            "or --exports (or write a sample with `creatorlens demo`)"
        )
    for loading in (False, True):
        check_memory_limit(*settings.duckdb_limit(loading=loading))
    return reference.tier_scheme(settings.tier_scheme, settings.min_authenticity)


def check_platforms(platforms: Sequence[str] | None) -> None:
    """Fail fast on a platform name creatorlens has no adapter for."""
    unknown = sorted(set(platforms or ()) - set(ADAPTERS))
    if unknown:
        known = ", ".join(sorted(ADAPTERS))
        raise CreatorlensError(f"platforms: unknown {', '.join(unknown)}; use {known}")


def check_range(start: date, end: date) -> None:
    """Fail fast on a range that ends before it starts."""
    if start > end:
        raise CreatorlensError(f"start {start} is after end {end}; give --start <= --end")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, flow: str, parameters: dict) -> None:
    """Record a run as running. Runs still marked running belong to dead processes (the caller
    holds the writer lock), so they are marked failed."""
    con.execute(
        "update ops.runs set status = 'failed', finished_at = ?, failure_reason = ? "
        "where status = 'running'",
        [_now(), ABANDONED],
    )
    con.execute(
        "insert into ops.runs (run_id, flow, parameters, started_at, status) "
        "values (?, ?, ?, ?, 'running')",
        [run_id, flow, json.dumps(parameters, default=str, sort_keys=True), _now()],
    )


@dataclass(frozen=True)
class RunEnd:
    """How a run ended, as ops.runs records it."""

    run_id: str
    status: str
    rows_loaded: int | None = None
    rows_quarantined: int | None = None
    rows_published: int | None = None
    failure_reason: str | None = None
    first_as_of_date: date | None = None
    last_as_of_date: date | None = None
    rows_written: int | None = None
    computed_dates: str | None = None
    finished_at: datetime = field(default_factory=_now)


def finish_run(con: duckdb.DuckDBPyConnection, end: RunEnd, table: str = "ops.runs") -> None:
    """Record how a run ended, in the warehouse's ops.runs or in a copy of it (`table`)."""
    con.execute(
        f"update {table} set finished_at = ?, status = ?, rows_loaded = ?, rows_quarantined = ?, "
        "rows_published = ?, failure_reason = ?, first_as_of_date = ?, last_as_of_date = ?, "
        "rows_written = ?, computed_dates = ? where run_id = ?",
        [
            end.finished_at,
            end.status,
            end.rows_loaded,
            end.rows_quarantined,
            end.rows_published,
            end.failure_reason,
            end.first_as_of_date,
            end.last_as_of_date,
            end.rows_written,
            end.computed_dates,
            end.run_id,
        ],
    )
