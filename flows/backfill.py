"""A backfill: load what is new, then recompute and publish every as-of date of a range."""

from datetime import date

from prefect import flow, get_run_logger

from creatorlens.runs import RunSummary, check_platforms, check_range
from creatorlens.settings import Settings
from flows.tasks import (
    check_freshness,
    check_publishable,
    compute_campaigns,
    compute_marts,
    decide_dates,
    forget_changes,
    load_exports,
    pipeline_run,
    publish_marts,
    report_run,
    write_report,
)
from schemas.platforms import Platform


@flow(name="backfill")
def backfill(
    start: date,
    end: date,
    platforms: list[Platform] | None = None,
    allow_partial: bool = False,
    settings: Settings | None = None,
) -> RunSummary:
    """Load what is new in the exports, then recompute and publish every as-of date from
    start to end (inclusive).

    Args:
        start: The first as-of date (UTC) to recompute, on or after the first snapshot loaded.
        end: The last as-of date (UTC) to recompute, on or before the latest snapshot loaded.
        platforms: Only these platforms, as a JSON list such as ["tiktok"]. Empty: all.
        allow_partial: Publish even if files were rejected or too many rows were quarantined.
        settings: Overrides of the worker's CREATORLENS_* settings (paths, tier scheme,
            quarantine share). Leave empty to use the worker's environment.
    """
    parameters = {
        "start": start,
        "end": end,
        "platforms": platforms,
        "allow_partial": allow_partial,
    }
    with pipeline_run("backfill", parameters, settings, platforms) as run:
        check_range(start, end)
        check_platforms(platforms)
        run.loads = load_exports(run.settings, run.id)
        check_publishable(run.loads, run.settings, allow_partial)
        run.plan = decide_dates(run.settings, start, end, platforms)
        run.stale = check_freshness(run.settings, run.plan.dates[-1])
        ranges = run.plan.ranges()
        for number, (first, last) in enumerate(ranges, start=1):
            compute_marts(run, first, last)
            get_run_logger().info("backfill: %d of %d chunks done", number, len(ranges))
        forget_changes(run.settings, run.plan)
        compute_campaigns(run.settings, run.tier_scheme, run.id)
        run.published = publish_marts(run.settings, run.end())
        run.report = write_report(run.settings, run.plan.dates[-1], run.id)
        report_run(run.settings, run.id, end)
    return run.outcome
