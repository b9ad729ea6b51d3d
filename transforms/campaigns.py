"""marts.campaign_performance and marts.campaign_tier_summary (design section 8): what each
creator of a campaign delivered per dollar, and the same by tier."""

from typing import NamedTuple

import polars as pl

from creatorlens.schemas.declared import polars_columns
from creatorlens.schemas.marts import CampaignPerformance, CampaignTierSummary
from creatorlens.transforms.engagement import post_engagements, ratio
from creatorlens.transforms.followers import CREATOR
from creatorlens.transforms.pricing import with_usd_per_unit

MEMBER = ["campaign_id", *CREATOR]
PERFORMANCE_COLUMNS = polars_columns(CampaignPerformance)
TIER_SUMMARY_COLUMNS = polars_columns(CampaignTierSummary)
RESULT_COUNTS = ("clicks", "signups", "purchases")


class CampaignMarts(NamedTuple):
    """Both campaign marts, and the fees and results left unconverted for want of an FX rate
    in force (campaign_creators or results rows: their source_row and load_id)."""

    performance: pl.DataFrame
    tier_summary: pl.DataFrame
    fees_without_fx: pl.DataFrame
    revenue_without_fx: pl.DataFrame


def start_dates(campaigns: pl.DataFrame) -> list:
    """The as-of dates whose creator metrics the campaigns need: the day before each start."""
    days = campaigns.select((pl.col("start_date") - pl.duration(days=1)).unique().sort())
    return days.to_series().to_list()


def _campaign_posts(members: pl.DataFrame, post_snapshots: pl.DataFrame) -> pl.DataFrame:
    """Per campaign creator: posts published in [start_date, end_date], their engagements and
    views from each post's latest snapshot (views null when no post has views)."""
    latest = (
        post_snapshots.with_columns(post_engagements(post_snapshots))
        .sort("snapshot_date")
        .group_by("platform", "post_id")
        .agg(pl.all().last())
    )
    in_campaign = members.join(latest, on=CREATOR).filter(
        pl.col("published_date").is_between(pl.col("start_date"), pl.col("end_date"))
    )
    return in_campaign.group_by(MEMBER).agg(
        pl.len().alias("posts"),
        pl.col("engagements").sum(),
        pl.when(pl.col("views").is_not_null().any()).then(pl.col("views").sum()).alias("views"),
    )


def _campaign_results(results: pl.DataFrame, fx_rates: pl.DataFrame) -> pl.DataFrame:
    """Results with revenue_usd: revenue at the FX rate in force on each result's date."""
    priced = with_usd_per_unit(results, "result_date", fx_rates)
    return priced.with_columns(revenue_usd=pl.col("revenue") * pl.col("usd_per_unit"))


def campaign_marts(
    campaigns: pl.DataFrame,
    campaign_creators: pl.DataFrame,
    results: pl.DataFrame,
    *,
    post_snapshots: pl.DataFrame,
    fx_rates: pl.DataFrame,
    start_metrics: pl.DataFrame,
) -> CampaignMarts:
    """Both campaign marts from the staged inputs.

    post_snapshots: the campaign creators' post snapshots (any date); start_metrics:
    creator_daily_metrics (as_of_date, platform, account_id, tier, cpe_usd) of the days
    before the campaigns' starts.
    """
    members = campaign_creators.join(
        campaigns.select("campaign_id", "brand", "campaign_name", "start_date", "end_date"),
        on="campaign_id",
        how="left",
    )
    fees = with_usd_per_unit(members, "start_date", fx_rates).with_columns(
        fee_usd=pl.col("fee") * pl.col("usd_per_unit")
    )
    priced_results = _campaign_results(results, fx_rates)
    delivered = priced_results.group_by(MEMBER).agg(
        pl.col("result_date").max().alias("results_through"),
        *(pl.col(name).fill_null(0).sum() for name in RESULT_COUNTS),
        pl.col("revenue_usd").fill_null(0).sum(),
    )
    at_start = start_metrics.select(
        *CREATOR,
        (pl.col("as_of_date") + pl.duration(days=1)).alias("start_date"),
        pl.col("tier").alias("tier_at_start"),
        pl.col("cpe_usd").alias("expected_cpe_usd"),
    )
    performance = (
        fees.join(_campaign_posts(members, post_snapshots), on=MEMBER, how="left")
        .join(delivered, on=MEMBER, how="left")
        .join(at_start, on=[*CREATOR, "start_date"], how="left")
        .with_columns(
            pl.col("posts", "engagements", *RESULT_COUNTS).fill_null(0),
            pl.col("revenue_usd").fill_null(0.0),
        )
        .with_columns(
            cpe_usd=ratio(pl.col("fee_usd"), pl.col("engagements")),
            cpc_usd=ratio(pl.col("fee_usd"), pl.col("clicks")),
            cost_per_signup_usd=ratio(pl.col("fee_usd"), pl.col("signups")),
            cpa_usd=ratio(pl.col("fee_usd"), pl.col("purchases")),
            roas=ratio(pl.col("revenue_usd"), pl.col("fee_usd")),
            click_through_rate=ratio(pl.col("clicks"), pl.col("views")),
            conversion_rate=ratio(pl.col("purchases"), pl.col("clicks")),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in PERFORMANCE_COLUMNS.items())
        .sort(MEMBER)
    )
    without_fx = pl.col("usd_per_unit").is_null()
    return CampaignMarts(
        performance,
        campaign_tier_summary(performance),
        fees.filter(without_fx & pl.col("start_date").is_not_null()),
        priced_results.filter(without_fx & pl.col("revenue").is_not_null()),
    )


def campaign_tier_summary(performance: pl.DataFrame) -> pl.DataFrame:
    """One row per (campaign, platform, tier at start) and one per (platform, tier at start)
    over all campaigns (campaign_id null); creators without a tier at start are left out."""
    tiered = performance.filter(pl.col("tier_at_start").is_not_null())
    measures = [
        pl.len().alias("creators"),
        pl.when(pl.col("fee_usd").is_not_null().any()).then(pl.col("fee_usd").sum()),
        pl.col("revenue_usd").sum(),
        pl.col("clicks").sum(),
        pl.col("purchases").sum(),
        pl.col("cpa_usd").median().alias("median_cpa_usd"),
        pl.col("cpc_usd").median().alias("median_cpc_usd"),
    ]
    by_campaign = tiered.group_by("campaign_id", "platform", "tier_at_start").agg(measures)
    overall = tiered.group_by("platform", "tier_at_start").agg(measures)
    summary = pl.concat(
        [by_campaign, overall.with_columns(campaign_id=pl.lit(None, pl.String))],
        how="diagonal_relaxed",
    ).with_columns(roas=ratio(pl.col("revenue_usd"), pl.col("fee_usd")))
    return summary.select(
        pl.col(name).cast(dtype) for name, dtype in TIER_SUMMARY_COLUMNS.items()
    ).sort("campaign_id", "platform", "tier_at_start", nulls_last=True)
