"""The nightly run: load what is new in the exports, compute and publish marts for one date,
and recompute every computed date that late or restated data changes."""

from datetime import date

from prefect import flow

from creatorlens.runs import RunSummary
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


@flow(name="nightly")
def nightly(
    run_date: date | None = None, allow_partial: bool = False, settings: Settings | None = None
) -> RunSummary:
    """Load what is new in the exports, then compute and publish the marts for one as-of date
    and for every already-computed as-of date that late or restated rows change.

    Args:
        run_date: The as-of date (UTC) to compute, on or before the latest snapshot date
            loaded. Empty: the latest snapshot date loaded.
        allow_partial: Publish even if files were rejected or too many rows were quarantined.
        settings: Overrides of the worker's CREATORLENS_* settings (paths, tier scheme,
            quarantine share). Leave empty to use the worker's environment.
    """
    parameters = {"run_date": run_date, "allow_partial": allow_partial}
    with pipeline_run("nightly", parameters, settings) as run:
        run.loads = load_exports(run.settings, run.id)
        check_publishable(run.loads, run.settings, allow_partial)
        run.plan = decide_dates(run.settings, run_date, run_date, late_data=True)
        run.stale = check_freshness(run.settings, run.plan.dates[-1])
        for first, last in run.plan.ranges():
            compute_marts(run, first, last)
        forget_changes(run.settings, run.plan)
        compute_campaigns(run.settings, run.tier_scheme, run.id)
        run.published = publish_marts(run.settings, run.end())
        run.report = write_report(run.settings, run.plan.dates[-1], run.id)
        report_run(run.settings, run.id, run.plan.dates[-1], run.report)
    return run.outcome
