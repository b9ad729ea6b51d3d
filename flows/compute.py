"""The flows' computing steps: which as-of dates to compute, and the marts of those dates, shard
by shard on the shard runner."""

import contextlib
import shutil
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from prefect import get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from creatorlens.compute import briefs, campaigns, marts, recompute, shards
from creatorlens.compute.dates import (
    AsOfPlan,
    check_as_of_range,
    consecutive,
    nightly_plan,
    range_plan,
    spans,
)
from creatorlens.compute.marts import MartRows
from creatorlens.compute.shards import Shard
from creatorlens.errors import CreatorlensError
from creatorlens.flows.common import IO_RETRIES, warehouse
from creatorlens.publish import keeping
from creatorlens.reference import TierScheme
from creatorlens.settings import Settings
from creatorlens.warehouse import machine_errors


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def decide_dates(
    settings: Settings,
    start: date | None,
    end: date | None,
    platforms: Sequence[str] | None = None,
    *,
    late_data: bool = False,
) -> AsOfPlan:
    """The as-of dates to compute: [start, end], or the latest snapshot date when not given,
    refused when the loaded snapshots cannot support them; with `late_data`, also every
    computed as-of date that late or restated rows change."""
    with warehouse(settings) as con:
        loaded = marts.snapshot_dates(con, platforms)
        pending = recompute.pending(con)
    if start is None or end is None:
        if not loaded:
            raise CreatorlensError(
                f"no creator or post snapshots in {settings.exports_dir}; "
                "deliver exports as <platform>/<YYYY-MM-DD>/<entity>.<ext>"
            )
        start = end = start or end or loaded[-1]
    check_as_of_range(start, end, loaded)
    if late_data:
        plan = nightly_plan(end, pending)
    else:
        plan = range_plan(start, end, "backfill", None if platforms else pending)
    get_run_logger().info("as-of dates: %s", plan.why)
    return plan


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def decide_published_dates(settings: Settings) -> AsOfPlan:
    """The as-of dates a rebuild recomputes: every one the published marts hold (the latest
    snapshot date loaded when nothing is published), refused whole when the loaded snapshots
    cannot support one of them."""
    with warehouse(settings) as con:
        loaded = marts.snapshot_dates(con)
    published = keeping.published_dates(settings.marts)
    if not loaded:
        raise CreatorlensError(
            f"no creator or post snapshots in {settings.exports_dir}; a rebuild loads the "
            "exports folder: point CREATORLENS_EXPORTS_DIR at the one the marts were made from"
        )
    if not published:
        return AsOfPlan([loaded[-1]], f"{loaded[-1]}: the latest snapshot date (nothing published)")
    for first, last in consecutive(published):
        try:
            check_as_of_range(first, last, loaded)
        except CreatorlensError as error:
            raise CreatorlensError(
                f"the published marts hold as-of dates {spans(published)}, and the exports "
                f"folder {settings.exports_dir} cannot give them all back ({error}); restore "
                "the exports they were made from, or set CREATORLENS_MARTS to a new file"
            ) from None
    plan = AsOfPlan(published, f"{spans(published)}: every published as-of date (rebuild)")
    get_run_logger().info("as-of dates: %s", plan.why)
    return plan


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def forget_changes(settings: Settings, plan: AsOfPlan) -> None:
    """Clear the recorded changes whose as-of dates the run has recomputed."""
    if plan.changes:
        with warehouse(settings) as con:
            recompute.clear(con, plan.changes)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def match_briefs(settings: Settings, plan: AsOfPlan) -> int:
    """Compute marts.brief_matches of the run's dates, and of every computed date that a new
    or restated audience file or briefs.csv reaches; then forget those changes."""
    started = time.perf_counter()
    with warehouse(settings) as con:
        pending = briefs.pending(con)
        reached = pending["as_of_date"].drop_nulls().unique().sort().to_list()
        rows = briefs.compute_brief_matches(con, sorted({*plan.dates, *reached}))
        briefs.clear(con, pending["load_id"].unique().to_list())
    logger = get_run_logger()
    if reached:
        reasons = "; ".join(pending.drop_nulls("as_of_date")["reason"].unique(maintain_order=True))
        logger.info("brief matches also of %s: %s", spans(reached), reasons)
    logger.info("computed %d brief matches in %.2f s", rows, time.perf_counter() - started)
    return rows


