"""A rebuild: make the warehouse again from the exports folder (the source of truth), and
recompute and publish every as-of date the published marts hold."""

from prefect import flow

from creatorlens.runs import RunSummary
from creatorlens.settings import Settings
from flows.tasks import (
    check_freshness,
    check_publishable,
    compute_campaigns,
    compute_marts,
    decide_published_dates,
    forget_changes,
    load_exports,
    pipeline_run,
    publish_marts,
    report_run,
    write_report,
)


@flow(name="rebuild")
def rebuild(allow_partial: bool = False, settings: Settings | None = None) -> RunSummary:
    """Set the warehouse file aside (a damaged or outdated one is kept beside it), load every
    export file into a new one, then recompute and publish every as-of date the published marts
    hold (the latest snapshot date when nothing is published yet).

    Args:
        allow_partial: Publish even if files were rejected or too many rows were quarantined.
        settings: Overrides of the worker's CREATORLENS_* settings. Leave empty to use the
            worker's environment.
    """
    with pipeline_run("rebuild", {"allow_partial": allow_partial}, settings) as run:
        run.loads = load_exports(run.settings, run.id)
        check_publishable(run.loads, run.settings, allow_partial)
        run.plan = decide_published_dates(run.settings)
        run.stale = check_freshness(run.settings, run.plan.dates[-1])
        for first, last in run.plan.ranges():
            compute_marts(run, first, last)
        forget_changes(run.settings, run.plan)
        compute_campaigns(run.settings, run.tier_scheme, run.id)
        run.published = publish_marts(run.settings, run.end())
        run.report = write_report(run.settings, run.plan.dates[-1], run.id)
        report_run(run.settings, run.id, run.plan.dates[-1], run.report)
    return run.outcome
