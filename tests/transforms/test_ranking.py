from datetime import date

import polars as pl
import pytest

from creatorlens.transforms.ranking import creator_rankings, tier_benchmarks

D = date(2026, 3, 10)


def metrics(*rows: dict) -> pl.DataFrame:
    base = {"as_of_date": D, "platform": "tiktok", "tier": "micro", "handle": None, "niche": None, "country": None,
            "followers": 20_000, "posts_30d": 5, "engagement_rate_30d": 0.05, "cpe_usd": 1.0,
            "price_per_post_usd": 75.0, "price_source": "tier_default", "suspicious_growth": False,
            "authenticity_score": 90.0}  # fmt: skip
    return pl.DataFrame([{**base, **row} for row in rows], schema_overrides={"followers": pl.Int64})


def ranked(*rows: dict) -> list[tuple]:
    return creator_rankings(metrics(*rows)).select("tier", "rank", "account_id").rows()


def test_lowest_cpe_first_ties_by_higher_engagement_then_account_id():
    assert ranked(
        {"account_id": "c", "cpe_usd": 2.0},
        {"account_id": "b", "cpe_usd": 1.0, "engagement_rate_30d": 0.04},
        {"account_id": "a", "cpe_usd": 1.0, "engagement_rate_30d": 0.04},
        {"account_id": "z", "cpe_usd": 1.0, "engagement_rate_30d": 0.09},
    ) == [("micro", 1, "z"), ("micro", 2, "a"), ("micro", 3, "b"), ("micro", 4, "c")]


def test_ineligible_creators_are_left_out_and_ranks_have_no_gaps():
    assert ranked(
        {"account_id": "ok1", "cpe_usd": 3.0},
        {"account_id": "two_posts", "posts_30d": 2, "cpe_usd": 0.1},
        {"account_id": "three_posts", "posts_30d": 3, "cpe_usd": 5.0},
        {"account_id": "bought", "suspicious_growth": True, "cpe_usd": 0.1},
        {"account_id": "unknown_growth", "suspicious_growth": None, "cpe_usd": 4.0},
        {"account_id": "no_cpe", "cpe_usd": None},
        {"account_id": "small", "tier": "emerging", "cpe_usd": 0.1},
        {"account_id": "hidden", "tier": None, "cpe_usd": 0.1},
        {"account_id": "nano1", "tier": "nano", "cpe_usd": 9.0},
    ) == [
        ("micro", 1, "ok1"),
        ("micro", 2, "unknown_growth"),
        ("micro", 3, "three_posts"),
        ("nano", 1, "nano1"),
    ]


def quartiles(*rates: float | None, cpes: tuple = ()) -> tuple:
    rows = [{"account_id": str(i), "engagement_rate_30d": r, "cpe_usd": c}
            for i, (r, c) in enumerate(zip(rates, cpes or [None] * len(rates), strict=True))]  # fmt: skip
    result = tier_benchmarks(metrics(*rows))
    return result.select(
        "creators",
        "p25_engagement_rate_30d",
        "median_engagement_rate_30d",
        "p75_engagement_rate_30d",
        "median_cpe_usd",
    ).row(0)


def test_quartiles_of_one_creator_are_its_rate():
    assert quartiles(0.04, None) == (1, 0.04, 0.04, 0.04, None)


def test_quartiles_of_two_creators_interpolate_linearly():
    assert quartiles(0.02, 0.06, cpes=(1.0, 2.0)) == pytest.approx((2, 0.03, 0.04, 0.05, 1.5))


def test_quartiles_of_four_creators():
    # positions (n-1)p: 0.75 -> 0.01 + 0.75 * 0.01; 1.5 -> 0.025; 2.25 -> 0.03 + 0.25 * 0.05
    assert quartiles(0.03, 0.01, 0.08, 0.02) == pytest.approx((4, 0.0175, 0.025, 0.0425, None))
