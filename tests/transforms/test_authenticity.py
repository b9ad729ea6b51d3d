"""The authenticity rules on hand-written creators: each rule, its explanation and its edges."""

from datetime import date, timedelta

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from creatorlens.demo import DemoConfig, generate
from creatorlens.reference import low_engagement_lines
from creatorlens.schemas.authenticity_rules import DECLARED
from creatorlens.transforms.authenticity import assess
from tests.transforms.labelled import creator_snapshots, latest_posts

D = date(2026, 6, 30)
WIGGLE = (1.002, 0.9995, 1.0015, 0.999, 1.001)
"""A steady creator's day-to-day growth, repeating: about 0.1% a day, never quite smooth."""
RATE = (0.8, 1.0, 1.25, 0.9, 1.1)
"""Its posts' engagement per follower around 5%, repeating."""


def steady(days: int = 100, start: float = 10_000.0, changes: dict | None = None) -> dict:
    """{days before D: followers}, growing steadily, with `changes` {days before D: factor}
    applied on those days."""
    changes = changes or {}
    followers, counts = start, {}
    for ago in range(days - 1, -1, -1):
        followers *= WIGGLE[ago % len(WIGGLE)] * changes.get(ago, 1.0)
        counts[ago] = round(followers)
    return counts


def posts_of(counts: dict, *, every: int = 2, engaging=None, special=None) -> list[tuple]:
    """(post id, days before D, engagements): a post every `every` days in the window, its
    engagement 5% of `engaging(ago)` followers (default: all of them), with `special`
    {days before D: (post id, times the usual)} posts added."""
    engaging = engaging or (lambda ago: counts[ago])
    posts = [
        (f"p{ago}", ago, round(0.05 * RATE[ago % len(RATE)] * engaging(ago)))
        for ago in range(89, -1, -every)
        if ago in counts
    ]
    for ago, (post_id, times) in (special or {}).items():
        posts.append((post_id, ago, round(0.05 * times * engaging(ago))))
    return posts


def assessed(counts: dict, posts: list[tuple], rules=DECLARED, account: str = "a"):
    snapshots = pl.DataFrame(
        [("tiktok", account, D - timedelta(days=ago), account, f) for ago, f in counts.items()],
        schema={"platform": pl.String, "account_id": pl.String, "snapshot_date": pl.Date,
                "handle": pl.String, "followers": pl.Int64},
        orient="row",
    )  # fmt: skip
    latest = pl.DataFrame(
        [(D, "tiktok", account, post_id, D - timedelta(days=ago), e, None)
         for post_id, ago, e in posts],
        schema={"as_of_date": pl.Date, "platform": pl.String, "account_id": pl.String,
                "post_id": pl.String, "published_date": pl.Date, "engagements": pl.Int64,
                "views": pl.Int64},
        orient="row",
    )  # fmt: skip
    return assess(snapshots, latest, low_engagement_lines(), start=D, end=D, rules=rules)


def score_and_flags(result) -> tuple:
    row = result.scores.row(0, named=True)
    return row["authenticity_score"], row["authenticity_flags"]


def test_steady_growth_with_engagement_that_follows_it_is_authentic():
    counts = steady()
    result = assessed(counts, posts_of(counts))
    assert score_and_flags(result) == (100.0, [])
    assert result.events.is_empty()


def test_a_one_day_jump_with_no_post_behind_it_is_a_burst():
    counts = steady(changes={30: 1.25})
    result = assessed(counts, posts_of(counts, engaging=lambda ago: counts[min(ago, 99)]))
    score, flags = score_and_flags(result)
    assert flags == ["follower_burst"] and score < DECLARED.score["min_authenticity"]
    event = result.events.row(0, named=True)
    assert (event["flag"], event["start_date"], event["end_date"]) == (
        "follower_burst", D - timedelta(days=30), D - timedelta(days=30),
    )  # fmt: skip
    assert event["gained_share"] == pytest.approx(0.25, abs=0.01)
    assert event["explaining_post_id"] is None


def test_a_jump_that_a_viral_post_brings_and_whose_followers_engage_is_organic():
    counts = steady(changes={30: 1.25})
    result = assessed(counts, posts_of(counts, special={31: ("viral", 30.0)}))
    assert score_and_flags(result) == (100.0, [])
    event = result.events.row(0, named=True)
    assert (event["flag"], event["explaining_post_id"]) == ("follower_burst", "viral")
    ratio = event["engagement_per_follower_after"] / event["engagement_per_follower_before"]
    assert ratio == pytest.approx(1.0, abs=0.1)


def test_a_viral_post_does_not_explain_a_jump_whose_followers_never_engage():
    counts = steady(changes={30: 1.4})
    before_jump = {ago: counts[max(ago, 31)] for ago in counts}  # the audience stays as it was
    posts = posts_of(counts, engaging=lambda ago: before_jump[ago], special={31: ("viral", 30.0)})
    score, flags = score_and_flags(assessed(counts, posts))
    assert flags == ["follower_burst", "engagement_lag"]
    assert score < DECLARED.score["min_authenticity"]


