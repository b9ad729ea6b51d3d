"""Tasks shared by the nightly and backfill flows: each does I/O and calls the core."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Failed, State

from creatorlens import loader, marts, reference
from creatorlens.errors import CreatorlensError
from creatorlens.loader import LoadReport
from creatorlens.platforms import ADAPTERS
from creatorlens.reference import TierScheme
from creatorlens.settings import Settings
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
    settings: Settings,
    tier_scheme: TierScheme,
    start: date,
    end: date,
    run_id: str,
    *,
    platforms: list[str] | None = None,
) -> int:
    """Compute the marts for as-of dates [start, end] into the warehouse."""
    with open_warehouse(settings.warehouse) as con:
        rows = marts.compute_marts(con, tier_scheme, start, end, platforms=platforms, run_id=run_id)
    get_run_logger().info("computed %d creator rows for %s to %s", rows, start, end)
    return rows


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
