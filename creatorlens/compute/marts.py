"""Computing the marts into the warehouse (`publishing` makes them visible to BI)."""

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from creatorlens.compute import shards
from creatorlens.compute.shards import Shard
from creatorlens.reference import TierScheme
from creatorlens.schemas.declared import QUARANTINE_ENTRY
from creatorlens.schemas.marts import CreatorRankings, TierBenchmarks, TierHistory
from creatorlens.schemas.platforms import FUTURE_DAYS
from creatorlens.transforms.followers import CREATOR
from creatorlens.transforms.metrics import COLUMNS as METRICS_COLUMNS
from creatorlens.transforms.metrics import CREATOR_LOOKBACK_DAYS, POST_LOOKBACK_DAYS, DailyMetrics
from creatorlens.transforms.ranking import RANKING_COLUMNS, creator_rankings, tier_benchmarks
from creatorlens.transforms.tiers import tier_history_from
from creatorlens.warehouse import insert_frame, query_frame, registered, sql, transaction

# Published tables and the order their rows are written in (as_of_date first: one file a date).


def snapshot_dates(
    con: duckdb.DuckDBPyConnection, platforms: Sequence[str] | None = None
) -> list[date]:
    """Every snapshot date loaded (of some platforms), in order, none after tomorrow (UTC):
    what as-of dates may use."""
    frame = query_frame(
        con,
        "int/int_snapshot_dates",
        platforms=list(platforms) if platforms else None,
        latest=datetime.now(UTC).date() + timedelta(days=FUTURE_DAYS),
    )
    return frame["snapshot_date"].to_list()


def _snapshots(
    con: duckdb.DuckDBPyConnection,
    name: str,
    dates: tuple[date, date],
    lookback_days: int,
    creators: pl.DataFrame,
) -> pl.DataFrame:
    """The snapshots of some creators (platform, account_id) that as-of dates [start, end]
    read, `lookback_days` back."""
    start, end = dates
    params = {"start": start, "end": end, "lookback_days": lookback_days}
    with registered(con, "only_creators", creators.select(CREATOR)):
        return con.sql(
            f"select * from ({sql(name)}) where (platform, account_id) in"
            " (select (platform, account_id) from only_creators)",
            params=params,
        ).pl()


