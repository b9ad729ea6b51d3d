"""marts.creator_rankings and marts.tier_benchmarks from creator_daily_metrics."""

import polars as pl

from creatorlens.schemas.declared import polars_columns
from creatorlens.schemas.marts import CreatorRankings

GROUP = ["as_of_date", "platform", "tier"]
UNRANKED_TIER = "emerging"
MIN_POSTS_30D = 3

RANKING_COLUMNS = list(polars_columns(CreatorRankings))


def creator_rankings(metrics: pl.DataFrame) -> pl.DataFrame:
    """One row per eligible creator per (as-of date, platform, tier): rank 1 is the lowest cost
    per engagement; ties go to the higher 30-day engagement rate, then the lower account id."""
    eligible = metrics.filter(
        pl.col("tier").is_not_null(),
        pl.col("tier") != UNRANKED_TIER,
        pl.col("posts_30d") >= MIN_POSTS_30D,
        pl.col("cpe_usd").is_not_null(),
        ~pl.col("suspicious_growth").fill_null(False),
    )
    ordered = eligible.sort(
        [*GROUP, "cpe_usd", "engagement_rate_30d", "account_id"],
        descending=[False, False, False, False, True, False],
        nulls_last=True,
    )
    ranked = ordered.with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over(GROUP).alias("rank")
    )
    return ranked.select(RANKING_COLUMNS)


def tier_benchmarks(metrics: pl.DataFrame) -> pl.DataFrame:
    """One row per (as-of date, platform, tier): quartiles of the 30-day engagement rate and the
    median cost per engagement (continuous, as DuckDB's quantile_cont)."""
    rate = pl.col("engagement_rate_30d")
    return (
        metrics.filter(pl.col("tier").is_not_null())
        .group_by(GROUP)
        .agg(
            rate.count().cast(pl.Int32).alias("creators"),
            rate.quantile(0.25, "linear").alias("p25_engagement_rate_30d"),
            rate.quantile(0.5, "linear").alias("median_engagement_rate_30d"),
            rate.quantile(0.75, "linear").alias("p75_engagement_rate_30d"),
            pl.col("cpe_usd").quantile(0.5, "linear").alias("median_cpe_usd"),
        )
        .sort(GROUP)
    )
