"""Tasks shared by the nightly and backfill flows, and the run both flows make of them."""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Failed, State
from prefect.tasks import exponential_backoff

from creatorlens import loader, marts, reference, runs
from creatorlens.errors import CreatorlensError
from creatorlens.loader import LoadReport
from creatorlens.locking import writer_lock
from creatorlens.platforms import ADAPTERS
from creatorlens.reference import TierScheme
from creatorlens.report import run_report
from creatorlens.settings import Settings, load_settings
from creatorlens.warehouse import open_warehouse


@dataclass
class RunSummary:
    """What a run did, for people and for the CLI's summary."""

    run_id: str
    start: date
    end: date
    loads: LoadReport
    rows_computed: int
    rows_published: int


def is_transient(task, task_run, state) -> bool:
    """Retry a task on I/O errors (a busy disk, a network file system, a DuckDB file another
    process holds for a moment: WarehouseBusyError); never on other user errors or bugs."""
    return isinstance(state.result(raise_on_failure=False), OSError | duckdb.IOException)


IO_RETRIES = {
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_condition_fn": is_transient,
}


def check_settings(settings: Settings) -> TierScheme:
    """Fail fast on settings a user must fix; returns the active tier scheme."""
    if not settings.exports_dir.is_dir():
        raise CreatorlensError(
            f"exports folder {settings.exports_dir} does not exist; set CREATORLENS_EXPORTS_DIR "
            "or --exports (or write a sample with `creatorlens demo`)"
        )
    return reference.tier_scheme(settings.tier_scheme)


def check_platforms(platforms: Sequence[str] | None) -> None:
    """Fail fast on a platform name creatorlens has no adapter for."""
    unknown = sorted(set(platforms or ()) - set(ADAPTERS))
    if unknown:
        known = ", ".join(sorted(ADAPTERS))
        raise CreatorlensError(f"platforms: unknown {', '.join(unknown)}; use {known}")


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
    with open_warehouse(settings.warehouse) as con:
        report = loader.load_exports(
            con,
            settings.exports_dir,
            run_id,
            progress=lambda done, total: logger.info("read %d of %d files", done, total),
        )
    logger.info(
        "files: %d loaded, %d unchanged, %d rejected; rows: %d loaded, %d quarantined",
        report.count("loaded"),
        report.count("unchanged"),
        report.count("rejected"),
        report.rows_loaded,
        report.rows_quarantined,
    )
    return report


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def find_latest_snapshot_date(settings: Settings) -> date | None:
    """The latest snapshot date in the warehouse, if any snapshot is loaded."""
    with open_warehouse(settings.warehouse) as con:
        return marts.latest_snapshot_date(con)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def compute_marts(
    settings: Settings,
    tier_scheme: TierScheme,
    start: date,
    end: date,
    run_id: str,
    *,
    platforms: list[str] | None = None,
) -> int:
    """Compute the marts for as-of dates [start, end] into the warehouse."""
    get_run_logger().info("computing marts for %s to %s", start, end)
    with open_warehouse(settings.warehouse) as con:
        rows = marts.compute_marts(con, tier_scheme, start, end, platforms=platforms, run_id=run_id)
    get_run_logger().info("computed %d creator rows for %s to %s", rows, start, end)
    return rows


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def record_run_start(settings: Settings, run_id: str, flow: str, parameters: dict) -> None:
    """Record the run in ops.runs as running."""
    with open_warehouse(settings.warehouse) as con:
        runs.start_run(con, run_id, flow, parameters)


def _run_end(
    run_id: str, report: LoadReport | None, error: Exception | None, rows: int | None = None
) -> runs.RunEnd:
    return runs.RunEnd(
        run_id,
        "failed" if error else "completed",
        rows_loaded=report.rows_loaded if report else None,
        rows_quarantined=report.rows_quarantined if report else None,
        rows_published=rows,
        failure_reason=str(error) if error else None,
    )


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def record_run_failed(
    settings: Settings, run_id: str, report: LoadReport | None, error: Exception
) -> None:
    """Record in ops.runs that the run failed, and why."""
    with open_warehouse(settings.warehouse) as con:
        runs.finish_run(con, _run_end(run_id, report, error))


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def publish_marts(
    settings: Settings, run_id: str | None = None, report: LoadReport | None = None
) -> int:
    """Publish every mart (and the ops tables' copy) atomically to the file BI reads; with
    `run_id`, the publish completes that run. Returns the mart rows published."""
    get_run_logger().info("publishing %s", settings.marts)
    with open_warehouse(settings.warehouse) as con:
        rows = marts.rows_to_publish(con)
        completing = _run_end(run_id, report, None, rows) if run_id else None
        return marts.publish_marts(con, settings.marts, completing=completing)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def report_run(settings: Settings, run_id: str, end: date | None) -> None:
    """Leave the run's summary and its quarantine counts as Prefect artifacts."""
    with open_warehouse(settings.warehouse) as con:
        markdown, quarantine = run_report(con, run_id, end)
    create_markdown_artifact(markdown, key="creatorlens-run-summary", description="creatorlens run")
    create_table_artifact(
        quarantine or [{"file": "", "field": "", "rule": "", "rows": 0}],
        key="creatorlens-quarantine",
        description="rows quarantined in this run, by file, field and rule",
    )


def current_run_id() -> str:
    """The Prefect flow run id, or a fresh id outside Prefect."""
    return str(flow_run.get_id() or uuid.uuid4())


def failed(error: CreatorlensError) -> State:
    """A Failed run state carrying a user error's one-line message, without a traceback."""
    get_run_logger().error(str(error))
    return Failed(message=str(error), data=error)


Compute = Callable[[Settings, TierScheme, str], tuple[date, date, int]]


def run_pipeline(
    flow: str, parameters: dict, settings: Settings | None, allow_partial: bool, compute: Compute
) -> RunSummary | State:
    """The run every flow makes: hold the writer lock, record the run, load, check, compute,
    publish, report. A user error ends the run Failed with its one line; the marts stay as
    they were, and the published ops tables show the failure."""
    try:
        settings = settings or load_settings()
        tier_scheme = check_settings(settings)
    except CreatorlensError as error:
        return failed(error)
    logger = get_run_logger()

    def waiting() -> None:
        logger.info("waiting for another run to finish writing %s", settings.warehouse)

    with writer_lock(settings.warehouse, on_wait=waiting):
        run_id = current_run_id()
        try:
            record_run_start(settings, run_id, flow, parameters)
        except CreatorlensError as error:
            return failed(error)
        report, end = None, None
        try:
            report = load_exports(settings, run_id)
            check_publishable(report, settings, allow_partial)
            start, end, computed = compute(settings, tier_scheme, run_id)
        except CreatorlensError as error:
            record_run_failed(settings, run_id, report, error)
            if settings.marts.exists():  # same marts, fresh ops tables
                publish_marts(settings)
            report_run(settings, run_id, end)
            return failed(error)
        try:
            published = publish_marts(settings, run_id, report)
        except Exception as error:
            record_run_failed(settings, run_id, report, error)
            raise
        report_run(settings, run_id, end)
    return RunSummary(run_id, start, end, report, computed, published)
