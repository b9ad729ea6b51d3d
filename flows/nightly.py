"""The nightly run: load what is new in the exports, compute and publish marts for one date,
and recompute every computed date that late or restated data changes."""

from datetime import date

from prefect import flow

from creatorlens.flows.compute import decide_dates
from creatorlens.flows.pipeline import PipelineRun, RunSummary, refresh, run_pipeline
from creatorlens.settings import Settings


@flow(name="nightly", validate_parameters=False)  # run_pipeline checks them, on record
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
    return run_pipeline(nightly, locals(), _steps)


def _steps(run: PipelineRun, given: dict) -> None:
    run_date = given["run_date"]
    refresh(
        run, given["allow_partial"], lambda s: decide_dates(s, run_date, run_date, late_data=True)
    )
