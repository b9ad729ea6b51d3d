"""A run of any flow: the writer lock, its record in ops.runs and its failure path
(`run_pipeline`), and the steps every run takes, in order (`refresh`)."""

import contextlib
import shutil
import signal
import typing
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
from prefect import Flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import TerminationSignal
from prefect.runtime import flow_run
from prefect.states import Cancelled, Failed, State
from pydantic import TypeAdapter, ValidationError

from creatorlens import runs, stopping
from creatorlens.compute.dates import (
    AsOfPlan,
)
from creatorlens.compute.marts import MartRows
from creatorlens.errors import (
    CreatorlensError,
    MachineError,
    RunCancelledError,
    StaleSourcesError,
)
from creatorlens.flows.common import IO_RETRIES, warehouse
from creatorlens.flows.compute import (
    check_shard_runner,
    compute_campaigns,
    compute_marts,
    forget_changes,
    match_briefs,
    scratch_folder,
)
from creatorlens.flows.ingest import check_freshness, check_publishable, load_exports
from creatorlens.flows.publish import publish_marts, report_if_any, report_run, write_report
from creatorlens.ingest.report import LoadReport
from creatorlens.locking import writer_lock
from creatorlens.publish import keeping
from creatorlens.reference import TierScheme
from creatorlens.runs import check_settings
from creatorlens.settings import Settings, load_settings
from creatorlens.warehouse import migrate_warehouse


@dataclass
class RunSummary:
    """What a run did, for people and for the CLI's summary."""

    run_id: str
    flow: str
    start: date
    end: date
    loads: LoadReport
    rows_computed: int
    rows_written: int
    rows_published: int
    platforms: list[str] | None = None
    report: Path | None = None


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def migrate(settings: Settings) -> None:
    """Create the tables and columns a new or older warehouse lacks: once a run, before the
    connections of its steps (which take the tables as they are)."""
    migrate_warehouse(settings.warehouse)


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


def cancelled(run: "PipelineRun", stop: signal.Signals) -> State:
    """Record a run stopped by a signal as cancelled (the interrupted statement rolled back),
    and the Cancelled state that ends it, with the one line a user sees."""
    asked = "SIGTERM" if stop == signal.SIGTERM else "Ctrl-C (SIGINT)"
    error = RunCancelledError(
        f"stopped by {asked}: run {run.id} recorded as cancelled; nothing is half-written, "
        "and the next run goes on from what was loaded and published",
        exit_code=143 if asked == "SIGTERM" else 130,
    )
    end = replace(run.end(error), status="cancelled")
    try:
        with warehouse(run.settings) as con:
            runs.finish_run(con, end)
    except (CreatorlensError, OSError, duckdb.Error) as unrecorded:  # the next run marks it
        get_run_logger().warning("could not record the run as cancelled: %s", unrecorded)
    get_run_logger().warning(str(error))
    return Cancelled(message=str(error), data=error)


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


