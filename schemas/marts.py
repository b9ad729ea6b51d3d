"""Marts layer: the published tables BI depends on (design section 5)."""

import pandera.polars as pa
import polars as pl
from pandera.typing.polars import Series


class CreatorDailyMetrics(pa.DataFrameModel):
    """creator_daily_metrics: one row per creator per as-of date."""

    as_of_date: pl.Date = pa.Field(description="the day the numbers are as of (UTC)")
    platform: str = pa.Field(description="instagram, tiktok or youtube")
    account_id: str = pa.Field(
        description="the platform's key of the creator: Instagram/YouTube id, TikTok username"
    )
    handle: str = pa.Field(
        nullable=True,
        description="from the latest creator snapshot in [D-6, D]: Instagram/TikTok username, "
        "YouTube snippet.title",
    )
    niche: str = pa.Field(
        nullable=True, description="from roster.csv; null when the creator is not on the roster"
    )
    country: str = pa.Field(
        nullable=True, description="from roster.csv; null when the creator is not on the roster"
    )
    followers: Series[pl.Int64] = pa.Field(
        nullable=True,
        ge=0,
        description="followers (count) from the latest creator snapshot in [D-6, D]; null when "
        "there is none or the count is hidden",
    )
    tier: str = pa.Field(
        nullable=True,
        description="from followers under the tier scheme (lower bounds inclusive); null when "
        "followers are",
    )
    posts_7d: Series[pl.Int32] = pa.Field(
        ge=0, description="posts (count) published in [D-6, D], by their UTC date"
    )
    posts_30d: Series[pl.Int32] = pa.Field(ge=0, description="posts (count) published in [D-29, D]")
    posts_90d: Series[pl.Int32] = pa.Field(ge=0, description="posts (count) published in [D-89, D]")
    engagements_30d: Series[pl.Int64] = pa.Field(
        ge=0,
        description="engagements (count) of the 30-day posts: each post's likes, comments, "
        "shares and saves that the platform reports (a missing field 0), from its latest "
        "snapshot dated on or before D",
    )
    engagement_rate_7d: float = pa.Field(
        nullable=True,
        ge=0,
        description="engagements of the 7-day posts / (posts_7d * followers), a share (0.05 "
        "= 5%); null without posts, or when followers are null or 0",
    )
    engagement_rate_30d: float = pa.Field(
        nullable=True,
        ge=0,
        description="engagements_30d / (posts_30d * followers), a share; null as above",
    )
    engagement_rate_90d: float = pa.Field(
        nullable=True,
        ge=0,
        description="engagements of the 90-day posts / (posts_90d * followers), a share; "
        "null as above",
    )
    median_post_engagement_rate_30d: float = pa.Field(
        nullable=True,
        ge=0,
        description="continuous median over the 30-day posts of engagements / followers, a "
        "share; null as above",
    )
    view_engagement_rate_30d: float = pa.Field(
        nullable=True,
        ge=0,
        description="engagements / views summed over the 30-day posts that have views, a "
        "share; null when there are none or their views sum to 0",
    )
    follower_growth_30d: float = pa.Field(
        nullable=True,
        description="followers(D) / followers(D-30) - 1, a share (both with the 7-day "
        "staleness rule); null when either is null or the earlier count is 0",
    )
    suspicious_growth: bool = pa.Field(
        nullable=True,
        description="authenticity_score below CREATORLENS_MIN_AUTHENTICITY (default 50): the "
        "creator likely bought followers, and is left out of the rankings; null when the score is",
    )
    authenticity_score: float = pa.Field(
        nullable=True,
        ge=0,
        le=100,
        description="0-100, 100 = no sign of inauthentic growth: 100 less the penalty of each "
        "authenticity flag (README, Authenticity), from the creator's follower counts and posts "
        "dated in [D-89, D]; null with fewer than 14 follower counts there",
    )
    authenticity_flags: pl.List(pl.String) = pa.Field(
        nullable=True,
        description="the authenticity rules that fire on [D-89, D], of follower_burst, "
        "follower_drip, engagement_lag, purge_drop, low_engagement_for_size (marts."
        "authenticity_events says why); empty when none does, null when the score is",
    )
    price_per_post_usd: float = pa.Field(
        nullable=True,
        gt=0,
        description="USD per post: the rate card in force on D (latest valid_from <= D) times "
        "its currency's FX rate in force on D, else the tier's default price",
    )
    price_source: str = pa.Field(
        nullable=True,
        description="rate_card or tier_default; null when there is no tier and no usable card",
    )
    cpe_usd: float = pa.Field(
        nullable=True,
        ge=0,
        description="USD per engagement: price_per_post_usd / (engagements_30d / posts_30d); "
        "null without posts or engagements",
    )
    cpv_usd: float = pa.Field(
        nullable=True,
        ge=0,
        description="USD per view: price_per_post_usd / mean views of the 30-day posts that "
        "have views; null when there are none",
    )
    cost_per_1k_followers_usd: float = pa.Field(
        nullable=True,
        ge=0,
        description="USD per 1,000 followers: price_per_post_usd * 1000 / followers; null when "
        "followers are null or 0",
    )

    class Config:
        strict = True
        unique = ["as_of_date", "platform", "account_id"]
        description = (
            "One row per creator per as-of date D: the creators with a creator snapshot dated "
            "in [D-6, D], their followers, tier, posting, engagement, growth and cost."
        )

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

    as_of_date: pl.Date = pa.Field(description="the day the ranking is as of (UTC)")
    platform: str = pa.Field(description="instagram, tiktok or youtube")
    tier: str = pa.Field(description="the creator's tier on the as-of date")
    rank: Series[pl.Int32] = pa.Field(
        ge=1,
        description="1 = lowest cpe_usd; ties go to the higher engagement_rate_30d, then the "
        "lower account_id; 1..n with no gaps or repeats",
    )
    account_id: str = pa.Field(description="the platform's key of the creator")
    handle: str = pa.Field(nullable=True, description="as in creator_daily_metrics")
    niche: str = pa.Field(nullable=True, description="from roster.csv")
    country: str = pa.Field(
        nullable=True,
        description="from roster.csv (null on rows computed before this column was added: "
        "a backfill fills them)",
    )
    followers: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="followers (count), as in creator_daily_metrics"
    )
    engagement_rate_30d: float = pa.Field(
        nullable=True, ge=0, description="a share, as in creator_daily_metrics"
    )
    cpe_usd: float = pa.Field(ge=0, description="USD per engagement, as in creator_daily_metrics")
    price_per_post_usd: float = pa.Field(gt=0, description="USD per post")
    price_source: str = pa.Field(
        isin=["rate_card", "tier_default"], description="rate_card or tier_default"
    )
    authenticity_score: float = pa.Field(
        nullable=True,
        ge=0,
        le=100,
        description="0-100, as in creator_daily_metrics (at least CREATORLENS_MIN_AUTHENTICITY, "
        "or null: too little history)",
    )

    class Config:
        strict = True
        unique = ["as_of_date", "platform", "tier", "rank"]
        description = (
            "One row per eligible creator per (as_of_date, platform, tier), cheapest "
            "engagement first. Eligible: a tier other than emerging, posts_30d >= 3, a cpe_usd, "
            "and not suspicious_growth."
        )

    @pa.dataframe_check(name="ranks_are_1_to_n")
    @classmethod
    def ranks_are_1_to_n(cls, data) -> pl.LazyFrame:
        """Ranks in each group run 1..n with no gaps."""
        group = ["as_of_date", "platform", "tier"]
        return data.lazyframe.select(pl.col("rank").max().over(group) == pl.len().over(group))


