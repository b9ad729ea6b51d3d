"""A backfill: load what is new, then recompute and publish every as-of date of a range."""

from datetime import date, timedelta

from prefect import flow

from creatorlens.errors import CreatorlensError
from creatorlens.settings import Settings, load_settings
from flows.tasks import (
    RunSummary,
    check_platforms,
    check_publishable,
    check_settings,
    compute_marts,
    current_run_id,
    failed,
    load_exports,
    publish_marts,
)

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
        settings = settings or load_settings()
        tier_scheme = check_settings(settings)
        run_id = current_run_id()
        report = load_exports(settings, run_id)
        check_publishable(report, settings, allow_partial)
        computed = sum(
            compute_marts(settings, tier_scheme, first, last, run_id, platforms=platforms)
            for first, last in chunks(start, end)
        )
        published = publish_marts(settings)
    except CreatorlensError as error:
        return failed(error)
    return RunSummary(run_id, start, end, report, computed, published)
