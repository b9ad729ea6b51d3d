"""A backfill: load what is new, then recompute and publish every as-of date of a range."""

from datetime import date

from prefect import flow

from creatorlens.flows.compute import decide_dates
from creatorlens.flows.pipeline import PipelineRun, RunSummary, refresh, run_pipeline
from creatorlens.runs import check_platforms, check_range
from creatorlens.schemas.platforms import Platform
from creatorlens.settings import Settings


@flow(name="backfill", validate_parameters=False)  # run_pipeline checks them, on record
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
    return run_pipeline(backfill, locals(), _steps)


def _steps(run: PipelineRun, given: dict) -> None:
    start, end, platforms = given["start"], given["end"], given["platforms"]
    check_range(start, end)
    check_platforms(platforms)
    refresh(run, given["allow_partial"], lambda s: decide_dates(s, start, end, platforms))
