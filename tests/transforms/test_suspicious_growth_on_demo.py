"""The suspicious-growth rule against the demo's known bought-follower jumps (and viral days)."""

import random

import polars as pl

from creatorlens.demo import DemoConfig, generate
from transforms.growth import suspicious_growth

CONFIG = DemoConfig(creators=3000, days=30, seed=2024)


def test_precision_and_recall_are_at_least_0_9():
    demo = generate(CONFIG)
    skip = random.Random(1)  # exports miss about 1% of creator-days, as the demo's files do
    snapshots = pl.DataFrame(
        [
            {"platform": c.platform, "account_id": c.account_id, "snapshot_date": day, "handle": c.handle,
             "followers": None if c.is_hidden else followers}
            for c in demo.creators
            for day, followers in c.followers.items()
            if day >= CONFIG.start and skip.random() > 0.01
        ],
        schema_overrides={"followers": pl.Int64},
    )  # fmt: skip
    result = suspicious_growth(snapshots, CONFIG.end, CONFIG.end).filter(
        pl.col("suspicious_growth")
    )
    flagged = set(result.select("platform", "account_id").iter_rows())
    bought = {(c.platform, c.account_id) for c in demo.creators if c.bought_on and not c.is_hidden}
    viral = {(c.platform, c.account_id) for c in demo.creators if c.viral_on}
    assert len(bought) > 30 and len(viral) > 100
    hits = len(flagged & bought)
    precision, recall = hits / len(flagged), hits / len(bought)
    print(
        f"suspicious growth: precision {precision:.3f}, recall {recall:.3f}, {len(bought)} buyers"
    )
    assert precision >= 0.9
    assert recall >= 0.9
