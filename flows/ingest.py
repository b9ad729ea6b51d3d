"""The flows' loading steps: load the exports, check what may be published, and how fresh each
source is."""

from datetime import date

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.events import emit_event

from creatorlens.errors import CreatorlensError
from creatorlens.flows.common import IO_RETRIES, warehouse
from creatorlens.ingest import freshness, loading
from creatorlens.ingest.report import LoadReport
from creatorlens.settings import Settings

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
