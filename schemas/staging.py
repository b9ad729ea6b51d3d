"""Staging layer: typed, renamed, one grain. One pandera model per stg_ table, the table's one
declaration: its columns (types, checks, descriptions, where each comes from), key and the part
of it a file replaces. The DDL, the loader's targets, the staging transforms' field lists and the
docs' data dictionary are made from these (schemas.declared)."""

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData
from pandera.typing.polars import Series

from creatorlens.schemas.audience import AGES, COUNTRIES, DIMENSIONS, GENDERS, LINE
from creatorlens.schemas.platforms import ADAPTERS

PLATFORMS = sorted(ADAPTERS)

FOLDER = {"source": "folder"}
"""A column the file's place gives: its platform folder, or its date folder."""
DELIVERED = {"source": "delivered"}
"""A column read from the delivered field the adapter names (schemas.platforms), typed."""
DERIVED = {"source": "derived"}
"""A column the staging transform makes from the others (transforms.staging.DERIVED)."""

LINEAGE: dict[str, tuple[str, str]] = {
    "load_id": ("varchar", "the load that wrote the row (ops.loads)"),
    "source_row": ("bigint", "the row's 1-based record number in its file"),
}
"""Columns every staging table ends with, (DuckDB type, meaning): the loader adds them."""

CURRENCY = r"^[A-Z]{3}$"


class StgCreatorSnapshots(pa.DataFrameModel):
    """stg_creator_snapshots: one row per creator per snapshot date."""

    platform: str = pa.Field(description="instagram, tiktok or youtube", metadata=FOLDER)
    account_id: str = pa.Field(description="the creator's id on the platform", metadata=DELIVERED)
    snapshot_date: pl.Date = pa.Field(description="the date folder of the file", metadata=FOLDER)
    handle: str = pa.Field(nullable=True, description="the creator's name", metadata=DELIVERED)
    followers: Series[pl.Int64] = pa.Field(
        nullable=True,
        ge=0,
        description="followers (count); null when not delivered or hidden",
        metadata=DELIVERED,
    )
    is_followers_hidden: bool = pa.Field(
        description="the platform hides the follower count", metadata=DELIVERED
    )

    class Config:
        description = "One row per creator per snapshot date."
        unique = ["platform", "account_id", "snapshot_date"]
        metadata = {
            "table": "staging.stg_creator_snapshots",
            "entity": "creators",
            "partition": ["platform", "snapshot_date"],
        }


class StgPostSnapshots(pa.DataFrameModel):
    """stg_post_snapshots: one row per post per snapshot date."""

    platform: str = pa.Field(description="instagram, tiktok or youtube", metadata=FOLDER)
    post_id: str = pa.Field(description="the post's id on the platform", metadata=DELIVERED)
    account_id: str = pa.Field(description="the creator who posted it", metadata=DELIVERED)
    snapshot_date: pl.Date = pa.Field(description="the date folder of the file", metadata=FOLDER)
    published_at: pl.Datetime = pa.Field(
        description="when it was published (UTC)", metadata=DELIVERED
    )
    published_date: pl.Date = pa.Field(description="its published UTC date", metadata=DERIVED)
    likes: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="likes (count)", metadata=DELIVERED
    )
    comments: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="comments (count)", metadata=DELIVERED
    )
    shares: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="shares (count)", metadata=DELIVERED
    )
    saves: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="saves (count)", metadata=DELIVERED
    )
    views: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="views (count)", metadata=DELIVERED
    )

    @pa.check("published_date", name="published_on_or_before_snapshot_date")
    @classmethod
    def published_on_or_before_snapshot_date(cls, data: PolarsData) -> pl.LazyFrame:
        """A post cannot be published after the day it was measured."""
        return data.lazyframe.select(pl.col(data.key) <= pl.col("snapshot_date"))

    class Config:
        description = "One row per post per snapshot date."
        unique = ["platform", "post_id", "snapshot_date"]
        metadata = {
            "table": "staging.stg_post_snapshots",
            "entity": "posts",
            "partition": ["platform", "snapshot_date"],
        }


