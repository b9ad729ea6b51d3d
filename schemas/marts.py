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
