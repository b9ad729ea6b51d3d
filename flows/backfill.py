"""A backfill: load what is new, then recompute and publish every as-of date of a range."""

from datetime import date

from prefect import flow

from creatorlens.flows.compute import decide_dates
from creatorlens.flows.pipeline import RunSummary, pipeline_run, refresh
from creatorlens.runs import check_platforms, check_range
from creatorlens.schemas.platforms import Platform
from creatorlens.settings import Settings


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
        refresh(run, allow_partial, lambda s: decide_dates(s, start, end, platforms))
    return run.outcome
