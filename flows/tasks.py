"""The tasks of creatorlens's flows, and the run that wraps them: lock, record, failure path."""

import contextlib
import logging
import shutil
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import duckdb
from prefect import get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.events import emit_event
from prefect.runtime import flow_run
from prefect.states import Failed, State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from creatorlens import runs
from creatorlens.compute import campaigns, marts, shards
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
from creatorlens.errors import CreatorlensError, MachineError, StaleSourcesError
from creatorlens.ingest import changes, freshness, loading
from creatorlens.ingest.loading import LoadReport
from creatorlens.locking import writer_lock
from creatorlens.publish import html_report, publishing
from creatorlens.publish.run_report import run_report
from creatorlens.reference import TierScheme
from creatorlens.runs import RunSummary, check_settings
from creatorlens.settings import Settings, load_settings
from creatorlens.warehouse import machine_errors, migrate_warehouse, open_warehouse


def warehouse(
    settings: Settings, *, loading: bool = False
) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """The run's connection to the warehouse, within the settings' memory limit for loading
    or for the rest."""
    return open_warehouse(settings.warehouse, memory_limit=settings.duckdb_limit(loading=loading))


def is_transient(task, task_run, state) -> bool:
    """Retry a task on I/O errors (a busy disk, a network file system, a DuckDB file another
    process holds for a moment: WarehouseBusyError); never on other user errors or bugs."""
    return isinstance(state.result(raise_on_failure=False), OSError | duckdb.IOException)


IO_RETRIES = {
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_condition_fn": is_transient,
}


