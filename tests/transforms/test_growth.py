from datetime import date, timedelta

import polars as pl
import pytest

from creatorlens.transforms.followers import latest_creator_snapshots
from creatorlens.transforms.growth import follower_growth, growth_rate

D = date(2026, 3, 31)


def series(followers_by_day: dict[int, int | None], account_id: str = "a") -> pl.DataFrame:
    """Snapshots of one creator: {days before D: followers}."""
    return pl.DataFrame(
        [
            {"platform": "tiktok", "account_id": account_id, "snapshot_date": D - timedelta(days=ago),
             "handle": account_id, "followers": f}
            for ago, f in followers_by_day.items()
        ],
        schema_overrides={"followers": pl.Int64},
    )  # fmt: skip


def growth(followers_by_day: dict[int, int | None]) -> float | None:
    snapshots = series(followers_by_day)
    now = latest_creator_snapshots(snapshots, D, D)
    both = now.join(
        follower_growth(snapshots, D, D), on=["as_of_date", "platform", "account_id"], how="left"
    )
    return both.select(growth_rate(pl.col("followers"), pl.col("followers_30d_ago")).alias("g"))[
        "g"
    ][0]


def test_growth_compares_with_followers_as_of_d_minus_30_with_its_staleness_window():
    assert growth({0: 1200, 30: 1000}) == pytest.approx(0.2)
    assert growth({0: 1200, 36: 1000}) == pytest.approx(0.2)  # D-36 still serves D-30
    assert growth({0: 1200, 37: 1000}) is None  # too stale
    assert growth({0: 1200, 30: 0}) is None
    assert growth({0: 1200, 30: None}) is None
