"""The flows' publishing steps: the published marts file, the HTML report, and the run's
Prefect artifacts."""

import time
from datetime import date, timedelta
from pathlib import Path

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from creatorlens import runs
from creatorlens.errors import CreatorlensError
from creatorlens.flows.common import IO_RETRIES, warehouse
from creatorlens.publish import html_report, publishing
from creatorlens.publish.run_report import run_report
from creatorlens.settings import Settings
from creatorlens.warehouse import machine_errors


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
    published) under the reports folder, where the newest reports_kept are kept."""
    with machine_errors(settings.reports_dir):
        path = html_report.write_report(
            settings.marts,
            settings.reports_dir,
            as_of,
            run_id[:8],
            warehouse=settings.warehouse,
            kept=settings.reports_kept,
        )
    get_run_logger().info("report: %s", path)
    return path


def report_if_any(settings: Settings, run_id: str) -> Path | None:
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
