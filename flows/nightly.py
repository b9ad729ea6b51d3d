"""The nightly run: load what is new in the exports, compute and publish marts for one date."""

import uuid
from dataclasses import dataclass
from datetime import date

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Failed, State

from creatorlens import loader, marts, reference
from creatorlens.errors import CreatorlensError
from creatorlens.loader import LoadReport
from creatorlens.reference import TierScheme
from creatorlens.settings import Settings, load_settings
from creatorlens.warehouse import open_warehouse


@dataclass
class RunSummary:
    """What a run did, for people and for the CLI's summary."""

    run_id: str
    as_of_date: date
    loads: LoadReport
    rows_computed: int
    rows_published: int


def check_settings(settings: Settings) -> TierScheme:
    """Fail fast on settings a user must fix; returns the active tier scheme."""
    if not settings.exports_dir.is_dir():
        raise CreatorlensError(
            f"exports folder {settings.exports_dir} does not exist; set CREATORLENS_EXPORTS_DIR "
            "or --exports (or write a sample with `creatorlens demo`)"
        )
    return reference.tier_scheme(settings.tier_scheme)


def check_publishable(report: LoadReport, settings: Settings, allow_partial: bool) -> None:
    """Stop before publishing when a file was rejected or too many rows were quarantined."""
    problems = report.problems(settings.max_quarantine_share)
    if problems and allow_partial:
        get_run_logger().warning("publishing anyway (--allow-partial): %s", "; ".join(problems))
    elif problems:
        raise CreatorlensError(
            "not published, marts stay at the last good version: " + "; ".join(problems)
        )


@task(cache_policy=NO_CACHE)
def load_exports(settings: Settings, run_id: str) -> LoadReport:
    """Load new and restated export files into the warehouse; record every file."""
    with open_warehouse(settings.warehouse) as con:
        report = loader.load_exports(con, settings.exports_dir, run_id)
    get_run_logger().info(
        "files: %d loaded, %d unchanged, %d rejected; rows: %d loaded, %d quarantined",
        report.count("loaded"),
        report.count("unchanged"),
        report.count("rejected"),
        report.rows_loaded,
        report.rows_quarantined,
    )
    return report


@task(cache_policy=NO_CACHE)
def find_latest_snapshot_date(settings: Settings) -> date | None:
    """The latest snapshot date in the warehouse, if any snapshot is loaded."""
    with open_warehouse(settings.warehouse) as con:
        return marts.latest_snapshot_date(con)


@task(cache_policy=NO_CACHE)
def compute_marts(
    settings: Settings, tier_scheme: TierScheme, start: date, end: date, run_id: str
) -> int:
    """Compute the marts for as-of dates [start, end] into the warehouse."""
    with open_warehouse(settings.warehouse) as con:
        return marts.compute_marts(con, tier_scheme, start, end, run_id=run_id)


@task(cache_policy=NO_CACHE)
def publish_marts(settings: Settings) -> int:
    """Publish every mart atomically to the marts file BI reads."""
    with open_warehouse(settings.warehouse) as con:
        return marts.publish_marts(con, settings.marts)


def current_run_id() -> str:
    """The Prefect flow run id, or a fresh id outside Prefect."""
    return str(flow_run.get_id() or uuid.uuid4())


def failed(error: CreatorlensError) -> State:
    """A Failed run state carrying a user error's one-line message, without a traceback."""
    get_run_logger().error(str(error))
    return Failed(message=str(error), data=error)


@flow(name="nightly")
def nightly(
    run_date: date | None = None, allow_partial: bool = False, settings: Settings | None = None
) -> RunSummary:
    """Load what is new, then compute and publish marts for `run_date` (default: latest)."""
    try:
        settings = settings or load_settings()
        tier_scheme = check_settings(settings)
        run_id = current_run_id()
        report = load_exports(settings, run_id)
        check_publishable(report, settings, allow_partial)
        as_of_date = run_date or find_latest_snapshot_date(settings)
        if as_of_date is None:
            raise CreatorlensError(
                f"no creator or post snapshots in {settings.exports_dir}; "
                "deliver exports as <platform>/<YYYY-MM-DD>/<entity>.<ext>"
            )
        computed = compute_marts(settings, tier_scheme, as_of_date, as_of_date, run_id)
        published = publish_marts(settings)
    except CreatorlensError as error:
        return failed(error)
    return RunSummary(run_id, as_of_date, report, computed, published)