class StgRoster(pa.DataFrameModel):
    """stg_roster: one row per creator the agency tracks."""

    platform: str = pa.Field(
        isin=PLATFORMS, description="the creator's platform", metadata=DELIVERED
    )
    account_id: str = pa.Field(description="the creator's id on it", metadata=DELIVERED)
    niche: str = pa.Field(nullable=True, description="the creator's niche", metadata=DELIVERED)
    country: str = pa.Field(
        nullable=True, description="the creator's country (ISO code)", metadata=DELIVERED
    )

    class Config:
        description = "One row per creator the agency tracks (replaced whole by each roster.csv)."
        unique = ["platform", "account_id"]
        metadata = {"table": "staging.stg_roster", "entity": "roster", "partition": []}


class StgRateCards(pa.DataFrameModel):
    """stg_rate_cards: one row per creator's price per post from a valid-from date."""

    platform: str = pa.Field(
        isin=PLATFORMS, description="the creator's platform", metadata=DELIVERED
    )
    account_id: str = pa.Field(description="the creator's id on it", metadata=DELIVERED)
    price_per_post: float = pa.Field(
        gt=0, description="price of a post, in the card's currency", metadata=DELIVERED
    )
    currency: str = pa.Field(
        str_matches=CURRENCY, description="ISO currency code", metadata=DELIVERED
    )
    valid_from: pl.Date = pa.Field(description="the first day the price holds", metadata=DELIVERED)

    class Config:
        description = (
            "One row per creator's price per post from a valid-from date, in the card's currency "
            "(replaced whole by each rate_cards.csv)."
        )
        unique = ["platform", "account_id", "valid_from"]
        metadata = {"table": "staging.stg_rate_cards", "entity": "rate_cards", "partition": []}


class StgFxRates(pa.DataFrameModel):
    """stg_fx_rates: one row per currency's USD rate from a valid-from date."""

    currency: str = pa.Field(
        str_matches=CURRENCY, description="ISO currency code", metadata=DELIVERED
    )
    usd_per_unit: float = pa.Field(gt=0, description="USD per unit of it", metadata=DELIVERED)
    valid_from: pl.Date = pa.Field(description="the first day the rate holds", metadata=DELIVERED)

    class Config:
        description = (
            "One row per currency's USD value from a valid-from date (replaced whole by each "
            "fx_rates.csv)."
        )
        unique = ["currency", "valid_from"]
        metadata = {"table": "staging.stg_fx_rates", "entity": "fx_rates", "partition": []}


class StgCampaigns(pa.DataFrameModel):
    """stg_campaigns: one row per campaign a brand runs."""

    campaign_id: str = pa.Field(description="the campaign's id", metadata=DELIVERED)
    brand: str = pa.Field(nullable=True, description="the brand running it", metadata=DELIVERED)
    campaign_name: str = pa.Field(nullable=True, description="its name", metadata=DELIVERED)
    start_date: pl.Date = pa.Field(description="its first day", metadata=DELIVERED)
    end_date: pl.Date = pa.Field(description="its last day", metadata=DELIVERED)

    @pa.check("end_date", name="on_or_after_start_date")
    @classmethod
    def on_or_after_start_date(cls, data: PolarsData) -> pl.LazyFrame:
        """A campaign cannot end before it starts."""
        return data.lazyframe.select(pl.col(data.key) >= pl.col("start_date"))

    class Config:
        description = "One row per campaign a brand runs (replaced whole by each campaigns.csv)."
        unique = ["campaign_id"]
        metadata = {"table": "staging.stg_campaigns", "entity": "campaigns", "partition": []}


