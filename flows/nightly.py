"""The nightly run: load what is new in the exports, compute and publish marts for one date."""

from datetime import date

from prefect import flow

from creatorlens.errors import CreatorlensError
from creatorlens.settings import Settings, load_settings
from flows.tasks import (
    RunSummary,
    check_publishable,
    check_settings,
    compute_marts,
    current_run_id,
    failed,
    find_latest_snapshot_date,
    load_exports,
    publish_marts,
)


@flow(name="nightly")
def nightly(
    run_date: date | None = None, allow_partial: bool = False, settings: Settings | None = None
) -> RunSummary:
    """Load what is new, then compute and publish marts for `run_date` (default: latest)."""
    try:
        settings = settings or load_settings()
        tier_scheme = check_settings(settings)
        run_id = current_run_id()
        report = load_exports(settings, run_id)
        check_publishable(report, settings, allow_partial)
        as_of_date = run_date or find_latest_snapshot_date(settings)
        if as_of_date is None:
            raise CreatorlensError(
                f"no creator or post snapshots in {settings.exports_dir}; "
                "deliver exports as <platform>/<YYYY-MM-DD>/<entity>.<ext>"
            )
        computed = compute_marts(settings, tier_scheme, as_of_date, as_of_date, run_id)
        published = publish_marts(settings)
    except CreatorlensError as error:
        return failed(error)
    return RunSummary(run_id, as_of_date, as_of_date, report, computed, published)
