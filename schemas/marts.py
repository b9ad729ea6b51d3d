"""Marts layer: the published tables BI depends on (design section 5)."""

import pandera.polars as pa
import polars as pl
from pandera.typing.polars import Series


class CreatorDailyMetrics(pa.DataFrameModel):
    """creator_daily_metrics: one row per creator per as-of date."""

    as_of_date: pl.Date
    platform: str
    account_id: str
    handle: str = pa.Field(nullable=True)
    niche: str = pa.Field(nullable=True)
    country: str = pa.Field(nullable=True)
    followers: Series[pl.Int64] = pa.Field(nullable=True, ge=0)
    tier: str = pa.Field(nullable=True)
    posts_7d: Series[pl.Int32] = pa.Field(ge=0)
    posts_30d: Series[pl.Int32] = pa.Field(ge=0)
    posts_90d: Series[pl.Int32] = pa.Field(ge=0)
    engagements_30d: Series[pl.Int64] = pa.Field(ge=0)
    engagement_rate_7d: float = pa.Field(nullable=True, ge=0)
    engagement_rate_30d: float = pa.Field(nullable=True, ge=0)
    engagement_rate_90d: float = pa.Field(nullable=True, ge=0)
    median_post_engagement_rate_30d: float = pa.Field(nullable=True, ge=0)
    view_engagement_rate_30d: float = pa.Field(nullable=True, ge=0)
    follower_growth_30d: float = pa.Field(nullable=True)
    suspicious_growth: bool = pa.Field(nullable=True)
    price_per_post_usd: float = pa.Field(nullable=True, gt=0)
    price_source: str = pa.Field(nullable=True)
    cpe_usd: float = pa.Field(nullable=True, ge=0)
    cpv_usd: float = pa.Field(nullable=True, ge=0)
    cost_per_1k_followers_usd: float = pa.Field(nullable=True, ge=0)

    class Config:
        strict = True
        unique = ["as_of_date", "platform", "account_id"]

    @pa.dataframe_check(name="posts_windows_nested")
    @classmethod
    def posts_windows_nested(cls, data) -> pl.LazyFrame:
        """A shorter window never holds more posts than a longer one."""
        return data.lazyframe.select(
            (pl.col("posts_7d") <= pl.col("posts_30d"))
            & (pl.col("posts_30d") <= pl.col("posts_90d"))
        )


class CreatorRankings(pa.DataFrameModel):
    """creator_rankings: one row per eligible creator per (as_of_date, platform, tier)."""

    as_of_date: pl.Date
    platform: str
    tier: str
    rank: Series[pl.Int32] = pa.Field(ge=1)
    account_id: str
    handle: str = pa.Field(nullable=True)
    niche: str = pa.Field(nullable=True)
    followers: Series[pl.Int64] = pa.Field(nullable=True, ge=0)
    engagement_rate_30d: float = pa.Field(nullable=True, ge=0)
    cpe_usd: float = pa.Field(ge=0)
    price_per_post_usd: float = pa.Field(gt=0)
    price_source: str = pa.Field(isin=["rate_card", "tier_default"])

    class Config:
        strict = True
        unique = ["as_of_date", "platform", "tier", "rank"]

    @pa.dataframe_check(name="ranks_are_1_to_n")
    @classmethod
    def ranks_are_1_to_n(cls, data) -> pl.LazyFrame:
        """Ranks in each group run 1..n with no gaps."""
        group = ["as_of_date", "platform", "tier"]
        return data.lazyframe.select(pl.col("rank").max().over(group) == pl.len().over(group))


class TierBenchmarks(pa.DataFrameModel):
    """tier_benchmarks: one row per (as_of_date, platform, tier)."""

    as_of_date: pl.Date
    platform: str
    tier: str
    creators: Series[pl.Int32] = pa.Field(ge=0)
    p25_engagement_rate_30d: float = pa.Field(nullable=True)
    median_engagement_rate_30d: float = pa.Field(nullable=True)
    p75_engagement_rate_30d: float = pa.Field(nullable=True)
    median_cpe_usd: float = pa.Field(nullable=True)

    class Config:
        strict = True
        unique = ["as_of_date", "platform", "tier"]


class TierHistory(pa.DataFrameModel):
    """tier_history: one row per stretch of days a creator spent in one tier."""

    platform: str
    account_id: str
    tier: str
    valid_from: pl.Date
    valid_to: pl.Date = pa.Field(nullable=True)

    class Config:
        strict = True
        unique = ["platform", "account_id", "valid_from"]
