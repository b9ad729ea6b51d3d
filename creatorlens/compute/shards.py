"""creator_daily_metrics by shard: a platform and a hash bucket of account_id.

Everything in creator_daily_metrics is one creator's own (its snapshots, posts, rate cards), so
a chunk of as-of dates is computed one shard at a time, and memory follows the size of a
shard, not the number of creators. The shards pass as Parquet in a folder:

    <folder>/inputs/{creators,posts}/platform=<p>/bucket=<b>/*.parquet  (one scan of staging)
    <folder>/shared/{roster,rate_cards,fx_rates,no_posts}.parquet    (small, shared)
    <folder>/outputs/<p>-<b>/{metrics,unusable_rate_cards,events}.parquet

`prepare` writes the inputs from the warehouse, `compute` is a pure function of a shard's
files (it runs wherever the flow's task runner puts it), and the single writer reads the outputs
back into the warehouse (creatorlens.compute.marts).
"""

import math
from datetime import date
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from creatorlens.reference import TierScheme
from creatorlens.schemas.declared import polars_columns
from creatorlens.schemas.marts import AuthenticityEventDays, CreatorDailyMetrics
from creatorlens.schemas.platforms import ADAPTERS
from creatorlens.transforms.metrics import (
    CREATOR_LOOKBACK_DAYS,
    POST_LOOKBACK_DAYS,
    DailyMetrics,
    creator_daily_metrics,
)
from creatorlens.warehouse import query_frame, registered, sql

ROWS_PER_BUCKET = 1_000_000
"""With no bucket count set, each platform gets one bucket per this many staging rows that its
shards read (of the platform that reads the most), so a shard holds about this many and a
shard's memory stays the same as creators grow (a range of many dates reads more rows per
creator than one date, so it gets more buckets). The figures behind it: bench/history.md."""


class SharedInputs(NamedTuple):
    """The small tables every shard reads whole (the int_ queries of the same names)."""

    roster: pl.DataFrame
    rate_cards: pl.DataFrame
    fx_rates: pl.DataFrame


def shared_inputs(con: duckdb.DuckDBPyConnection) -> SharedInputs:
    """The warehouse's roster, rate cards and FX rates."""
    return SharedInputs(*(query_frame(con, f"int/int_{name}") for name in SharedInputs._fields))


class Shard(NamedTuple):
    """One platform's creators whose account_id hashes to `bucket` (of the chunk's count)."""

    platform: str
    bucket: int

    @property
    def name(self) -> str:
        return f"{self.platform}-{self.bucket}"


def bucket_count(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    buckets: int = 0,
    *,
    per_bucket: int = ROWS_PER_BUCKET,
) -> int:
    """`buckets` if set, else enough that no platform's bucket reads more than `per_bucket`
    staging rows (on average) for as-of dates [start, end]."""
    if buckets:
        return buckets
    rows = query_frame(
        con,
        "int/int_shard_rows",
        start=start,
        end=end,
        creator_lookback_days=CREATOR_LOOKBACK_DAYS,
        post_lookback_days=POST_LOOKBACK_DAYS,
    )["snapshots"]
    return max(1, math.ceil((rows.max() or 0) / per_bucket))


EVENT_DAY_COLUMNS = list(polars_columns(AuthenticityEventDays))
"""The columns of the events each date's window shows, in the warehouse's order."""

COMPRESSION = "lz4"
"""The shards' Parquet files are read once, soon after, on this machine or a worker: lz4
writes and reads them faster than polars' default zstd, in somewhat larger files."""

SINK_ROWS = 196_608
"""Rows the partitioned sink buffers, over all shards: it holds a row group of each open
shard until it is full, so a row group holds this many rows divided by the shards
(at least 8,192), and the buffer does not grow with them."""


