from datetime import date, timedelta

import polars as pl
import pytest

from creatorlens.schemas.marts import CreatorDailyMetrics
from creatorlens.transforms.metrics import COLUMNS, creator_daily_metrics

D = date(2026, 3, 10)
TIERS = pl.DataFrame({"tier": ["emerging", "nano"], "min_followers": [0, 1_000]})
PRICES = pl.DataFrame(
    {
        "platform": ["tiktok", "tiktok"],
        "tier": ["emerging", "nano"],
        "price_per_post_usd": [5.0, 15.0],
    }
)
LOW = pl.DataFrame(
    {"platform": ["tiktok"], "min_followers": [0], "low_engagement_per_follower": [0.01]}
)
COUNTS = ("likes", "comments", "shares", "saves", "views")


def test_assembles_every_mart_column_from_all_inputs():
    creator_snapshots = pl.DataFrame(
        {
            "platform": ["tiktok"] * 3,
            "account_id": ["on_roster", "off_roster", "on_roster"],
            "snapshot_date": [D, D, D - timedelta(days=30)],
            "handle": ["a", "b", "a"],
            "followers": [1_500, 20, 1_200],
        }
    )
    post_snapshots = pl.DataFrame(
        {
            "platform": ["tiktok"],
            "post_id": ["p"],
            "account_id": ["on_roster"],
            "snapshot_date": [D],
            "published_date": [D],
            "likes": [30],
            "comments": [None],
            "shares": [None],
            "saves": [None],
            "views": [600],
        },
        schema_overrides=dict.fromkeys(COUNTS, pl.Int64),
    )
    roster = pl.DataFrame(
        {"platform": ["tiktok"], "account_id": ["on_roster"], "niche": ["food"], "country": ["DK"]}
    )
    rate_cards = pl.DataFrame(
        {"platform": ["tiktok"], "account_id": ["on_roster"], "price_per_post": [100.0], "currency": ["DKK"],
         "valid_from": [D]}
    )  # fmt: skip
    fx = pl.DataFrame({"currency": ["DKK"], "usd_per_unit": [0.15], "valid_from": [D]})
    result = creator_daily_metrics(
        creator_snapshots, post_snapshots, roster, rate_cards, fx,
        tiers=TIERS, default_prices=PRICES, low_engagement=LOW, min_authenticity=50.0,
        start=D, end=D,
    ).metrics  # fmt: skip
    assert result.schema == pl.Schema(COLUMNS)
    CreatorDailyMetrics.validate(result)
    rows = result.select(
        "account_id", "niche", "country", "tier", "engagements_30d", "follower_growth_30d",
        "price_per_post_usd", "price_source", "cpe_usd", "cpv_usd", "cost_per_1k_followers_usd",
    ).rows()  # fmt: skip
    assert rows == [
        ("off_roster", None, None, "emerging", 0, None, 5.0, "tier_default", None, None, 5.0 * 1000 / 20),
        ("on_roster", "food", "DK", "nano", 30, pytest.approx(0.25), pytest.approx(15.0), "rate_card",
         pytest.approx(15.0 / 30), pytest.approx(15.0 / 600), pytest.approx(15.0 * 1000 / 1500)),
    ]  # fmt: skip