class StgCampaignCreators(pa.DataFrameModel):
    """stg_campaign_creators: one row per creator of a campaign, with the fee agreed."""

    campaign_id: str = pa.Field(description="the campaign's id", metadata=DELIVERED)
    platform: str = pa.Field(
        isin=PLATFORMS, description="the creator's platform", metadata=DELIVERED
    )
    account_id: str = pa.Field(description="the creator's id on it", metadata=DELIVERED)
    fee: float = pa.Field(gt=0, description="the fee agreed, in its currency", metadata=DELIVERED)
    currency: str = pa.Field(
        str_matches=CURRENCY, description="ISO currency code", metadata=DELIVERED
    )

    class Config:
        description = (
            "One row per creator of a campaign with the fee agreed (replaced whole by each "
            "campaign_creators.csv)."
        )
        unique = ["campaign_id", "platform", "account_id"]
        metadata = {
            "table": "staging.stg_campaign_creators",
            "entity": "campaign_creators",
            "partition": [],
        }


class StgCampaignResults(pa.DataFrameModel):
    """stg_campaign_results: one row per campaign, creator and day of results."""

    result_date: pl.Date = pa.Field(description="the date folder of the file", metadata=FOLDER)
    campaign_id: str = pa.Field(description="the campaign's id", metadata=DELIVERED)
    platform: str = pa.Field(
        isin=PLATFORMS, description="the creator's platform", metadata=DELIVERED
    )
    account_id: str = pa.Field(description="the creator's id on it", metadata=DELIVERED)
    clicks: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="clicks (count)", metadata=DELIVERED
    )
    signups: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="signups (count)", metadata=DELIVERED
    )
    purchases: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="purchases (count)", metadata=DELIVERED
    )
    revenue: Series[pl.Float64] = pa.Field(
        nullable=True, ge=0, description="revenue, in its currency", metadata=DELIVERED
    )
    currency: str = pa.Field(
        nullable=True,
        str_matches=CURRENCY,
        description="ISO currency code of the revenue",
        metadata=DELIVERED,
    )

    @pa.check("currency", name="given_with_revenue")
    @classmethod
    def given_with_revenue(cls, data: PolarsData) -> pl.LazyFrame:
        """Revenue needs its currency."""
        return data.lazyframe.select(pl.col(data.key).is_not_null() | pl.col("revenue").is_null())

    class Config:
        description = (
            "One row per campaign, creator and day of results (a restated results file replaces "
            "its day)."
        )
        unique = ["campaign_id", "platform", "account_id", "result_date"]
        metadata = {
            "table": "staging.stg_campaign_results",
            "entity": "results",
            "partition": ["result_date"],
        }