class Chunk(NamedTuple):
    """As-of dates [start, end] prepared for computing: the shards' folder and the
    shards that have creators."""

    folder: Path
    start: date
    end: date
    shards: list[Shard]
    rows: int
    """The staging rows the shards' inputs hold."""


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def prepare_shards(
    settings: Settings, start: date, end: date, run_id: str, platforms: list[str] | None
) -> Chunk:
    """Write the inputs of as-of dates [start, end] as Parquet, by shard, under the
    scratch folder (one scan of each staging table)."""
    folder = scratch_folder(settings, run_id) / f"{start}-{end}"
    shutil.rmtree(folder, ignore_errors=True)  # a retry's leftovers
    folder.mkdir(parents=True)
    with warehouse(settings) as con, machine_errors(folder):
        buckets = shards.bucket_count(con, start, end, settings.buckets)
        prepared = shards.prepare(con, folder, start, end, buckets=buckets, platforms=platforms)
    get_run_logger().info(
        "as-of dates %s to %s: %d shards (%d hash buckets a platform) in %s,"
        " reading %d creator and %d post snapshots",
        *(start, end, len(prepared.shards), buckets, folder),
        *(prepared.creator_snapshots, prepared.post_snapshots),
    )
    return Chunk(
        folder, start, end, prepared.shards, prepared.creator_snapshots + prepared.post_snapshots
    )


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def compute_shard(chunk: Chunk, group: list[Shard], tier_scheme: TierScheme) -> int:
    """creator_daily_metrics of a shard (or of a small chunk's shards together: shards.groups),
    from and to Parquet (runs on any worker)."""
    with machine_errors(chunk.folder):
        return shards.compute(chunk.folder, group, tier_scheme, chunk.start, chunk.end)


def compute_shards(settings: Settings, chunk: Chunk, tier_scheme: TierScheme) -> int:
    """Every shard of a chunk, a task each, on the shard runner; returns the creator
    rows. The runner is entered here, in the flow, rather than given to a subflow: a subflow
    cost about 1.1 s a range, more than computing one as-of date of 9,000 creators."""
    with contextlib.ExitStack() as entered:
        try:
            runner = entered.enter_context(shard_runner(settings))
        except OSError as error:  # the scheduler gone since the run checked it
            raise _unreachable(settings.dask_address, error) from None
        futures = runner.map(
            compute_shard,
            {
                "chunk": unmapped(chunk),
                "group": shards.groups(chunk.shards, chunk.rows),
                "tier_scheme": unmapped(tier_scheme),
            },
        )
        return sum(futures.result())


DASK_CONNECT_SECONDS = 5
"""How long a run waits for the Dask scheduler of CREATORLENS_DASK_ADDRESS to answer."""


def check_shard_runner(settings: Settings) -> None:
    """Fail fast, in one line, when the settings name a Dask scheduler that does not answer:
    before loading, not after it, and without Dask's 30 s of retries and tracebacks."""
    if not settings.dask_address:
        return
    from distributed import Client  # noqa: PLC0415 (imports Dask: only when used)

    try:
        Client(settings.dask_address, timeout=DASK_CONNECT_SECONDS).close()
    except (OSError, ValueError) as error:
        raise _unreachable(settings.dask_address, error) from None


def _unreachable(address: str, error: Exception) -> CreatorlensError:
    return CreatorlensError(
        f"CREATORLENS_DASK_ADDRESS {address}: no Dask scheduler answers there ({error}); "
        "start the scheduler, or unset CREATORLENS_DASK_ADDRESS to compute in the run's process"
    )


def shard_runner(settings: Settings) -> TaskRunner:
    """Where shards run: on the Dask scheduler at `dask_address`, else here, one at a
    time (memory stays that of one shard)."""
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner  # noqa: PLC0415 (imports Dask: only when used)

        return DaskTaskRunner(address=settings.dask_address)
    return ThreadPoolTaskRunner(max_workers=1)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def write_marts(
    settings: Settings, chunk: Chunk, run_id: str, platforms: list[str] | None
) -> MartRows:
    """Write the chunk's shards and the rankings and benchmarks made from them into the
    warehouse (one transaction), then remove the chunk's folder."""
    with warehouse(settings) as con:
        rows = marts.write_marts(
            con,
            chunk.folder,
            chunk.shards,
            chunk.start,
            chunk.end,
            platforms=platforms,
            run_id=run_id,
        )
    shutil.rmtree(chunk.folder)
    return rows


def compute_marts(
    settings: Settings,
    start: date,
    end: date,
    *,
    run_id: str,
    tier_scheme: TierScheme,
    platforms: list[str] | None = None,
) -> MartRows:
    """Compute every dated mart for as-of dates [start, end]: prepare the shards, compute
    them where the settings say, write them; returns the rows computed and written."""
    get_run_logger().info("computing marts for %s to %s", start, end)
    started = time.perf_counter()
    chunk = prepare_shards(settings, start, end, run_id, platforms)
    compute_shards(settings, chunk, tier_scheme)
    rows = write_marts(settings, chunk, run_id, platforms)
    get_run_logger().info(
        "computed %d creator rows (%d mart rows) for %s to %s in %.2f s",
        *(rows.creators, rows.written, start, end, time.perf_counter() - started),
    )
    return rows


def scratch_folder(settings: Settings, run_id: str) -> Path:
    """The run's own folder under the scratch folder, as an absolute path (workers elsewhere
    read it)."""
    return settings.scratch.resolve() / f"run-{run_id}"


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def compute_campaigns(settings: Settings, tier_scheme: TierScheme, run_id: str) -> int:
    """Compute the campaign marts whole into the warehouse (they are small, and depend on
    results, fees, posts, FX and the tiers at each start)."""
    started = time.perf_counter()
    with warehouse(settings) as con:
        rows = campaigns.compute_campaigns(con, tier_scheme, run_id)
    get_run_logger().info(
        "computed the campaign marts: %d campaign creators in %.2f s",
        rows,
        time.perf_counter() - started,
    )
    return rows
