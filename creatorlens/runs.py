"""Run records in ops.runs: started, finished, status, rows, and why a run failed."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

ABANDONED = "abandoned: the process ended before the run finished"


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
    finished_at: datetime = field(default_factory=_now)


def finish_run(con: duckdb.DuckDBPyConnection, end: RunEnd, table: str = "ops.runs") -> None:
    """Record how a run ended, in the warehouse's ops.runs or in a copy of it (`table`)."""
    con.execute(
        f"update {table} set finished_at = ?, status = ?, rows_loaded = ?, rows_quarantined = ?, "
        "rows_published = ?, failure_reason = ? where run_id = ?",
        [
            end.finished_at,
            end.status,
            end.rows_loaded,
            end.rows_quarantined,
            end.rows_published,
            end.failure_reason,
            end.run_id,
        ],
    )
