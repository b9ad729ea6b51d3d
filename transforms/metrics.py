"""marts.creator_daily_metrics: one row per creator per as-of date."""

from datetime import date

import polars as pl

from transforms.engagement import latest_post_snapshots, window_metrics
from transforms.followers import CREATOR, latest_creator_snapshots
from transforms.tiers import tier_expr

COLUMNS: dict[str, pl.DataType] = {
    "as_of_date": pl.Date(),
    "platform": pl.String(),
    "account_id": pl.String(),
    "handle": pl.String(),
    "niche": pl.String(),
    "country": pl.String(),
    "followers": pl.Int64(),
    "tier": pl.String(),
    "posts_7d": pl.Int32(),
    "posts_30d": pl.Int32(),
    "posts_90d": pl.Int32(),
    "engagements_30d": pl.Int64(),
    "engagement_rate_7d": pl.Float64(),
    "engagement_rate_30d": pl.Float64(),
    "engagement_rate_90d": pl.Float64(),
    "median_post_engagement_rate_30d": pl.Float64(),
    "view_engagement_rate_30d": pl.Float64(),
    "follower_growth_30d": pl.Float64(),
    "suspicious_growth": pl.Boolean(),
    "price_per_post_usd": pl.Float64(),
    "price_source": pl.String(),
    "cpe_usd": pl.Float64(),
    "cpv_usd": pl.Float64(),
    "cost_per_1k_followers_usd": pl.Float64(),
}


def creator_daily_metrics(
    creator_snapshots: pl.DataFrame,
    post_snapshots: pl.DataFrame,
    roster: pl.DataFrame,
    tier_scheme: pl.DataFrame,
    *,
    start: date,
    end: date,
) -> pl.DataFrame:
    """One row per creator per as-of date in [start, end], columns of design section 5."""
    creators = latest_creator_snapshots(creator_snapshots, start, end)
    posts = latest_post_snapshots(post_snapshots, start, end)
    metrics = window_metrics(creators, posts).join(roster, on=CREATOR, how="left")
    return (
        metrics.with_columns(tier=tier_expr(tier_scheme, pl.col("followers")))
        .select(
            pl.col(name).cast(dtype)
            if name in metrics.columns or name == "tier"
            else pl.lit(None, dtype).alias(name)
            for name, dtype in COLUMNS.items()
        )
        .sort("as_of_date", *CREATOR)
    )
