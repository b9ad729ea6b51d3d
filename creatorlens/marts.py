"""Computing the marts into the warehouse (`publishing` makes them visible to BI)."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import NamedTuple

import duckdb
import polars as pl

from creatorlens.reference import TierScheme
from creatorlens.warehouse import insert_frame, query_frame, registered, sql, transaction
from schemas.marts import CreatorDailyMetrics, CreatorRankings, TierBenchmarks, TierHistory
from transforms.followers import CREATOR
from transforms.metrics import (
    CREATOR_LOOKBACK_DAYS,
    POST_LOOKBACK_DAYS,
    DailyMetrics,
    creator_daily_metrics,
)
from transforms.ranking import creator_rankings, tier_benchmarks
from transforms.tiers import tier_history_from

# Published tables and the order their rows are written in (as_of_date first: one file a date).
MARTS = {
    "creator_daily_metrics": ("as_of_date", "platform", "account_id"),
    "creator_rankings": ("as_of_date", "platform", "tier", "rank"),
    "tier_benchmarks": ("as_of_date", "platform", "tier"),
    "tier_history": ("platform", "account_id", "valid_from"),
    "campaign_performance": ("campaign_id", "platform", "account_id"),
    "campaign_tier_summary": ("campaign_id", "platform", "tier_at_start"),
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
    *,
    creators: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The snapshots that as-of dates [start, end] read, `lookback_days` back (of platforms,
    or of some creators: platform, account_id)."""
    start, end = dates
    params = {"start": start, "end": end, "lookback_days": lookback_days}
    if creators is not None:
        with registered(con, "only_creators", creators.select(CREATOR)):
            return con.sql(
                f"select * from ({sql(name)}) where (platform, account_id) in"
                " (select (platform, account_id) from only_creators)",
                params=params,
            ).pl()
    frame = query_frame(con, name, **params)
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
    rows = unusable.join(cards, on=["platform", "account_id", "valid_from", "currency"])
    report_quarantined(con, rows, "currency", "fx_rate_in_force", run_id)


def report_quarantined(
    con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, field: str, rule: str, run_id: str
) -> None:
    """Record in ops.quarantine, once, staged rows (with load_id, file, source_row) that a
    rule applied at compute leaves out; `field` names the column whose value is reported."""
    reports = rows.select(
        "load_id",
        pl.lit(run_id).alias("run_id"),
        "file",
        pl.col("source_row").alias("row_number"),
        pl.lit(field).alias("field"),
        pl.lit(rule).alias("rule"),
        pl.col(field).cast(pl.String).alias("value"),
        pl.lit(datetime.now(UTC).replace(tzinfo=None)).alias("quarantined_at"),
    )
    with registered(con, "reports", reports):
        con.execute(
            "insert into ops.quarantine by name select * from reports r where not exists ("
            " select 1 from ops.quarantine q where q.load_id = r.load_id"
            " and q.row_number = r.row_number and q.rule = r.rule)"
        )


def update_tier_history(con: duckdb.DuckDBPyConnection, start: date) -> None:
    """Rewrite the tier_history stretches that as-of dates from `start` on can change: those
    starting on or after `start`, and the one each creator was in the day before. Earlier
    stretches stay as they are, so a nightly run reads one day of tiers, not all history."""
    anchors = query_frame(con, "int/int_tier_anchors", start=start)
    daily = query_frame(con, "int/int_daily_tiers", start=start)
    history = TierHistory.validate(tier_history_from(anchors, daily), lazy=True)
    with registered(con, "anchors", anchors):
        con.execute(
            "delete from marts.tier_history where valid_from >= $start"
            " or (platform, account_id, valid_from) in"
            " (select (platform, account_id, valid_from) from anchors)",
            {"start": start},
        )
    insert_frame(con, "marts.tier_history", history)


def daily_metrics(
    con: duckdb.DuckDBPyConnection,
    scheme: TierScheme,
    start: date,
    end: date,
    cards: pl.DataFrame,
    *,
    platforms: Sequence[str] | None = None,
    creators: pl.DataFrame | None = None,
) -> DailyMetrics:
    """creator_daily_metrics of as-of dates [start, end] from the warehouse's staging tables
    (of some platforms, or only some `creators`: platform, account_id), not written."""
    dates = (start, end)
    creator_snapshots = _snapshots(
        con, "int/int_creator_snapshots", dates, CREATOR_LOOKBACK_DAYS, platforms, creators=creators
    )
    post_snapshots = _snapshots(
        con, "int/int_post_snapshots", dates, POST_LOOKBACK_DAYS, platforms, creators=creators
    )
    return creator_daily_metrics(
        creator_snapshots,
        post_snapshots,
        query_frame(con, "int/int_roster"),
        cards.select("platform", "account_id", "price_per_post", "currency", "valid_from"),
        query_frame(con, "int/int_fx_rates"),
        tiers=scheme.tiers,
        default_prices=scheme.default_prices,
        start=start,
        end=end,
    )


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
    daily = daily_metrics(con, scheme, start, end, cards, platforms=platforms)
    metrics = CreatorDailyMetrics.validate(daily.metrics, lazy=True)
    rankings = CreatorRankings.validate(creator_rankings(metrics), lazy=True)
    benchmarks = TierBenchmarks.validate(tier_benchmarks(metrics), lazy=True)
    with transaction(con):
        _replace_dates(con, "creator_daily_metrics", metrics, start, end, platforms=platforms)
        _replace_dates(con, "creator_rankings", rankings, start, end, platforms=platforms)
        _replace_dates(con, "tier_benchmarks", benchmarks, start, end, platforms=platforms)
        update_tier_history(con, start)
        _report_unusable_rate_cards(con, daily.unusable_rate_cards, cards, run_id)
        con.execute(
            "insert or ignore into ops.unpublished_dates"
            " select unnest(generate_series(?::date, ?::date, interval 1 day))::date",
            [start, end],
        )
    return MartRows(metrics.height, metrics.height + rankings.height + benchmarks.height)
