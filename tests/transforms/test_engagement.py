from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from creatorlens.transforms.engagement import latest_post_snapshots, window_metrics

D = date(2026, 3, 10)
COUNTS = ("likes", "comments", "shares", "saves", "views")


def post_snapshots(*rows: dict) -> pl.DataFrame:
    """Post snapshot rows; unspecified counts are null (the platform left them out)."""
    base = {"platform": "instagram", "account_id": "a", **dict.fromkeys(COUNTS)}
    return pl.DataFrame(
        [{**base, **row} for row in rows], schema_overrides=dict.fromkeys(COUNTS, pl.Int64)
    )


def snap(post_id: str, published: date, snapshot: date, **counts: int) -> dict:
    return {"post_id": post_id, "published_date": published, "snapshot_date": snapshot, **counts}


def creators(followers: int | None, account_id: str = "a") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "as_of_date": [D],
            "platform": ["instagram"],
            "account_id": [account_id],
            "followers": [followers],
        },
        schema_overrides={"followers": pl.Int64},
    )


def metrics(followers: int | None, *rows: dict) -> dict:
    posts = latest_post_snapshots(post_snapshots(*rows), D, D)
    return window_metrics(creators(followers), posts).row(0, named=True)


def test_latest_snapshot_on_or_before_d_is_used_and_later_ones_ignored():
    posts = latest_post_snapshots(
        post_snapshots(
            snap("p", D - timedelta(days=3), D - timedelta(days=3), likes=10),
            snap("p", D - timedelta(days=3), D - timedelta(days=1), likes=50),
            snap("p", D - timedelta(days=3), D + timedelta(days=1), likes=90),
        ),
        D,
        D,
    )
    assert posts["engagements"].to_list() == [50]


def test_an_old_snapshot_still_counts_after_the_post_leaves_the_exports():
    posts = latest_post_snapshots(
        post_snapshots(snap("p", date(2026, 2, 1), date(2026, 2, 14), likes=70)), D, D
    )
    assert posts["engagements"].to_list() == [70]


def test_missing_engagement_fields_count_zero():
    row = metrics(1000, snap("p", D, D, likes=5, comments=None, shares=None, saves=3))
    assert row["engagements_30d"] == 8


@pytest.mark.parametrize(("window", "days"), [(7, 7), (30, 30), (90, 90)])
def test_window_includes_d_minus_w_plus_1_and_d_and_excludes_d_minus_w(window, days):
    row = metrics(
        1000,
        snap("first_day", D - timedelta(days=days - 1), D, likes=1),
        snap("as_of_day", D, D, likes=1),
        snap("day_before_window", D - timedelta(days=days), D, likes=1),
    )
    assert row[f"posts_{window}d"] == 2


def test_rates_follow_the_definitions():
    row = metrics(
        2000,
        snap("p1", D, D, likes=50, comments=10),
        snap("p2", D - timedelta(days=6), D, likes=100, comments=20, shares=5, saves=5, views=1000),
        snap("p3", D - timedelta(days=29), D, likes=40),
        snap("p4", D - timedelta(days=30), D, likes=10),
    )
    assert (row["posts_7d"], row["posts_30d"], row["posts_90d"]) == (2, 3, 4)
    assert row["engagements_30d"] == 230
    assert row["engagement_rate_7d"] == pytest.approx(190 / (2 * 2000))
    assert row["engagement_rate_30d"] == pytest.approx(230 / (3 * 2000))
    assert row["engagement_rate_90d"] == pytest.approx(240 / (4 * 2000))
    assert row["median_post_engagement_rate_30d"] == pytest.approx(60 / 2000)
    assert row["view_engagement_rate_30d"] == pytest.approx(130 / 1000)


def test_median_is_continuous_for_an_even_count():
    row = metrics(1000, snap("p1", D, D, likes=10), snap("p2", D, D, likes=30))
    assert row["median_post_engagement_rate_30d"] == pytest.approx(0.02)


@pytest.mark.parametrize("followers", [0, None])
def test_zero_or_unknown_followers_give_null_rates(followers):
    row = metrics(followers, snap("p1", D, D, likes=10, views=100))
    assert row["posts_30d"] == 1
    assert row["engagement_rate_30d"] is None
    assert row["median_post_engagement_rate_30d"] is None
    assert row["view_engagement_rate_30d"] == pytest.approx(0.1)


def test_no_posts_gives_zero_counts_and_null_rates():
    row = metrics(1000, snap("p_other", D, D, likes=1) | {"account_id": "someone_else"})
    assert (row["posts_30d"], row["engagements_30d"]) == (0, 0)
    assert row["engagement_rate_7d"] is None
    assert row["view_engagement_rate_30d"] is None


def test_view_rate_uses_only_posts_with_views_and_is_null_when_views_sum_to_zero():
    with_views = metrics(1000, snap("p1", D, D, likes=10, views=200), snap("p2", D, D, likes=90))
    assert with_views["view_engagement_rate_30d"] == pytest.approx(10 / 200)
    zero_views = metrics(1000, snap("p1", D, D, likes=10, views=0))
    assert zero_views["view_engagement_rate_30d"] is None


day_offsets = st.sampled_from([-91, -90, -89, -1, 0, 1]) | st.integers(min_value=-100, max_value=3)
"""Days from D, the window's edges often."""
snapshot_rows = st.lists(
    st.tuples(
        st.sampled_from(["p1", "p2", "p3"]),
        st.sampled_from(["a", "b"]),
        day_offsets,  # published, days from D
        day_offsets,  # snapshot, days from D
        st.none() | st.integers(min_value=0, max_value=1000),
        st.none() | st.integers(min_value=0, max_value=1000),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda row: (row[0], row[3]),  # a post has one snapshot a day
)


@given(snapshot_rows)
def test_one_as_of_date_gives_what_a_range_gives_on_that_date(rows):
    """A single as-of date takes a path of its own (no as-of join): its rows must be the
    range's rows of that date, for any snapshots (later ones, moved accounts, changed
    published dates, posts out of the window)."""
    posts = post_snapshots(
        *(
            {
                **snap(post, D + timedelta(days=published), D + timedelta(days=shot)),
                "account_id": account,
                "likes": likes,
                "views": views,
            }
            for post, account, published, shot, likes, views in rows
        )
    )
    key = ["post_id"]
    one = latest_post_snapshots(posts, D, D).sort(key)
    ranged = latest_post_snapshots(posts, D - timedelta(days=2), D)
    assert one.equals(ranged.filter(pl.col("as_of_date") == D).sort(key))