def _delete_dates(
    con: duckdb.DuckDBPyConnection,
    table: str,
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
    entry = {
        "row_number": pl.col("source_row"),
        "field": pl.lit(field),
        "rule": pl.lit(rule),
        "value": pl.col(field).cast(pl.String),
    }
    reports = rows.select(
        "load_id",
        pl.lit(run_id).alias("run_id"),
        "file",
        *(entry[name].cast(dtype).alias(name) for name, dtype in QUARANTINE_ENTRY.items()),
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


EVENT_KEY = "platform, account_id, flag, start_date"
WINDOW_DAYS = CREATOR_LOOKBACK_DAYS
"""An event of as-of date D starts in [D-89, D], so the dates that show it lie within 89 days
of its start: an event shown on a date of [start, end] is shown on no date outside
[start - 89, end + 89]."""


def update_authenticity_events(
    con: duckdb.DuckDBPyConnection,
    files: list[str],
    start: date,
    end: date,
    *,
    platforms: Sequence[str] | None = None,
) -> None:
    """Replace the events as-of dates [start, end] show (marts.authenticity_event_days) with
    those in `files`, and make marts.authenticity_events again for every event they show or
    last showed: each one's figures from the latest date that shows it. Events of other dates
    stay as they are, so a nightly run reads only the dates near its own."""
    dates: dict = {"start": start, "end": end}
    only = ""
    if platforms is not None:
        only = " and platform in (select unnest($platforms))"
        dates["platforms"] = list(platforms)
    shown, given = "select * from marts.authenticity_events where false", {}
    if files:
        shown, given = f"select {EVENT_KEY} from read_parquet($files)", {"files": files}
    con.execute(
        "create or replace temp table affected_events as"
        f" select {EVENT_KEY} from marts.authenticity_events"
        f" where last_seen_as_of_date between $start and $end{only}"
        f" union select {EVENT_KEY} from ({shown})",
        dates | given,
    )
    con.execute(
        f"delete from marts.authenticity_event_days where as_of_date between $start and $end{only}",
        dates,
    )
    if files:
        con.execute(
            "insert into marts.authenticity_event_days by name"
            " select * from read_parquet($files) order by as_of_date, platform, account_id",
            given,
        )
    con.execute(
        f"delete from marts.authenticity_events where ({EVENT_KEY}) in"
        f" (select ({EVENT_KEY}) from affected_events)"
    )
    con.execute(
        "insert into marts.authenticity_events by name"
        " select * exclude (as_of_date), as_of_date as last_seen_as_of_date"
        " from marts.authenticity_event_days"
        f" semi join affected_events using ({EVENT_KEY})"
        " where as_of_date between $start - $reach and $end + $reach"
        f" qualify row_number() over (partition by {EVENT_KEY} order by as_of_date desc) = 1",
        {"start": start, "end": end, "reach": WINDOW_DAYS},
    )
    con.execute("drop table affected_events")


def daily_metrics(
    con: duckdb.DuckDBPyConnection,
    scheme: TierScheme,
    start: date,
    end: date,
    *,
    creators: pl.DataFrame,
) -> DailyMetrics:
    """creator_daily_metrics of as-of dates [start, end] of some `creators` (platform,
    account_id) from the warehouse's staging tables, not written."""
    dates = (start, end)
    return shards.metrics_of(
        _snapshots(con, "int/int_creator_snapshots", dates, CREATOR_LOOKBACK_DAYS, creators),
        _snapshots(con, "int/int_post_snapshots", dates, POST_LOOKBACK_DAYS, creators),
        shards.shared_inputs(con),
        scheme,
        start=start,
        end=end,
    )


class MartRows(NamedTuple):
    """Rows one compute wrote: creators (creator_daily_metrics) and all dated marts together."""

    creators: int
    written: int


RANKING_INPUTS = [
    name
    for name in METRICS_COLUMNS
    if name in RANKING_COLUMNS or name in {"posts_30d", "suspicious_growth"}
]
"""The creator_daily_metrics columns that rankings and benchmarks read."""


def write_marts(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    computed: list[Shard],
    start: date,
    end: date,
    *,
    platforms: Sequence[str] | None = None,
    run_id: str = "",
) -> MartRows:
    """Replace as-of dates [start, end] (of some platforms) of every dated mart with the
    shards' creator_daily_metrics and the rankings and benchmarks of each platform, in one
    transaction, and bring tier_history up to date."""
    metrics = [str(path) for path in shards.output_files(folder, computed, "metrics")]
    unusable = shards.output_files(folder, computed, "unusable_rate_cards")
    cards = query_frame(con, "int/int_rate_cards")
    others = 0
    creators = pl.scan_parquet(metrics).select(pl.len()).collect().item() if metrics else 0
    with transaction(con):
        for table in ("creator_daily_metrics", "creator_rankings", "tier_benchmarks"):
            _delete_dates(con, table, start, end, platforms=platforms)
        # sorted a few as-of dates at a time: a whole range at a large size runs out of memory
        # within the compute limit (bench/history.md)
        for first, last in _date_runs(start, end, creators):
            con.execute(
                "insert into marts.creator_daily_metrics by name select * from read_parquet($files)"
                " where as_of_date between $first and $last"
                " order by as_of_date, platform, account_id",
                {"files": metrics, "first": first, "last": last},
            )
        for rankings, benchmarks in _ranked(computed, metrics, start, end):
            insert_frame(con, "marts.creator_rankings", rankings)
            insert_frame(con, "marts.tier_benchmarks", benchmarks)
            others += rankings.height + benchmarks.height
        update_tier_history(con, start)
        update_authenticity_events(
            con,
            [str(p) for p in shards.output_files(folder, computed, "events")],
            start,
            end,
            platforms=platforms,
        )
        if unusable:
            _report_unusable_rate_cards(con, pl.read_parquet(unusable), cards, run_id)
        con.execute(
            "insert or ignore into ops.unpublished_dates"
            " select unnest(generate_series(?::date, ?::date, interval 1 day))::date",
            [start, end],
        )
    return MartRows(creators, creators + others)


RANKED_ROWS = 1_000_000
"""Creator rows that are sorted into creator_daily_metrics, and that rankings and benchmarks
are made from, at a time, about: as-of dates go a few at a time, so memory does not follow the
number of creators."""


def _date_runs(start: date, end: date, rows: int) -> Iterator[tuple[date, date]]:
    """[start, end] as runs of consecutive as-of dates of about RANKED_ROWS of `rows` each
    (spread evenly over the dates); none when there are no rows."""
    dates = (end - start).days + 1
    step = max(1, RANKED_ROWS // max(rows // dates, 1))
    for offset in range(0, dates if rows else 0, step):
        first = start + timedelta(days=offset)
        yield first, min(end, first + timedelta(days=step - 1))


def _ranked(
    computed: list[Shard], metrics: list[str], start: date, end: date
) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """creator_rankings and tier_benchmarks of each platform (both ranked across its
    creators, one as-of date at a time), for a few as-of dates at a time, checked."""
    for platform in sorted({p.platform for p in computed}):
        files = [f for p, f in zip(computed, metrics, strict=True) if p.platform == platform]
        scan = pl.scan_parquet(files).select(RANKING_INPUTS)
        for first, last in _date_runs(start, end, scan.select(pl.len()).collect().item()):
            rows = scan.filter(pl.col("as_of_date").is_between(first, last)).collect()
            yield (
                CreatorRankings.validate(creator_rankings(rows), lazy=True),
                TierBenchmarks.validate(tier_benchmarks(rows), lazy=True),
            )