class TierBenchmarks(pa.DataFrameModel):
    """tier_benchmarks: one row per (as_of_date, platform, tier)."""

    as_of_date: pl.Date = pa.Field(description="the day the benchmarks are as of (UTC)")
    platform: str = pa.Field(description="instagram, tiktok or youtube")
    tier: str = pa.Field(description="a tier of the tier scheme")
    creators: Series[pl.Int32] = pa.Field(
        ge=0, description="creators (count) of the tier with an engagement_rate_30d"
    )
    p25_engagement_rate_30d: float = pa.Field(
        nullable=True, description="first quartile of engagement_rate_30d, a share"
    )
    median_engagement_rate_30d: float = pa.Field(
        nullable=True, description="median of engagement_rate_30d, a share"
    )
    p75_engagement_rate_30d: float = pa.Field(
        nullable=True, description="third quartile of engagement_rate_30d, a share"
    )
    median_cpe_usd: float = pa.Field(
        nullable=True, description="median cost per engagement of the tier, USD"
    )

    class Config:
        strict = True
        unique = ["as_of_date", "platform", "tier"]
        description = (
            "One row per (as_of_date, platform, tier): engagement-rate quartiles and median "
            "cost per engagement, continuous quantiles (linear interpolation, as DuckDB's "
            "quantile_cont)."
        )