class StgAudience(pa.DataFrameModel):
    """stg_audience: one row per bucket of a creator's audience per snapshot date."""

    platform: str = pa.Field(description="instagram, tiktok or youtube", metadata=FOLDER)
    account_id: str = pa.Field(description="the creator's id on the platform", metadata=DELIVERED)
    snapshot_date: pl.Date = pa.Field(description="the date folder of the file", metadata=FOLDER)
    dimension: str = pa.Field(
        isin=[*DIMENSIONS, LINE],
        description="country, age, gender, age_gender (a joint table), or line: the one "
        "bucket-less row of each line, saying the file holds the creator",
        metadata=DELIVERED,
    )
    label: str = pa.Field(
        nullable=True, description="the bucket as the platform labels it", metadata=DELIVERED
    )
    gender_label: str = pa.Field(
        nullable=True,
        description="the gender of an age_gender cell, as the platform labels it",
        metadata=DELIVERED,
    )
    bucket: str = pa.Field(
        nullable=True,
        description="the canonical bucket: an ISO country code, an age bucket (older ones "
        "merged into 55+) or a gender; the age of an age_gender cell",
        metadata=DERIVED,
    )
    gender: str = pa.Field(
        nullable=True,
        description="the canonical gender of an age_gender cell (female, male or other)",
        metadata=DERIVED,
    )
    value: Series[pl.Float64] = pa.Field(
        nullable=True,
        ge=0,
        description="the bucket's value as delivered (a count or a percentage: shares are "
        "values over their dimension's sum)",
        metadata=DELIVERED,
    )

    @pa.check("bucket", name="known_bucket")
    @classmethod
    def known_bucket(cls, data: PolarsData) -> pl.LazyFrame:
        """A bucket the dimension knows (the line's own row has none)."""
        dimension, bucket = pl.col("dimension"), pl.col(data.key)
        return data.lazyframe.select(
            pl.when(dimension == "country")
            .then(bucket.is_in(COUNTRIES))
            .when(dimension.is_in(["age", "age_gender"]))
            .then(bucket.is_in(AGES))
            .when(dimension == "gender")
            .then(bucket.is_in(GENDERS))
            .otherwise(True)
        )

    @pa.check("gender", name="known_gender")
    @classmethod
    def known_gender(cls, data: PolarsData) -> pl.LazyFrame:
        """An age_gender cell's gender is one the platforms use."""
        return data.lazyframe.select(
            (pl.col("dimension") != "age_gender") | pl.col(data.key).is_in(GENDERS)
        )

    @pa.check("value", name="given_for_a_bucket")
    @classmethod
    def given_for_a_bucket(cls, data: PolarsData) -> pl.LazyFrame:
        """Every bucket has its value."""
        return data.lazyframe.select(pl.col(data.key).is_not_null() | (pl.col("dimension") == LINE))

    class Config:
        description = (
            "One row per bucket of a creator's audience per snapshot date (design section 10), "
            "and one bucket-less row (dimension line) per creator the file holds."
        )
        unique = ["platform", "account_id", "snapshot_date", "dimension", "label", "gender_label"]
        metadata = {
            "table": "staging.stg_audience",
            "entity": "audience",
            "partition": ["platform", "snapshot_date"],
        }


class StgBriefs(pa.DataFrameModel):
    """stg_briefs: one row per brand brief."""

    brief_id: str = pa.Field(description="the brief's id", metadata=DELIVERED)
    brand: str = pa.Field(nullable=True, description="the brand it is for", metadata=DELIVERED)
    countries: pl.List(pl.String) = pa.Field(
        description="ISO country codes of the target audience; empty: any", metadata=DELIVERED
    )
    ages: pl.List(pl.String) = pa.Field(
        description="age buckets of the target audience; empty: any", metadata=DELIVERED
    )
    genders: pl.List(pl.String) = pa.Field(
        description="genders of the target audience; empty: any", metadata=DELIVERED
    )
    niches: pl.List(pl.String) = pa.Field(
        description="the creators' niches it takes (roster); empty: any", metadata=DELIVERED
    )
    platforms: pl.List(pl.String) = pa.Field(
        description="the platforms it takes; empty: all", metadata=DELIVERED
    )
    min_followers: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="fewest followers (count) it takes", metadata=DELIVERED
    )
    max_followers: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="most followers (count) it takes", metadata=DELIVERED
    )

    @pa.check("max_followers", name="min_at_most_max")
    @classmethod
    def min_at_most_max(cls, data: PolarsData) -> pl.LazyFrame:
        """A brief's follower bounds leave some creators."""
        low, high = pl.col("min_followers"), pl.col(data.key)
        return data.lazyframe.select(low.is_null() | high.is_null() | (low <= high))

    class Config:
        description = "One row per brand brief (replaced whole by each briefs.csv)."
        unique = ["brief_id"]
        metadata = {"table": "staging.stg_briefs", "entity": "briefs", "partition": []}


STAGED: dict[str, type[pa.DataFrameModel]] = {
    model.Config.metadata["entity"]: model
    for model in (
        StgCreatorSnapshots,
        StgPostSnapshots,
        StgRoster,
        StgRateCards,
        StgFxRates,
        StgCampaigns,
        StgCampaignCreators,
        StgCampaignResults,
        StgAudience,
        StgBriefs,
    )
}
"""The staging table each entity of the exports loads into, by entity name."""
