"""Frames of a labelled demo as the pipeline sees them: the follower counts its exports hold
(with the days they missed) and each post's latest snapshot as of a date."""

import random
from datetime import date, timedelta

import polars as pl

from creatorlens.demo import Demo, DemoConfig, generate
from creatorlens.demo.model import POST_LIFETIME_DAYS
from creatorlens.demo.write import counts_on


def labelled(config: DemoConfig) -> Demo:
    return generate(config)


def creator_snapshots(demo: Demo, seed: int = 0) -> pl.DataFrame:
    """Each creator's follower counts from the first snapshot date, without the days its
    exports missed (hidden YouTube counts null)."""
    skip = random.Random(seed)
    rows = [
        (c.platform, c.account_id, day, c.handle, None if c.is_hidden else followers)
        for c in demo.creators
        for day, followers in c.followers.items()
        if day >= demo.config.start and skip.random() >= c.missing_share
    ]
    return pl.DataFrame(
        rows,
        schema={"platform": pl.String, "account_id": pl.String, "snapshot_date": pl.Date,
                "handle": pl.String, "followers": pl.Int64},
        orient="row",
    )  # fmt: skip


def latest_posts(demo: Demo, as_of: date, window_days: int = 90) -> pl.DataFrame:
    """latest_post_snapshots of one as-of date: each post published in its window with the
    engagements of its last export on or before it."""
    rows = []
    for post in demo.posts:
        published = post.published_at.date()
        if not as_of - timedelta(days=window_days - 1) <= published <= as_of:
            continue
        seen = min(as_of, published + timedelta(days=POST_LIFETIME_DAYS - 1))
        if seen < demo.config.start:
            continue
        counts, views = counts_on(post, seen)
        rows.append((as_of, post.creator.platform, post.creator.account_id, post.post_id,
                     published, sum(counts.values()), views))  # fmt: skip
    return pl.DataFrame(
        rows,
        schema={"as_of_date": pl.Date, "platform": pl.String, "account_id": pl.String,
                "post_id": pl.String, "published_date": pl.Date, "engagements": pl.Int64,
                "views": pl.Int64},
        orient="row",
    )  # fmt: skip
