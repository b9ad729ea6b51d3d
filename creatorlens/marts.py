"""Computing marts into the warehouse and publishing them as one file BI can always open."""

import contextlib
import os
import shutil
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from creatorlens import runs
from creatorlens.errors import CreatorlensError
from creatorlens.reference import TierScheme
from creatorlens.warehouse import connect, insert_frame, query_frame, transaction
from schemas.marts import CreatorDailyMetrics, CreatorRankings, TierBenchmarks, TierHistory
from transforms.metrics import (
    CREATOR_LOOKBACK_DAYS,
    POST_LOOKBACK_DAYS,
    creator_daily_metrics,
)
from transforms.ranking import creator_rankings, tier_benchmarks
from transforms.tiers import tier_history

# Published tables and the order their rows are written in.
MARTS = {
    "creator_daily_metrics": ("as_of_date", "platform", "account_id"),
    "creator_rankings": ("as_of_date", "platform", "tier", "rank"),
    "tier_benchmarks": ("as_of_date", "platform", "tier"),
    "tier_history": ("platform", "account_id", "valid_from"),
}


def snapshot_dates(
    con: duckdb.DuckDBPyConnection, platforms: Sequence[str] | None = None
) -> list[date]:
    """Every snapshot date loaded (of some platforms), in order: what as-of dates may use."""
    frame = query_frame(
        con, "int/int_snapshot_dates", platforms=list(platforms) if platforms else None
    )
    return frame["snapshot_date"].to_list()


def _snapshots(
    con: duckdb.DuckDBPyConnection,
    name: str,
    dates: tuple[date, date],
    lookback_days: int,
    platforms: Sequence[str] | None,
) -> pl.DataFrame:
    """The snapshots that as-of dates [start, end] read, `lookback_days` back (of platforms)."""
    start, end = dates
    frame = query_frame(con, name, start=start, end=end, lookback_days=lookback_days)
    return frame if platforms is None else frame.filter(pl.col("platform").is_in(platforms))


def _replace_dates(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: pl.DataFrame,
    start: date,
    end: date,
    *,
    platforms: Sequence[str] | None,
) -> None:
    where = "as_of_date between ? and ?"
    params: list = [start, end]
    if platforms is not None:
        where += " and platform in (select unnest(?))"
        params.append(list(platforms))
    con.execute(f"delete from marts.{table} where {where}", params)
    insert_frame(con, f"marts.{table}", rows)


def _report_unusable_rate_cards(
    con: duckdb.DuckDBPyConnection, unusable: pl.DataFrame, cards: pl.DataFrame, run_id: str
) -> None:
    """Record in ops.quarantine each rate card left unused for want of an FX rate (once)."""
    reports = unusable.join(cards, on=["platform", "account_id", "valid_from", "currency"]).select(
        "load_id",
        pl.lit(run_id).alias("run_id"),
        "file",
        pl.col("source_row").alias("row_number"),
        pl.lit("currency").alias("field"),
        pl.lit("fx_rate_in_force").alias("rule"),
        pl.col("currency").alias("value"),
        pl.lit(datetime.now(UTC).replace(tzinfo=None)).alias("quarantined_at"),
    )
    con.register("reports", reports)
    try:
        con.execute(
            "insert into ops.quarantine by name select * from reports r where not exists ("
            " select 1 from ops.quarantine q where q.load_id = r.load_id"
            " and q.row_number = r.row_number and q.rule = r.rule)"
        )
    finally:
        con.unregister("reports")


class MartRows(NamedTuple):
    """Rows one compute wrote: creators (creator_daily_metrics) and all dated marts together."""

    creators: int
    written: int


