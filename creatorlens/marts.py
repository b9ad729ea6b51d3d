"""Computing marts into the warehouse and publishing them as one file BI can always open."""

import os
import uuid
from datetime import date
from pathlib import Path

import duckdb

from creatorlens.errors import CreatorlensError
from creatorlens.warehouse import connect, insert_frame, query_frame, transaction
from schemas.marts import CreatorDailyMetrics
from transforms.metrics import creator_daily_metrics

MARTS = {"creator_daily_metrics": ("as_of_date", "platform", "account_id")}


def latest_snapshot_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest snapshot date loaded (the nightly run's default as-of date), if any."""
    return query_frame(con, "int/int_latest_snapshot_date")["latest_snapshot_date"][0]


def compute_marts(con: duckdb.DuckDBPyConnection, tier_scheme, start: date, end: date) -> int:
    """Recompute marts.creator_daily_metrics for as-of dates [start, end] in the warehouse."""
    metrics = creator_daily_metrics(
        query_frame(con, "int/int_creator_snapshots", start=start, end=end),
        query_frame(con, "int/int_post_snapshots", start=start, end=end),
        query_frame(con, "int/int_roster"),
        tier_scheme,
        start=start,
        end=end,
    )
    CreatorDailyMetrics.validate(metrics, lazy=True)
    with transaction(con):
        con.execute(
            "delete from marts.creator_daily_metrics where as_of_date between ? and ?", [start, end]
        )
        insert_frame(con, "marts.creator_daily_metrics", metrics)
    return metrics.height


def publish_marts(con: duckdb.DuckDBPyConnection, marts_path: Path) -> int:
    """Write every mart to a new file, then rename it over the published one.

    Readers holding the old file keep reading it whole; new readers open the new one; no one
    ever opens the published path for writing, so no reader is refused for a lock.
    """
    marts_path.parent.mkdir(parents=True, exist_ok=True)
    staged = marts_path.with_name(f".{marts_path.name}.{uuid.uuid4().hex}.tmp")
    rows = 0
    con.execute("attach ? as published", [str(staged)])
    try:
        con.execute("create schema published.marts")
        for table, order in MARTS.items():
            columns = ", ".join(c[0] for c in con.sql(f"describe marts.{table}").fetchall())
            con.execute(
                f"create table published.marts.{table} as "
                f"select {columns} from marts.{table} order by {', '.join(order)}"
            )
            rows += con.execute(f"select count(*) from published.marts.{table}").fetchone()[0]
    finally:
        con.execute("detach published")
    _fsync(staged)
    os.replace(staged, marts_path)
    return rows


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def open_marts(marts_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published marts, as BI tools open them."""
    if not marts_path.exists():
        raise CreatorlensError(f"{marts_path}: no published marts yet; run `creatorlens run` first")
    return connect(marts_path, "published", read_only=True)
