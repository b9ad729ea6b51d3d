"""Staging layer: typed, renamed, one grain. One pandera model per stg_ table."""

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData
from pandera.typing.polars import Series

from schemas.platforms import ADAPTERS

PLATFORMS = sorted(ADAPTERS)


class StgCreatorSnapshots(pa.DataFrameModel):
    """stg_creator_snapshots: one row per creator per snapshot date."""

    platform: str
    account_id: str
    snapshot_date: pl.Date
    handle: str = pa.Field(nullable=True)
    followers: Series[pl.Int64] = pa.Field(nullable=True, ge=0)
    is_followers_hidden: bool

    class Config:
        unique = ["platform", "account_id", "snapshot_date"]


class StgPostSnapshots(pa.DataFrameModel):
    """stg_post_snapshots: one row per post per snapshot date."""

    platform: str
    post_id: str
    account_id: str
    snapshot_date: pl.Date
    published_at: pl.Datetime
    published_date: pl.Date
    likes: Series[pl.Int64] = pa.Field(nullable=True, ge=0)
    comments: Series[pl.Int64] = pa.Field(nullable=True, ge=0)
    shares: Series[pl.Int64] = pa.Field(nullable=True, ge=0)
    saves: Series[pl.Int64] = pa.Field(nullable=True, ge=0)
    views: Series[pl.Int64] = pa.Field(nullable=True, ge=0)

    @pa.check("published_date", name="published_on_or_before_snapshot_date")
    @classmethod
    def published_on_or_before_snapshot_date(cls, data: PolarsData) -> pl.LazyFrame:
        """A post cannot be published after the day it was measured."""
        return data.lazyframe.select(pl.col(data.key) <= pl.col("snapshot_date"))


class StgRoster(pa.DataFrameModel):
    """stg_roster: one row per creator the agency tracks."""

    platform: str = pa.Field(isin=PLATFORMS)
    account_id: str
    niche: str = pa.Field(nullable=True)
    country: str = pa.Field(nullable=True)

    class Config:
        unique = ["platform", "account_id"]


class StgRateCards(pa.DataFrameModel):
    """stg_rate_cards: one row per creator's price per post from a valid-from date."""

    platform: str = pa.Field(isin=PLATFORMS)
    account_id: str
    price_per_post: float = pa.Field(gt=0)
    currency: str = pa.Field(str_matches=r"^[A-Z]{3}$")
    valid_from: pl.Date

    class Config:
        unique = ["platform", "account_id", "valid_from"]


class StgFxRates(pa.DataFrameModel):
    """stg_fx_rates: one row per currency's USD rate from a valid-from date."""

    currency: str = pa.Field(str_matches=r"^[A-Z]{3}$")
    usd_per_unit: float = pa.Field(gt=0)
    valid_from: pl.Date

    class Config:
        unique = ["currency", "valid_from"]


class StgCampaigns(pa.DataFrameModel):
    """stg_campaigns: one row per campaign a brand runs."""

    campaign_id: str
    brand: str = pa.Field(nullable=True)
    campaign_name: str = pa.Field(nullable=True)
    start_date: pl.Date
    end_date: pl.Date

    @pa.check("end_date", name="on_or_after_start_date")
    @classmethod
    def on_or_after_start_date(cls, data: PolarsData) -> pl.LazyFrame:
        """A campaign cannot end before it starts."""
        return data.lazyframe.select(pl.col(data.key) >= pl.col("start_date"))

    class Config:
        unique = ["campaign_id"]


class StgCampaignCreators(pa.DataFrameModel):
    """stg_campaign_creators: one row per creator of a campaign, with the fee agreed."""

    campaign_id: str
    platform: str = pa.Field(isin=PLATFORMS)
    account_id: str
    fee: float = pa.Field(gt=0)
    currency: str = pa.Field(str_matches=r"^[A-Z]{3}$")

    class Config:
        unique = ["campaign_id", "platform", "account_id"]


class StgCampaignResults(pa.DataFrameModel):
    """stg_campaign_results: one row per campaign, creator and day of results."""

    result_date: pl.Date
    campaign_id: str
    platform: str = pa.Field(isin=PLATFORMS)
    account_id: str
    clicks: Series[pl.Int64] = pa.Field(nullable=True, ge=0)
    signups: Series[pl.Int64] = pa.Field(nullable=True, ge=0)
    purchases: Series[pl.Int64] = pa.Field(nullable=True, ge=0)
    revenue: Series[pl.Float64] = pa.Field(nullable=True, ge=0)
    currency: str = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$")

    @pa.check("currency", name="given_with_revenue")
    @classmethod
    def given_with_revenue(cls, data: PolarsData) -> pl.LazyFrame:
        """Revenue needs its currency."""
        return data.lazyframe.select(pl.col(data.key).is_not_null() | pl.col("revenue").is_null())

    class Config:
        unique = ["campaign_id", "platform", "account_id", "result_date"]