class TierHistory(pa.DataFrameModel):
    """tier_history: one row per stretch of days a creator spent in one tier."""

    platform: str = pa.Field(description="instagram, tiktok or youtube")
    account_id: str = pa.Field(description="the platform's key of the creator")
    tier: str = pa.Field(description="the tier of the stretch")
    valid_from: pl.Date = pa.Field(description="the first as-of date of the stretch")
    valid_to: pl.Date = pa.Field(
        nullable=True,
        description="the day before the next stretch starts; null while the stretch is current",
    )

    class Config:
        strict = True
        unique = ["platform", "account_id", "valid_from"]
        description = (
            "One row per stretch of consecutive computed as-of dates a creator spent in one "
            "tier. Days without a tier (hidden or stale followers) do not break a stretch."
        )


class _Event(pa.DataFrameModel):
    """What an authenticity event is, wherever it is kept."""

    platform: str = pa.Field(description="instagram, tiktok or youtube")
    account_id: str = pa.Field(description="the platform's key of the creator")
    flag: str = pa.Field(
        description="the rule the event is of: a rise (follower_burst over 1-6 days, "
        "follower_drip over 7 or more), the fall of engagement per follower after a rise "
        "(engagement_lag, on the rise's days), or a fall of followers (purge_drop)",
    )
    start_date: pl.Date = pa.Field(description="its first day (UTC)")
    end_date: pl.Date = pa.Field(description="its last day")
    followers_before: Series[pl.Int64] = pa.Field(
        ge=0, description="followers (count) the day before start_date (interpolated in a gap)"
    )
    followers_after: Series[pl.Int64] = pa.Field(ge=0, description="followers (count) on end_date")
    gained_share: float = pa.Field(
        description="followers_after / followers_before - 1, a share (negative: a fall)"
    )
    engagement_per_follower_before: float = pa.Field(
        nullable=True,
        ge=0,
        description="geometric mean over the creator's mature posts (5 days old or more, not "
        "viral) published in [D-89, start_date - 4] of engagements / followers when published; "
        "null without such posts",
    )
    engagement_per_follower_after: float = pa.Field(
        nullable=True,
        ge=0,
        description="the same over the posts published from the rise's start on; null without",
    )
    explaining_post_id: str = pa.Field(
        nullable=True,
        description="the viral post that explains a rise (published from 3 days before its "
        "start until half of it had arrived, engagement per follower many times the creator's "
        "usual, and engagement that follows the new count): such a rise does not count; null "
        "when nothing explains it",
    )


class AuthenticityEvents(_Event):
    """authenticity_events: one row per event any computed as-of date shows."""

    last_seen_as_of_date: pl.Date = pa.Field(
        description="the latest computed as-of date whose window shows the event: the figures "
        "are that date's"
    )

    class Config:
        strict = True
        unique = ["platform", "account_id", "flag", "start_date"]
        description = (
            "One row per authenticity event (design section 9) of any computed as-of date: the "
            "rises, falls and falls of engagement behind authenticity_flags, and the rises a "
            "viral post explains (explaining_post_id set: they do not count). It answers why "
            "a creator is flagged."
        )


class AuthenticityEventDays(_Event):
    """The events each computed as-of date shows (the warehouse's record, not published):
    authenticity_events is each event's latest."""

    as_of_date: pl.Date = pa.Field(description="the as-of date whose window shows the event")

    class Config:
        strict = True
        unique = ["as_of_date", "platform", "account_id", "flag", "start_date"]
        description = "One row per event per computed as-of date whose window shows it."


def _cost(what: str, denominator: str) -> float:
    return pa.Field(
        nullable=True,
        ge=0,
        description=f"USD per {what}: fee_usd / {denominator}; null when {denominator} is 0 or "
        "fee_usd null",
    )


