from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from transforms.followers import latest_creator_snapshots
from transforms.growth import MIN_JUMP, follower_growth, growth_rate, suspicious_growth

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


def drift(days: int = 30, start: int = 5000, jump_on: int | None = None, jump: float = 0.5) -> dict:
    followers, result = float(start), {}
    for ago in range(days - 1, -1, -1):
        followers *= 1.002 if ago % 2 else 0.999
        if ago == jump_on:
            followers *= 1 + jump
        result[ago] = round(followers)
    return result


def flagged(followers_by_day: dict) -> bool | None:
    result = suspicious_growth(series(followers_by_day), D, D)
    return result["suspicious_growth"][0] if result.height else None


def test_a_one_day_jump_far_outside_the_creators_variation_is_suspicious():
    assert flagged(drift(jump_on=10)) is True
    assert flagged(drift()) is False


def test_a_jump_below_the_minimum_is_not_suspicious_however_calm_the_history():
    assert flagged(drift(jump_on=10, jump=MIN_JUMP * 0.8)) is False


def test_only_the_last_30_days_count():
    assert flagged(drift(days=40, jump_on=28)) is True  # from D-29 to D-28: both in [D-29, D]
    assert flagged(drift(days=40, jump_on=29)) is False  # from D-30: the day before is outside


def test_a_steadily_volatile_creator_is_judged_against_its_own_variation():
    volatile = {ago: 1000 * (1.2 if ago % 2 else 1.0) for ago in range(30)}
    assert flagged({k: round(v) for k, v in volatile.items()}) is False


def test_fewer_than_two_counts_cannot_be_judged():
    assert flagged({0: 5000}) is None


@given(
    st.dictionaries(
        st.sampled_from([-2, -1, 0, 28, 29, 30, 31]) | st.integers(min_value=-3, max_value=40),
        st.none() | st.integers(min_value=0, max_value=10_000),
        min_size=1,
        max_size=30,
    )
)
def test_one_as_of_date_gives_what_a_range_gives_on_that_date(followers_by_day):
    """A single as-of date takes a path of its own (no date ranges): its row must be the
    range's row of that date (window edges, hidden and zero counts, later snapshots)."""
    snapshots = series(followers_by_day)
    one = suspicious_growth(snapshots, D, D)
    ranged = suspicious_growth(snapshots, D - timedelta(days=3), D)
    assert_frame_equal(one, ranged.filter(pl.col("as_of_date") == D), check_row_order=False)