def test_a_viral_post_three_days_before_explains_and_four_days_before_does_not():
    counts = steady(changes={30: 1.25})
    for ago, explained in ((33, True), (34, False)):
        result = assessed(counts, posts_of(counts, special={ago: ("viral", 30.0)}))
        assert (result.events["explaining_post_id"][0] == "viral") is explained, ago


def test_sustained_growth_over_two_weeks_is_a_drip_even_after_a_viral_post():
    drip = {ago: 1.015 for ago in range(27, 41)}  # +1.5% a day for 14 days
    counts = steady(changes=drip)
    flat = {ago: counts[max(ago, 41)] for ago in counts}
    for special in (None, {41: ("viral", 30.0)}):
        posts = posts_of(counts, engaging=lambda ago: flat[ago], special=special)
        result = assessed(counts, posts)
        assert "follower_drip" in score_and_flags(result)[1], special
        drips = result.events.filter(pl.col("flag") == "follower_drip")
        assert drips["start_date"][0] == D - timedelta(days=40)
        assert drips["explaining_post_id"][0] is None


def test_a_sharp_fall_is_a_purge_whatever_came_before():
    counts = steady(changes={20: 0.95, 19: 0.96})
    result = assessed(counts, posts_of(counts))
    assert score_and_flags(result)[1] == ["purge_drop"]
    event = result.events.row(0, named=True)
    assert event["gained_share"] == pytest.approx(0.95 * 0.96 - 1, abs=0.005)


def test_engagement_far_below_creators_of_the_same_size_is_flagged_but_not_suspicious():
    counts = steady()
    posts = [(post_id, ago, round(e / 50)) for post_id, ago, e in posts_of(counts)]  # 0.1%
    score, flags = score_and_flags(assessed(counts, posts))
    assert flags == ["low_engagement_for_size"]
    assert score == 100 - DECLARED["low_engagement_for_size"]["penalty"]
    assert score >= DECLARED.score["min_authenticity"]


def test_too_little_history_has_no_score():
    few = {ago: f for ago, f in steady().items() if ago < DECLARED.score["min_counts"] - 1}
    result = assessed(few, posts_of(few))
    assert score_and_flags(result) == (None, None)
    enough = {ago: f for ago, f in steady().items() if ago < DECLARED.score["min_counts"]}
    assert score_and_flags(assessed(enough, posts_of(enough)))[0] == 100.0


def test_the_window_holds_the_counts_dated_from_d_minus_89():
    # a jump from the count of D-90 to that of D-89 needs a count outside the window
    assert score_and_flags(assessed(steady(changes={89: 1.3}), []))[1] == []
    assert score_and_flags(assessed(steady(changes={88: 1.3}), []))[1] == ["follower_burst"]


def test_a_jump_across_days_the_export_missed_is_one_burst():
    counts = {ago: f for ago, f in steady(changes={30: 1.3}).items() if ago not in (31, 32)}
    result = assessed(counts, [])
    assert result.events.select("flag", "start_date", "end_date").rows() == [
        ("follower_burst", D - timedelta(days=32), D - timedelta(days=30))
    ]


def test_a_rule_switched_off_never_fires():
    counts = steady(changes={30: 1.25})
    result = assessed(counts, [], rules=DECLARED.without("follower_burst"))
    assert score_and_flags(result) == (100.0, [])
    with pytest.raises(ValueError, match="no such rule"):
        DECLARED.without("bought_followers")


def test_one_as_of_date_gives_what_a_range_of_dates_gives_on_it():
    """A nightly computes one date, a backfill many at once: the rows must agree."""
    demo = generate(DemoConfig(creators=240, days=70, seed=3, bought_share=0.3, viral_share=0.3))
    snapshots = creator_snapshots(demo)
    days = [demo.config.end - timedelta(days=back) for back in range(6)]
    posts = pl.concat([latest_posts(demo, day) for day in days])
    lines = low_engagement_lines()
    ranged = assess(snapshots, posts, lines, start=days[-1], end=days[0])
    assert ranged.events.height > 20
    for day in (days[0], days[-1]):
        one = assess(
            snapshots.filter(pl.col("snapshot_date") <= day),
            posts.filter(pl.col("as_of_date") == day),
            lines,
            start=day,
            end=day,
        )
        key = ["platform", "account_id", "flag", "start_date"]
        assert_frame_equal(
            one.scores.sort("platform", "account_id"),
            ranged.scores.filter(pl.col("as_of_date") == day).sort("platform", "account_id"),
        )
        assert_frame_equal(
            one.events.sort(key), ranged.events.filter(pl.col("as_of_date") == day).sort(key)
        )