class CampaignPerformance(pa.DataFrameModel):
    """campaign_performance: one row per creator of a campaign."""

    campaign_id: str = pa.Field(description="the campaign, from campaigns.csv")
    platform: str = pa.Field(description="instagram, tiktok or youtube")
    account_id: str = pa.Field(description="the platform's key of the creator")
    brand: str = pa.Field(nullable=True, description="from campaigns.csv")
    campaign_name: str = pa.Field(nullable=True, description="from campaigns.csv (name)")
    start_date: pl.Date = pa.Field(
        nullable=True, description="the campaign's first day; null when campaigns.csv lacks it"
    )
    end_date: pl.Date = pa.Field(nullable=True, description="the campaign's last day")
    results_through: pl.Date = pa.Field(
        nullable=True,
        description="the latest date of this creator's results in the campaign; null when none",
    )
    tier_at_start: str = pa.Field(
        nullable=True,
        description="the creator's tier on start_date - 1 (creator_daily_metrics' rule); null "
        "when it has none",
    )
    expected_cpe_usd: float = pa.Field(
        nullable=True,
        ge=0,
        description="USD per engagement: cpe_usd on start_date - 1, what the ranking expected",
    )
    posts: Series[pl.Int32] = pa.Field(
        ge=0, description="posts (count) of the creator published in [start_date, end_date]"
    )
    engagements: Series[pl.Int64] = pa.Field(
        ge=0, description="engagements (count) of those posts, from each one's latest snapshot"
    )
    views: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="views (count) of those posts; null when none has views"
    )
    clicks: Series[pl.Int64] = pa.Field(ge=0, description="clicks (count), summed over results")
    signups: Series[pl.Int64] = pa.Field(ge=0, description="signups (count), summed over results")
    purchases: Series[pl.Int64] = pa.Field(
        ge=0, description="purchases (count), summed over results"
    )
    revenue_usd: float = pa.Field(
        ge=0,
        description="USD: revenue summed over results, each at the FX rate in force on its "
        "date (a result without a rate in force counts 0 and is in ops.quarantine)",
    )
    fee_usd: float = pa.Field(
        nullable=True,
        gt=0,
        description="USD: the fee of campaign_creators.csv at the FX rate in force on "
        "start_date; null without one",
    )
    cpe_usd: float = _cost("engagement", "engagements")
    cpc_usd: float = _cost("click", "clicks")
    cost_per_signup_usd: float = _cost("signup", "signups")
    cpa_usd: float = _cost("purchase", "purchases")
    roas: float = pa.Field(
        nullable=True,
        ge=0,
        description="return on ad spend, a ratio: revenue_usd / fee_usd; null when fee_usd is",
    )
    click_through_rate: float = pa.Field(
        nullable=True,
        ge=0,
        description="a ratio: clicks / views; null when views is 0 or null",
    )
    conversion_rate: float = pa.Field(
        nullable=True,
        ge=0,
        description="a ratio: purchases / clicks; null when clicks is 0",
    )

    class Config:
        strict = True
        unique = ["campaign_id", "platform", "account_id"]
        description = (
            "One row per creator of a campaign (campaign_creators.csv), with results or not: "
            "what the creator delivered against the fee, beside the cost per engagement the "
            "ranking expected."
        )


class CampaignTierSummary(pa.DataFrameModel):
    """campaign_tier_summary: campaign results by tier at start."""

    campaign_id: str = pa.Field(
        nullable=True, description="the campaign; null on the rows over all campaigns"
    )
    platform: str = pa.Field(description="instagram, tiktok or youtube")
    tier_at_start: str = pa.Field(description="the creators' tier on start_date - 1")
    creators: Series[pl.Int32] = pa.Field(ge=0, description="creators (count)")
    fee_usd: float = pa.Field(nullable=True, ge=0, description="USD: fees summed")
    revenue_usd: float = pa.Field(ge=0, description="USD: revenue summed")
    clicks: Series[pl.Int64] = pa.Field(ge=0, description="clicks (count) summed")
    purchases: Series[pl.Int64] = pa.Field(ge=0, description="purchases (count) summed")
    roas: float = pa.Field(
        nullable=True,
        ge=0,
        description="return on ad spend, a ratio: revenue_usd / fee_usd; null when fee_usd is "
        "0 or null",
    )
    median_cpa_usd: float = pa.Field(
        nullable=True, description="USD per purchase: the median of the creators' cpa_usd"
    )
    median_cpc_usd: float = pa.Field(
        nullable=True, description="USD per click: the median of the creators' cpc_usd"
    )

    class Config:
        strict = True
        unique = ["campaign_id", "platform", "tier_at_start"]
        description = (
            "One row per (campaign_id, platform, tier_at_start) and one per (platform, "
            "tier_at_start) over all campaigns (campaign_id null). Creators without a tier at "
            "start are left out. Medians are continuous (as DuckDB's quantile_cont)."
        )


