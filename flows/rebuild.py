"""A rebuild: make the warehouse again from the exports folder (the source of truth), and
recompute and publish every as-of date the published marts hold."""

from prefect import flow

from creatorlens.flows.compute import decide_published_dates
from creatorlens.flows.pipeline import RunSummary, refresh, run_pipeline
from creatorlens.settings import Settings


@flow(name="rebuild", validate_parameters=False)  # run_pipeline checks them, on record
def rebuild(allow_partial: bool = False, settings: Settings | None = None) -> RunSummary:
    """Set the warehouse file aside (a damaged or outdated one is kept beside it), load every
    export file into a new one, then recompute and publish every as-of date the published marts
    hold (the latest snapshot date when nothing is published yet).

    Args:
        allow_partial: Publish even if files were rejected or too many rows were quarantined.
        settings: Overrides of the worker's CREATORLENS_* settings. Leave empty to use the
            worker's environment.
    """
    return run_pipeline(
        rebuild,
        locals(),
        lambda run, given: refresh(run, given["allow_partial"], decide_published_dates),
    )
