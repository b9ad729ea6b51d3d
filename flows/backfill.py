"""A backfill: load what is new, then recompute and publish every as-of date of a range."""

from datetime import date, timedelta

from prefect import flow, get_run_logger

from creatorlens.errors import CreatorlensError
from creatorlens.reference import TierScheme
from creatorlens.settings import Settings
from flows.tasks import RunSummary, check_platforms, compute_marts, failed, run_pipeline

CHUNK_DAYS = 31
"""As-of dates computed together in one bulk step (bounded memory, one query set per chunk)."""


def chunks(start: date, end: date, days: int = CHUNK_DAYS) -> list[tuple[date, date]]:
    """[start, end] cut into consecutive ranges of at most `days` dates."""
    ranges = []
    while start <= end:
        last = min(end, start + timedelta(days=days - 1))
        ranges.append((start, last))
        start = last + timedelta(days=1)
    return ranges


@flow(name="backfill")
def backfill(
    start: date,
    end: date,
    platforms: list[str] | None = None,
    allow_partial: bool = False,
    settings: Settings | None = None,
) -> RunSummary:
    """Load what is new, then recompute and publish every as-of date in [start, end]."""
    try:
        if start > end:
            raise CreatorlensError(f"start {start} is after end {end}; give --start <= --end")
        check_platforms(platforms)
    except CreatorlensError as error:
        return failed(error)

    def compute(settings: Settings, tier_scheme: TierScheme, run_id: str) -> tuple[date, date, int]:
        ranges = chunks(start, end)
        computed = 0
        for number, (first, last) in enumerate(ranges, start=1):
            computed += compute_marts(
                settings, tier_scheme, first, last, run_id, platforms=platforms
            )
            get_run_logger().info(
                "backfill: %d of %d chunks done (%s to %s)", number, len(ranges), first, last
            )
        return start, end, computed

    parameters = {
        "start": start,
        "end": end,
        "platforms": platforms,
        "allow_partial": allow_partial,
    }
    return run_pipeline("backfill", parameters, settings, allow_partial, compute)