class BriefMatches(pa.DataFrameModel):
    """brief_matches: one row per creator of D passing a brief's filters, per brief."""

    as_of_date: pl.Date = pa.Field(description="the day the numbers are as of (UTC)")
    brief_id: str = pa.Field(description="the brief, from briefs.csv")
    platform: str = pa.Field(description="instagram, tiktok or youtube")
    account_id: str = pa.Field(description="the platform's key of the creator")
    brand: str = pa.Field(nullable=True, description="the brand the brief is for")
    handle: str = pa.Field(nullable=True, description="as in creator_daily_metrics")
    tier: str = pa.Field(nullable=True, description="as in creator_daily_metrics")
    followers: Series[pl.Int64] = pa.Field(
        nullable=True, ge=0, description="followers (count), as in creator_daily_metrics"
    )
    audience_date: pl.Date = pa.Field(
        nullable=True,
        description="the date of the creator's audience snapshot used: the latest file dated "
        "in [D-89, D] with a line for the creator; null when none",
    )
    audience_age_days: Series[pl.Int32] = pa.Field(
        nullable=True, ge=0, description="days (count) from audience_date to as_of_date"
    )
    country_share: float = pa.Field(
        nullable=True,
        ge=0,
        le=1,
        description="share of the audience in the brief's countries (of views on YouTube, of "
        "followers elsewhere); 1 when the brief leaves countries open, null when the snapshot "
        "lacks them",
    )
    age_share: float = pa.Field(
        nullable=True,
        ge=0,
        le=1,
        description="share in the brief's age buckets (YouTube: the ageGender table's "
        "marginal); 1 when open, null when lacking",
    )
    gender_share: float = pa.Field(
        nullable=True,
        ge=0,
        le=1,
        description="share in the brief's genders (YouTube: the ageGender table's marginal); "
        "1 when open, null when lacking",
    )
    target_share: float = pa.Field(
        nullable=True,
        ge=0,
        le=1,
        description="country_share x the share of the brief's ages and genders together: "
        "YouTube's joint table where it has one, else age_share x gender_share",
    )
    targeted_followers: float = pa.Field(
        nullable=True, ge=0, description="followers x target_share (not rounded)"
    )
    targeted_engagements_30d: float = pa.Field(
        nullable=True, ge=0, description="engagements_30d x target_share"
    )
    cpe_usd: float = pa.Field(
        nullable=True, ge=0, description="USD per engagement, as in creator_daily_metrics"
    )
    cost_per_targeted_engagement_usd: float = pa.Field(
        nullable=True,
        ge=0,
        description="cpe_usd / target_share: USD per engagement from the brief's audience; "
        "null when target_share is 0 or null",
    )
    suspicious_growth: bool = pa.Field(nullable=True, description="as in creator_daily_metrics")
    rank: Series[pl.Int32] = pa.Field(
        nullable=True,
        ge=1,
        description="1 = lowest cost_per_targeted_engagement_usd per (as_of_date, brief_id, "
        "platform); ties go to the higher target_share, then the lower account_id; null "
        "(unranked) when not ranking-eligible (creator_rankings), without an audience snapshot, "
        "with one over 30 days old, or without a cost",
    )

    class Config:
        strict = True
        unique = ["as_of_date", "brief_id", "platform", "account_id"]
        description = (
            "One row per (as_of_date, brief_id, platform, account_id) for the creators of D "
            "that pass the brief's platform, niche and follower filters (design section 10): "
            "what reaching the brief's own audience through each creator costs."
        )
