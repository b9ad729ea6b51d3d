"""The nightly run: load what is new in the exports, compute and publish marts for one date."""

from datetime import date

from prefect import flow

from creatorlens.errors import CreatorlensError
from creatorlens.reference import TierScheme
from creatorlens.settings import Settings
from flows.tasks import RunSummary, compute_marts, find_latest_snapshot_date, run_pipeline


@flow(name="nightly")
def nightly(
    run_date: date | None = None, allow_partial: bool = False, settings: Settings | None = None
) -> RunSummary:
    """Load what is new, then compute and publish marts for `run_date` (default: latest)."""

    def compute(settings: Settings, tier_scheme: TierScheme, run_id: str) -> tuple[date, date, int]:
        as_of_date = run_date or find_latest_snapshot_date(settings)
        if as_of_date is None:
            raise CreatorlensError(
                f"no creator or post snapshots in {settings.exports_dir}; "
                "deliver exports as <platform>/<YYYY-MM-DD>/<entity>.<ext>"
            )
        return (
            as_of_date,
            as_of_date,
            compute_marts(settings, tier_scheme, as_of_date, as_of_date, run_id),
        )

    parameters = {"run_date": run_date, "allow_partial": allow_partial}
    return run_pipeline("nightly", parameters, settings, allow_partial, compute)