def _copy_partitioned(
    con: duckdb.DuckDBPyConnection, query: str, params: dict, folder: Path, shards: int
) -> int:
    """Write the query's rows to `folder` by shard; returns how many.

    DuckDB's result streams into polars' partitioned Parquet sink: faster, and in less memory,
    than writing one file and splitting it (with polars or with DuckDB's partitioned COPY), or a
    partitioned COPY of the query itself, which holds the query's memory beside the shards'
    open files (bench/history.md). Polars calls `PartitionBy` unstable:
    uv.lock pins the version, and a layout other than the one `prepare` globs would leave the
    oracle tests with no rows."""
    by_partition = pl.PartitionBy(folder, key=["platform", "bucket"], include_key=True)
    con.sql(query, params=params).pl(lazy=True).sink_parquet(
        by_partition,
        mkdir=True,
        row_group_size=max(8192, SINK_ROWS // shards),
        compression=COMPRESSION,
    )
    written = sorted(folder.glob("platform=*/bucket=*/*.parquet"))
    return pl.scan_parquet(written).select(pl.len()).collect().item() if written else 0


def _bucket(column: str, buckets: int) -> str:
    """The SQL of the hash bucket of `column`. The count is written into the query, not passed
    as a parameter: as one, it made the COPY of a date's posts markedly slower."""
    return f"(hash({column}) % {int(buckets)})::integer"


def _moved_posts(
    con: duckdb.DuckDBPyConnection, start: date, end: date, buckets: int
) -> pl.DataFrame:
    """int_post_buckets: each bucket of a post whose snapshots name more than one account (none
    with one bucket a platform: nothing to route)."""
    if buckets == 1:
        return pl.DataFrame(schema=dict(platform=pl.String, post_id=pl.String, bucket=pl.Int32))
    return query_frame(
        con,
        "int/int_post_buckets",
        start=start,
        end=end,
        lookback_days=POST_LOOKBACK_DAYS,
        buckets=buckets,
    )


class Prepared(NamedTuple):
    """A chunk's shards that have creators, and the staging rows their inputs hold."""

    shards: list[Shard]
    creator_snapshots: int
    post_snapshots: int


def prepare(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    start: date,
    end: date,
    *,
    buckets: int,
    platforms: list[str] | None = None,
) -> Prepared:
    """Write the inputs of as-of dates [start, end] to `folder`, one scan of each staging table
    for all shards (snapshot dates filtered as the scan reads)."""
    only = "" if platforms is None else " and platform in (select unnest($platforms))"
    params: dict = {"start": start, "end": end}
    if platforms is not None:
        params["platforms"] = platforms
    inputs = folder / "inputs"
    inputs.mkdir()
    shards = buckets * len(platforms or ADAPTERS)
    creator_snapshots = _copy_partitioned(
        con,
        f"select *, {_bucket('account_id', buckets)} as bucket"
        f" from ({sql('int/int_creator_snapshots')}) where true{only}",
        params | {"lookback_days": CREATOR_LOOKBACK_DAYS},
        inputs / "creators",
        shards,
    )
    # a post goes to the bucket of every account its snapshots name, so that its latest
    # snapshot as of each date is in the shard of the creator it counts for: most name
    # one account, and the few others have a row per bucket in int_post_buckets
    post_params = params | {"lookback_days": POST_LOOKBACK_DAYS}
    moved = _moved_posts(con, start, end, buckets)
    bucket, join = _bucket("posts.account_id", buckets), ""
    if moved.height:  # else no join: it costs seconds a date at large sizes
        bucket = f"coalesce(moved.bucket, {bucket})"
        join = " left join moved_posts moved using (platform, post_id)"
    posts = (
        f"select posts.*, {bucket} as bucket from ({sql('int/int_post_snapshots')}) posts{join}"
        f" where true{only}"
    )
    with registered(con, "moved_posts", moved):
        post_snapshots = _copy_partitioned(con, posts, post_params, inputs / "posts", shards)
    shared = folder / "shared"
    shared.mkdir()
    for name, frame in zip(SharedInputs._fields, shared_inputs(con), strict=True):
        frame.write_parquet(shared / f"{name}.parquet")
    con.execute(
        f"copy (select * from ({sql('int/int_post_snapshots')}) limit 0)"
        f" to '{shared / 'no_posts.parquet'}' (format parquet)",
        {"start": start, "end": end, "lookback_days": POST_LOOKBACK_DAYS},
    )
    found = sorted((inputs / "creators").glob("platform=*/bucket=*"))
    computed = [
        Shard(path.parent.name.removeprefix("platform="), int(path.name.split("=")[1]))
        for path in found
    ]
    return Prepared(computed, creator_snapshots, post_snapshots)


def _inputs(folder: Path, entity: str, shard: Shard) -> pl.DataFrame | None:
    files = sorted(
        (folder / "inputs" / entity / f"platform={shard.platform}").glob(
            f"bucket={shard.bucket}/*.parquet"
        )
    )
    if not files:
        return None
    return pl.read_parquet(files, hive_partitioning=False).drop("bucket").rechunk()


def output_files(folder: Path, shards: list[Shard], name: str) -> list[Path]:
    """The `name` Parquet file of each shard's outputs."""
    return [folder / "outputs" / p.name / f"{name}.parquet" for p in shards]


def groups(computed: list[Shard], rows: int) -> list[list[Shard]]:
    """The shards computed together, a task each: all of them when the chunk's inputs (`rows`
    staging rows) are no more than one bucket's (ROWS_PER_BUCKET) and each platform has one
    shard (a nightly's three platforms in one pass: a shard's fixed cost, about 0.1 s, paid
    once), else one a task."""
    platforms = [shard.platform for shard in computed]
    if computed and rows <= ROWS_PER_BUCKET and len(set(platforms)) == len(platforms):
        return [computed]
    return [[shard] for shard in computed]


def compute(folder: Path, group: list[Shard], scheme: TierScheme, start: date, end: date) -> int:
    """creator_daily_metrics of a group of shards' creators (one platform each, or a single
    shard) for as-of dates [start, end], checked against the mart's schema and written to each
    shard's outputs; returns its rows."""
    shared = folder / "shared"
    creators = [frame for s in group if (frame := _inputs(folder, "creators", s)) is not None]
    posts = [frame for s in group if (frame := _inputs(folder, "posts", s)) is not None]
    daily = metrics_of(
        pl.concat(creators),
        pl.concat(posts) if posts else pl.read_parquet(shared / "no_posts.parquet"),
        SharedInputs(
            *(pl.read_parquet(shared / f"{name}.parquet") for name in SharedInputs._fields)
        ),
        scheme,
        start=start,
        end=end,
    )
    metrics = CreatorDailyMetrics.validate(daily.metrics, lazy=True)
    events = AuthenticityEventDays.validate(daily.events.select(EVENT_DAY_COLUMNS), lazy=True)
    outputs = {
        "metrics": metrics,
        "unusable_rate_cards": daily.unusable_rate_cards,
        "events": events,
    }
    for shard in group:
        written = folder / "outputs" / shard.name
        written.mkdir(parents=True, exist_ok=True)
        for name, frame in outputs.items():
            mine = frame.filter(pl.col("platform") == shard.platform) if len(group) > 1 else frame
            mine.write_parquet(written / f"{name}.parquet", compression=COMPRESSION)
    return metrics.height


def metrics_of(
    creator_snapshots: pl.DataFrame,
    post_snapshots: pl.DataFrame,
    shared: SharedInputs,
    scheme: TierScheme,
    *,
    start: date,
    end: date,
) -> DailyMetrics:
    """creator_daily_metrics of as-of dates [start, end] from the int_ queries' rows."""
    return creator_daily_metrics(
        creator_snapshots,
        post_snapshots,
        shared.roster,
        shared.rate_cards.select(
            "platform", "account_id", "price_per_post", "currency", "valid_from"
        ),
        shared.fx_rates,
        tiers=scheme.tiers,
        default_prices=scheme.default_prices,
        low_engagement=scheme.low_engagement,
        min_authenticity=scheme.min_authenticity,
        start=start,
        end=end,
    )