def run_pipeline(
    flow: Flow, given: dict, steps: Callable[[PipelineRun, dict], None]
) -> RunSummary | State:
    """Run a flow's `steps` with its parameters, holding the writer lock, recorded in ops.runs.

    The flow's parameters (`given`, as a deployment run or a caller passed them) are checked
    here, inside the recorded run: a bad one fails the run with one line in ops.runs, where a
    Prefect check before the flow would leave no record. `steps` get them typed.

    The outcome is the run's summary, or, when a user error stops it, a Failed state with the
    error's one line: recorded in ops.runs and in the published ops copies (so `status` and BI
    see it), the marts as they were, the run's report left as artifacts.
    """
    settings = run_settings(given.get("settings"))
    recorded = {name: value for name, value in given.items() if name != "settings"}
    logger = get_run_logger()

    def waiting() -> None:
        logger.info("waiting for another run to finish writing %s", settings.warehouse)

    with writer_lock(settings.warehouse, on_wait=waiting):
        run_id = str(flow_run.get_id() or uuid.uuid4())
        run = PipelineRun(flow.name, run_id, settings)
        if flow.name == "rebuild":
            set_aside(settings.warehouse)
        for leftover in settings.scratch.glob("run-*"):  # of a run that was killed
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            if flow.name != "rebuild":
                keeping.check_warehouse_holds_published(settings.warehouse, settings.marts)
            migrate(settings)  # once a run: its connections need not
            record_run_start(settings, run.id, flow.name, recorded)
        except CreatorlensError as error:
            logger.error(str(error))
            raise
        try:
            with stopping.stoppable():
                parameters = checked_parameters(flow, recorded)
                run.platforms = parameters.get("platforms")
                run.tier_scheme = check_settings(settings)
                check_shard_runner(settings)
                steps(run, parameters)
        except BaseException as error:
            stop = stopping.asked() or (
                signal.SIGTERM if isinstance(error, TerminationSignal) else None
            )
            if stop or isinstance(error, KeyboardInterrupt):
                # whatever the interrupted code raised (DuckDB wraps a KeyboardInterrupt)
                return cancelled(run, stop or signal.SIGINT)
            if not isinstance(error, CreatorlensError):
                if isinstance(error, Exception):
                    record_run_failed(settings, run.end(error))
                raise
            if isinstance(error, MachineError) or flow.name == "rebuild":
                # nothing more through such a warehouse, or a half-made one: nothing published
                with contextlib.suppress(CreatorlensError):
                    record_run_failed(settings, run.end(error))
                return failed(error)
            record_run_failed(settings, run.end(error))
            publish_marts(settings)  # the marts as they were (or none yet), fresh ops copies
            report_run(settings, run.id, None, report_if_any(settings, run.id))
            return failed(error)
        finally:
            shutil.rmtree(scratch_folder(settings, run.id), ignore_errors=True)
            with contextlib.suppress(OSError):  # gone, or another run's folder in it
                settings.scratch.rmdir()
    if run.stale:
        return failed(
            StaleSourcesError(
                "published, but stale exports (freshness_error_after_days "
                f"{settings.freshness_error_after_days}): " + "; ".join(run.stale),
                run.summary(),
            )
        )
    return run.summary()


def run_settings(given: Settings | dict | None) -> Settings:
    """A run's settings: the worker's environment, overridden by a `settings` parameter (a
    Settings object from the CLI, or a JSON object from a deployment run)."""
    if isinstance(given, Settings):
        return given
    if given is None or isinstance(given, dict):
        return load_settings(**(given or {}))
    raise CreatorlensError(
        f"parameter settings {given!r}: not an object of CREATORLENS_* setting names "
        'without the prefix, such as {"tier_scheme": "hypeauditor"}; leave it empty or fix it'
    )


def checked_parameters(flow: Flow, given: dict) -> dict:
    """The flow's parameters typed as its signature declares them (a deployment run passes
    JSON: dates as text), or a one-line error naming the first bad one."""
    types = typing.get_type_hints(flow.fn)
    checked = {}
    for name, value in given.items():
        try:
            checked[name] = TypeAdapter(types[name]).validate_python(value)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in (name, *problem["loc"]))
            raise CreatorlensError(
                f"parameter {where} {problem['input']!r}: {problem['msg']}; start the run again "
                "with a valid value (dates as YYYY-MM-DD, platforms as a JSON list such as "
                '["tiktok"])'
            ) from None
    return checked


def refresh(run: PipelineRun, allow_partial: bool, decide: Callable[[Settings], AsOfPlan]) -> None:
    """The steps of every run, in order: load what is new in the exports, check it may be
    published, decide the as-of dates (`decide`: a range for a backfill, a date and the dates
    late data changes for a nightly, the published dates for a rebuild), compute them, publish
    the marts, write the report and leave the run's artifacts."""
    settings = run.settings
    run.loads = load_exports(settings, run.id)
    check_publishable(run.loads, settings, allow_partial)
    run.plan = decide(settings)
    run.stale = check_freshness(settings, run.plan.dates[-1])
    ranges = run.plan.ranges()
    for number, (first, last) in enumerate(ranges, start=1):
        rows = compute_marts(
            settings,
            first,
            last,
            run_id=run.id,
            tier_scheme=run.tier_scheme,
            platforms=run.platforms,
        )
        run.computed(rows)
        if len(ranges) > 1:
            get_run_logger().info("computed %d of %d ranges of as-of dates", number, len(ranges))
    forget_changes(settings, run.plan)
    match_briefs(settings, run.plan)
    compute_campaigns(settings, run.tier_scheme, run.id)
    run.published = publish_marts(settings, run.end())
    run.report = write_report(settings, run.plan.dates[-1], run.id)
    report_run(settings, run.id, run.plan.dates[-1], run.report)
