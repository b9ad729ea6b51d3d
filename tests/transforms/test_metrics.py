from datetime import date

import polars as pl

from schemas.marts import CreatorDailyMetrics
from transforms.metrics import COLUMNS, creator_daily_metrics

D = date(2026, 3, 10)
SCHEME = pl.DataFrame({"tier": ["emerging", "nano"], "min_followers": [0, 1_000]})


def test_assembles_every_mart_column_with_roster_attributes_and_later_columns_null():
    creator_snapshots = pl.DataFrame(
        {
            "platform": ["tiktok", "tiktok"],
            "account_id": ["on_roster", "off_roster"],
            "snapshot_date": [D, D],
            "handle": ["a", "b"],
            "followers": [1_500, 20],
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
        schema_overrides={c: pl.Int64 for c in ("likes", "comments", "shares", "saves", "views")},
    )
    roster = pl.DataFrame(
        {"platform": ["tiktok"], "account_id": ["on_roster"], "niche": ["food"], "country": ["DK"]}
    )
    result = creator_daily_metrics(
        creator_snapshots, post_snapshots, roster, SCHEME, start=D, end=D
    )
    assert result.schema == pl.Schema(COLUMNS)
    CreatorDailyMetrics.validate(result)
    assert result.select("account_id", "niche", "country", "tier", "engagements_30d").rows() == [
        ("off_roster", None, None, "emerging", 0),
        ("on_roster", "food", "DK", "nano", 30),
    ]
    later = ["follower_growth_30d", "suspicious_growth", "price_per_post_usd", "cpe_usd"]
    assert result.select(pl.col(later).is_null().all()).row(0) == (True,) * len(later)