def compute_marts(
    con: duckdb.DuckDBPyConnection,
    scheme: TierScheme,
    start: date,
    end: date,
    *,
    platforms: Sequence[str] | None = None,
    run_id: str = "",
) -> MartRows:
    """Recompute every mart for as-of dates [start, end] (optionally some platforms) in the
    warehouse; returns the rows computed."""
    cards = query_frame(con, "int/int_rate_cards")
    daily = creator_daily_metrics(
        _snapshots(
            con, "int/int_creator_snapshots", (start, end), CREATOR_LOOKBACK_DAYS, platforms
        ),
        _snapshots(con, "int/int_post_snapshots", (start, end), POST_LOOKBACK_DAYS, platforms),
        query_frame(con, "int/int_roster"),
        cards.select("platform", "account_id", "price_per_post", "currency", "valid_from"),
        query_frame(con, "int/int_fx_rates"),
        tiers=scheme.tiers,
        default_prices=scheme.default_prices,
        start=start,
        end=end,
    )
    metrics = CreatorDailyMetrics.validate(daily.metrics, lazy=True)
    rankings = CreatorRankings.validate(creator_rankings(metrics), lazy=True)
    benchmarks = TierBenchmarks.validate(tier_benchmarks(metrics), lazy=True)
    with transaction(con):
        _replace_dates(con, "creator_daily_metrics", metrics, start, end, platforms=platforms)
        _replace_dates(con, "creator_rankings", rankings, start, end, platforms=platforms)
        _replace_dates(con, "tier_benchmarks", benchmarks, start, end, platforms=platforms)
        history = TierHistory.validate(
            tier_history(query_frame(con, "int/int_daily_tiers")), lazy=True
        )
        con.execute("delete from marts.tier_history")
        insert_frame(con, "marts.tier_history", history)
        _report_unusable_rate_cards(con, daily.unusable_rate_cards, cards, run_id)
    return MartRows(metrics.height, metrics.height + rankings.height + benchmarks.height)


OPS_COPIES = ("runs", "loads", "quarantine")


def rows_to_publish(con: duckdb.DuckDBPyConnection) -> int:
    """How many mart rows the warehouse holds, that is, what a publish writes."""
    return sum(con.execute(f"select count(*) from marts.{t}").fetchall()[0][0] for t in MARTS)


def publish_marts(
    con: duckdb.DuckDBPyConnection, marts_path: Path, *, completing: runs.RunEnd | None = None
) -> int:
    """Write every mart, and a copy of ops.runs, ops.loads and ops.quarantine for BI, to a new
    file, then rename it over the published one; returns the mart rows written. The caller
    holds the warehouse's writer lock.

    Readers holding the old file keep reading it whole; new readers open the new one; no one
    ever opens the published path for writing, so no reader is refused for a lock.
    A run this publish `completing` is shown ended in the copy, and recorded ended in the
    warehouse only once the file is in place: a run killed before that stays unfinished.
    """
    marts_path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in marts_path.parent.glob(f".{marts_path.name}.*.tmp*"):
        leftover.unlink()  # staged by a run that was killed; the writer lock makes it ours
    staged = marts_path.with_name(f".{marts_path.name}.{uuid.uuid4().hex}.tmp")
    con.execute("attach ? as published", [str(staged)])
    try:
        con.execute("create schema published.marts")
        con.execute("create schema published.ops")
        for table, order in MARTS.items():
            _copy(con, f"marts.{table}", f"published.marts.{table}", order)
        for table in OPS_COPIES:
            _copy(con, f"ops.{table}", f"published.ops.{table}", ())
        if completing:
            runs.finish_run(con, completing, table="published.ops.runs")
        con.execute("checkpoint published")
    finally:
        con.execute("detach published")
    _keep_access(marts_path, staged)
    _fsync(staged)
    os.replace(staged, marts_path)
    _fsync(marts_path.parent)
    if completing:
        runs.finish_run(con, completing)
    return rows_to_publish(con)


def _copy(con: duckdb.DuckDBPyConnection, source: str, target: str, order: Sequence[str]) -> None:
    columns = ", ".join(c[0] for c in con.sql(f"describe {source}").fetchall())
    ordering = f" order by {', '.join(order)}" if order else ""
    con.execute(f"create table {target} as select {columns} from {source}{ordering}")


def _keep_access(published: Path, staged: Path) -> None:
    """Give the new file the published one's mode and group, so read access granted to BI
    (say `chgrp bi marts.duckdb; chmod 640 marts.duckdb`) survives every publish."""
    if not published.exists():
        return
    shutil.copymode(published, staged)
    with contextlib.suppress(PermissionError):  # only a group the writer belongs to
        os.chown(staged, -1, published.stat().st_gid)


def _fsync(path: Path) -> None:
    """Make a file's (or a folder's) content durable before the next step relies on it."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def open_marts(marts_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published marts, as BI tools open them."""
    if not marts_path.exists():
        raise CreatorlensError(f"{marts_path}: no published marts yet; run `creatorlens run` first")
    return connect(marts_path, "published", read_only=True)