class _UserErrorLoggedOnce(logging.Filter):
    """Prefect's engine logs a failed flow's exception once more, with a traceback. A user
    error has been logged as its one line already (`failed`), so that record is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], CreatorlensError))


for _logger in ("prefect.flow_runs", "prefect.engine"):
    logging.getLogger(_logger).addFilter(_UserErrorLoggedOnce())


LISTED_PROBLEMS = 3
"""A failed run's one-line error names this many problems; the run's log has them all."""


def check_publishable(report: LoadReport, settings: Settings, allow_partial: bool) -> None:
    """Stop before publishing when a file was rejected or too many rows were quarantined."""
    problems = report.problems(settings.max_quarantine_share)
    logger = get_run_logger()
    for problem in problems:
        logger.warning(problem)
    listed = "; ".join(problems[:LISTED_PROBLEMS])
    if len(problems) > LISTED_PROBLEMS:
        listed += (
            f"; and {len(problems) - LISTED_PROBLEMS} more"
            " (in the run's log, or list them with `creatorlens validate`)"
        )
    if problems and allow_partial:
        logger.warning("publishing anyway (--allow-partial): %d problem(s)", len(problems))
    elif problems:
        raise CreatorlensError("not published, marts stay at the last good version: " + listed)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def load_exports(settings: Settings, run_id: str) -> LoadReport:
    """Load new and restated export files into the warehouse; record every file."""
    logger = get_run_logger()
    logger.info("loading new and changed files from %s", settings.exports_dir)
    with warehouse(settings, loading=True) as con:
        report = loading.load_exports(
            con,
            settings.exports_dir,
            run_id,
            progress=lambda done, total: logger.info("read %d of %d new files", done, total),
        )
    logger.info(
        "files: %d loaded, %d unchanged, %d rejected; rows: %d read, %d loaded, %d quarantined",
        report.count("loaded"),
        report.count("unchanged"),
        report.count("rejected"),
        report.rows_read,
        report.rows_loaded,
        report.rows_quarantined,
    )
    logger.info("load phases: %s", report.phases)
    return report


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
        pending = changes.pending(con)
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
    published = publishing.published_dates(settings.marts)
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
def check_freshness(settings: Settings, run_date: date) -> list[str]:
    """Compare each platform's latest snapshot date with the run's date: log it, record it in
    ops.freshness, and emit a `creatorlens.source.stale` event for each source past a limit.
    Returns the sources past the error limit, one line each."""
    with warehouse(settings) as con:
        checked = freshness.check(
            con, run_date, settings.freshness_warn_after_days, settings.freshness_error_after_days
        )
    logger = get_run_logger()
    errors = []
    for row in checked.iter_rows(named=True):
        line = freshness.describe(row)
        if row["status"] == "fresh":
            logger.info("fresh: %s", line)
            continue
        if row["status"] == "error":
            logger.error("stale: %s", line)
            errors.append(line)
        else:
            logger.warning("stale: %s", line)
        emit_event(
            event="creatorlens.source.stale",
            resource={
                "prefect.resource.id": f"creatorlens.platform.{row['platform']}",
                "prefect.resource.name": row["platform"],
            },
            payload={
                "entity": row["entity"],
                "latest_snapshot_date": str(row["latest_snapshot_date"]),
                "checked_on": str(row["checked_on"]),
                "days_behind": row["days_behind"],
                "status": row["status"],
            },
        )
    return errors


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def forget_changes(settings: Settings, plan: AsOfPlan) -> None:
    """Clear the recorded changes whose as-of dates the run has recomputed."""
    if plan.changes:
        with warehouse(settings) as con:
            changes.clear(con, plan.changes)


class Chunk(NamedTuple):
    """As-of dates [start, end] prepared for computing: the shards' folder and the
    shards that have creators."""

    folder: Path
    start: date
    end: date
    shards: list[Shard]


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
    return Chunk(folder, start, end, prepared.shards)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def compute_shard(chunk: Chunk, shard: Shard, tier_scheme: TierScheme) -> int:
    """creator_daily_metrics of one shard, from and to Parquet (runs on any worker)."""
    with machine_errors(chunk.folder):
        return shards.compute(chunk.folder, shard, tier_scheme, chunk.start, chunk.end)


def compute_shards(settings: Settings, chunk: Chunk, tier_scheme: TierScheme) -> int:
    """Every shard of a chunk, a task each, on the shard runner; returns the creator
    rows. The runner is entered here, in the flow, rather than given to a subflow: a subflow
    cost about 1.1 s a range, more than computing one as-of date of 9,000 creators."""
    with shard_runner(settings) as runner:
        futures = runner.map(
            compute_shard,
            {
                "chunk": unmapped(chunk),
                "shard": chunk.shards,
                "tier_scheme": unmapped(tier_scheme),
            },
        )
        return sum(futures.result())


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


def compute_marts(run: "PipelineRun", start: date, end: date) -> None:
    """Compute every dated mart for as-of dates [start, end]: prepare the shards, compute
    them where the settings say, write them."""
    get_run_logger().info("computing marts for %s to %s", start, end)
    started = time.perf_counter()
    chunk = prepare_shards(run.settings, start, end, run.id, run.platforms)
    compute_shards(run.settings, chunk, run.tier_scheme)
    rows = write_marts(run.settings, chunk, run.id, run.platforms)
    run.computed(rows)
    get_run_logger().info(
        "computed %d creator rows (%d mart rows) for %s to %s in %.2f s",
        *(rows.creators, rows.written, start, end, time.perf_counter() - started),
    )


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


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def publish_marts(settings: Settings, completing: runs.RunEnd | None = None) -> int:
    """Publish every mart (and the ops tables' copy) atomically to the file BI reads; with
    `completing`, the publish completes that run. Returns the mart rows the file holds."""
    get_run_logger().info("publishing %s", settings.marts)
    started = time.perf_counter()
    with warehouse(settings) as con, machine_errors(settings.marts):
        rows = publishing.publish_marts(
            con,
            settings.marts,
            completing=completing,
            grace=timedelta(hours=settings.publish_grace_hours),
        )
    get_run_logger().info(
        "published %s (%d mart rows) in %.2f s", settings.marts, rows, time.perf_counter() - started
    )
    return rows


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def write_report(settings: Settings, as_of: date | None, run_id: str) -> Path:
    """Write the HTML report of the published marts as of `as_of` (default: the latest
    published) under the reports folder."""
    with machine_errors(settings.reports_dir):
        path = html_report.write_report(
            settings.marts, settings.reports_dir, as_of, run_id[:8], warehouse=settings.warehouse
        )
    get_run_logger().info("report: %s", path)
    return path


def _report_if_any(settings: Settings, run_id: str) -> Path | None:
    """A failed run's report of the marts as they are (its data quality shows the failure);
    none when nothing was ever published."""
    try:
        return write_report(settings, None, run_id)
    except CreatorlensError:
        get_run_logger().info("no report: no as-of date is published yet")
        return None


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def report_run(
    settings: Settings, run_id: str, end: date | None, report: Path | None = None
) -> None:
    """Leave the run's summary (with a link to its HTML report) and its quarantine counts as
    Prefect artifacts."""
    with warehouse(settings) as con:
        markdown, quarantine = run_report(con, run_id, end, report)
    create_markdown_artifact(markdown, key="creatorlens-run-summary", description="creatorlens run")
    create_table_artifact(
        quarantine or [{"file": "", "field": "", "rule": "", "rows": 0}],
        key="creatorlens-quarantine",
        description="rows quarantined in this run, by file, field and rule",
    )


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def record_run_start(settings: Settings, run_id: str, flow: str, parameters: dict) -> None:
    """Record the run in ops.runs as running."""
    with warehouse(settings) as con:
        runs.start_run(con, run_id, flow, parameters)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def record_run_failed(settings: Settings, end: runs.RunEnd) -> None:
    """Record in ops.runs that the run failed, and why."""
    with warehouse(settings) as con:
        runs.finish_run(con, end)


def set_aside(warehouse_path: Path) -> None:
    """Move the warehouse file (and its write-ahead log) aside, renamed with the time, so a
    rebuild starts a new one and nothing of the old is lost."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for path in (warehouse_path, warehouse_path.with_name(warehouse_path.name + ".wal")):
        if path.exists():
            kept = path.with_name(f"{path.name}.replaced-{stamp}")
            path.rename(kept)
            get_run_logger().info("set %s aside as %s", path, kept)


def failed(error: CreatorlensError) -> State:
    """A Failed run state carrying a user error's one-line message, without a traceback."""
    get_run_logger().error(str(error))
    return Failed(message=str(error), data=error)


@dataclass
class PipelineRun:
    """One flow run as it goes: what it loaded, which as-of dates it computed, how it ended."""

    flow: str
    id: str
    settings: Settings
    tier_scheme: TierScheme | None = None
    platforms: list[str] | None = None
    loads: LoadReport | None = None
    plan: AsOfPlan | None = None
    rows: MartRows = field(default_factory=lambda: MartRows(0, 0))
    published: int = 0
    report: Path | None = None
    stale: list[str] = field(default_factory=list)
    """Sources past the freshness error limit: the run publishes, then ends failed."""
    outcome: RunSummary | State | None = None

    def computed(self, rows: MartRows) -> None:
        self.rows = MartRows(self.rows.creators + rows.creators, self.rows.written + rows.written)

    def end(self, error: Exception | None = None) -> runs.RunEnd:
        """How ops.runs records this run: completed, or failed with `error`."""
        first, last = (self.plan.dates[0], self.plan.dates[-1]) if self.plan else (None, None)
        return runs.RunEnd(
            self.id,
            "failed" if error else "completed",
            rows_loaded=self.loads.rows_loaded if self.loads else None,
            rows_quarantined=self.loads.rows_quarantined if self.loads else None,
            failure_reason=str(error) if error else None,
            first_as_of_date=first,
            last_as_of_date=last,
            rows_written=None if error else self.rows.written,
            computed_dates=self.plan.why if self.plan else None,
        )

    def summary(self) -> RunSummary:
        first, last = self.plan.dates[0], self.plan.dates[-1]
        return RunSummary(
            self.id, self.flow, first, last, self.loads, self.rows.creators,
            self.rows.written, self.published, self.platforms, self.report,
        )  # fmt: skip


@contextmanager
def pipeline_run(
    flow: str,
    parameters: dict,
    settings: Settings | None,
    platforms: list[str] | None = None,
) -> Iterator[PipelineRun]:
    """Hold the writer lock and record the run in ops.runs while the body runs its steps.

    The run's outcome is its summary, or, when a user error stops it, a Failed state with the
    error's one line: recorded in ops.runs and in the published ops copies (so `status` and BI
    see it), the marts as they were, the run's report left as artifacts.
    """
    settings = settings or load_settings()
    logger = get_run_logger()

    def waiting() -> None:
        logger.info("waiting for another run to finish writing %s", settings.warehouse)

    with writer_lock(settings.warehouse, on_wait=waiting):
        run_id = str(flow_run.get_id() or uuid.uuid4())
        run = PipelineRun(flow, run_id, settings, platforms=platforms)
        if flow == "rebuild":
            set_aside(settings.warehouse)
        for leftover in settings.scratch.glob("run-*"):  # of a run that was killed
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            if flow != "rebuild":
                publishing.check_warehouse_holds_published(settings.warehouse, settings.marts)
            migrate_warehouse(settings.warehouse)  # once a run: its connections need not
            record_run_start(settings, run.id, flow, parameters)
        except CreatorlensError as error:
            logger.error(str(error))
            raise
        try:
            run.tier_scheme = check_settings(settings)
            yield run
        except CreatorlensError as error:
            if isinstance(error, MachineError) or flow == "rebuild":
                # nothing more through such a warehouse, or a half-made one: nothing published
                with contextlib.suppress(CreatorlensError):
                    record_run_failed(settings, run.end(error))
                run.outcome = failed(error)
                return
            record_run_failed(settings, run.end(error))
            publish_marts(settings)  # the marts as they were (or none yet), fresh ops copies
            report_run(settings, run.id, None, _report_if_any(settings, run.id))
            run.outcome = failed(error)
            return
        except Exception as error:
            record_run_failed(settings, run.end(error))
            raise
        finally:
            shutil.rmtree(scratch_folder(settings, run.id), ignore_errors=True)
            with contextlib.suppress(OSError):  # gone, or another run's folder in it
                settings.scratch.rmdir()
        run.outcome = run.summary()
        if run.stale:
            error = StaleSourcesError(
                "published, but stale exports (freshness_error_after_days "
                f"{settings.freshness_error_after_days}): " + "; ".join(run.stale),
                run.outcome,
            )
            run.outcome = failed(error)
