"""creator_daily_metrics by partition: a platform and a hash bucket of account_id.

Everything in creator_daily_metrics is one creator's own (its snapshots, posts, rate cards), so
a chunk of as-of dates is computed one partition at a time, and memory follows the size of a
partition, not the number of creators. The partitions pass as Parquet in a folder:

    <folder>/inputs/{creators,posts}.parquet                    (one scan of staging each)
    <folder>/reference/{roster,rate_cards,fx_rates}.parquet     (small, shared)
    <folder>/outputs/<p>-<b>/{metrics,unusable_rate_cards}.parquet

An input file holds its rows in partition order (platform, bucket), so that a partition's
reader skips the other partitions' row groups by their statistics.

`prepare` writes the inputs from the warehouse, `compute` is a pure function of a partition's
files (it runs wherever the flow's task runner puts it), and the single writer reads the outputs
back into the warehouse (creatorlens.marts).
"""

import math
from datetime import date
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from creatorlens.reference import TierScheme
from creatorlens.warehouse import query_frame, sql
from schemas.marts import CreatorDailyMetrics
from transforms.metrics import (
    CREATOR_LOOKBACK_DAYS,
    POST_LOOKBACK_DAYS,
    DailyMetrics,
    creator_daily_metrics,
)

ROWS_PER_BUCKET = 2_000_000
"""With no bucket count set, each platform gets one bucket per this many staging rows that its
partitions read (of the platform that reads the most), so a partition holds about this many:
a chunk of 31 as-of dates at 100,000 creators a platform gets 17 buckets a platform, one date
5 (it reads about a third of the rows)."""


class Reference(NamedTuple):
    """The small tables every partition reads whole (the int_ queries of the same names)."""

    roster: pl.DataFrame
    rate_cards: pl.DataFrame
    fx_rates: pl.DataFrame


def reference(con: duckdb.DuckDBPyConnection) -> Reference:
    """The warehouse's roster, rate cards and FX rates."""
    return Reference(*(query_frame(con, f"int/int_{name}") for name in Reference._fields))


class Partition(NamedTuple):
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
        "int/int_partition_rows",
        start=start,
        end=end,
        creator_lookback_days=CREATOR_LOOKBACK_DAYS,
        post_lookback_days=POST_LOOKBACK_DAYS,
    )["snapshots"]
    return max(1, math.ceil((rows.max() or 0) / per_bucket))


def _copy_in_partition_order(
    con: duckdb.DuckDBPyConnection, query: str, params: dict, path: Path
) -> int:
    """Write the query's rows to one Parquet file in partition order; returns how many.

    Sorting as it writes took 17.6 s for the posts of one date at 100,000 creators a
    platform, against 24.7 s for writing them to one file and splitting that into a file per
    partition (which was itself four times faster than a partitioned COPY of the query); the
    21 partitions then read their rows in 0.7 s in all."""
    written = con.execute(
        f"copy ({query} order by platform, bucket) to '{path}' (format parquet)", params
    ).fetchall()
    return written[0][0]


class Prepared(NamedTuple):
    """A chunk's partitions that have creators, and the staging rows their inputs hold."""

    partitions: list[Partition]
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
    for all partitions (snapshot dates filtered as the scan reads)."""
    only = "" if platforms is None else " and platform in (select unnest($platforms))"
    params: dict = {"start": start, "end": end, "buckets": buckets}
    if platforms is not None:
        params["platforms"] = platforms
    inputs = folder / "inputs"
    inputs.mkdir()
    creator_snapshots = _copy_in_partition_order(
        con,
        f"select *, (hash(account_id) % $buckets)::integer as bucket"
        f" from ({sql('int/int_creator_snapshots')}) where true{only}",
        params | {"lookback_days": CREATOR_LOOKBACK_DAYS},
        inputs / "creators.parquet",
    )
    # a post goes to the bucket of every account its snapshots name, so that its latest
    # snapshot as of each date is in the partition of the creator it counts for: most name
    # one account, and the few others have a row per bucket in int_post_buckets
    posts = (
        "select posts.*, coalesce(moved.bucket,"
        " (hash(posts.account_id) % $buckets)::integer) as bucket"
        f" from ({sql('int/int_post_snapshots')}) posts"
        f" left join ({sql('int/int_post_buckets')}) moved using (platform, post_id)"
        f" where true{only}"
    )
    post_params = params | {"lookback_days": POST_LOOKBACK_DAYS}
    if buckets == 1:  # one bucket a platform: nothing to route
        posts = f"select *, 0 as bucket from ({sql('int/int_post_snapshots')}) where true{only}"
        del post_params["buckets"]
    post_snapshots = _copy_in_partition_order(con, posts, post_params, inputs / "posts.parquet")
    shared = folder / "reference"
    shared.mkdir()
    for name, frame in zip(Reference._fields, reference(con), strict=True):
        frame.write_parquet(shared / f"{name}.parquet")
    found = (
        pl.scan_parquet(inputs / "creators.parquet")
        .select("platform", "bucket")
        .unique()
        .sort("platform", "bucket")
        .collect()
    )
    computed = [Partition(*row) for row in found.iter_rows()]
    return Prepared(computed, creator_snapshots, post_snapshots)


def _inputs(folder: Path, entity: str, partition: Partition) -> pl.DataFrame:
    """A partition's rows of an input file (the file's other row groups are skipped)."""
    rows = pl.scan_parquet(folder / "inputs" / f"{entity}.parquet").filter(
        (pl.col("platform") == partition.platform) & (pl.col("bucket") == partition.bucket)
    )
    return rows.drop("bucket").collect()


def output_files(folder: Path, partitions: list[Partition], name: str) -> list[Path]:
    """The `name` Parquet file of each partition's outputs."""
    return [folder / "outputs" / p.name / f"{name}.parquet" for p in partitions]


def compute(folder: Path, partition: Partition, scheme: TierScheme, start: date, end: date) -> int:
    """creator_daily_metrics of one partition's creators for as-of dates [start, end], checked
    against the mart's schema and written to the partition's outputs; returns its rows."""
    shared = folder / "reference"
    daily = metrics_of(
        _inputs(folder, "creators", partition),
        _inputs(folder, "posts", partition),
        Reference(*(pl.read_parquet(shared / f"{name}.parquet") for name in Reference._fields)),
        scheme,
        start=start,
        end=end,
    )
    metrics = CreatorDailyMetrics.validate(daily.metrics, lazy=True)
    outputs = folder / "outputs" / partition.name
    outputs.mkdir(parents=True, exist_ok=True)
    metrics.write_parquet(outputs / "metrics.parquet")
    daily.unusable_rate_cards.write_parquet(outputs / "unusable_rate_cards.parquet")
    return metrics.height


def metrics_of(
    creator_snapshots: pl.DataFrame,
    post_snapshots: pl.DataFrame,
    shared: Reference,
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
        start=start,
        end=end,
    )
