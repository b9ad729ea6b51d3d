"""Follower growth over 30 days (bought followers: transforms.authenticity)."""

from datetime import date, timedelta

import polars as pl

from creatorlens.transforms.followers import CREATOR, latest_creator_snapshots

GROWTH_DAYS = 30


def follower_growth(creator_snapshots: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """One row per creator per as-of date D in [start, end]: followers(D-30), followers_30d_ago."""
    shift = timedelta(days=GROWTH_DAYS)
    past = latest_creator_snapshots(creator_snapshots, start - shift, end - shift)
    return past.select(
        (pl.col("as_of_date") + shift).alias("as_of_date"),
        *CREATOR,
        pl.col("followers").alias("followers_30d_ago"),
    )


def growth_rate(followers: pl.Expr, followers_before: pl.Expr) -> pl.Expr:
    """followers / followers_before - 1; null when either is null or the earlier count is 0."""
    return pl.when(followers_before > 0).then(followers / followers_before - 1)
