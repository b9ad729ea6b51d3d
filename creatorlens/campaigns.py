"""Computing the campaign marts into the warehouse (design section 8).

They are small (a row per campaign creator) and read every input they depend on, so every
run computes them whole: late results, restated days, new fees, posts and FX rates are in
them after the next run, with no bookkeeping of what changed.
"""

import duckdb
import polars as pl

from creatorlens import marts
from creatorlens.reference import TierScheme
from creatorlens.warehouse import insert_frame, query_frame, transaction
from schemas.marts import CampaignPerformance, CampaignTierSummary
from transforms.campaigns import campaign_marts, start_dates
from transforms.followers import CREATOR
from transforms.metrics import COLUMNS


def compute_campaigns(con: duckdb.DuckDBPyConnection, scheme: TierScheme, run_id: str = "") -> int:
    """Recompute marts.campaign_performance and marts.campaign_tier_summary; report fees and
    revenue without an FX rate in force in ops.quarantine. Returns the creator rows."""
    campaigns = query_frame(con, "int/int_campaigns")
    members = query_frame(con, "int/int_campaign_creators")
    results = query_frame(con, "int/int_campaign_results")
    computed = campaign_marts(
        campaigns,
        members.drop("file", "source_row", "load_id"),
        results.drop("file", "source_row", "load_id"),
        post_snapshots=query_frame(con, "int/int_campaign_posts"),
        fx_rates=query_frame(con, "int/int_fx_rates"),
        start_metrics=_metrics_at_start(con, scheme, campaigns, members),
    )
    performance = CampaignPerformance.validate(computed.performance, lazy=True)
    summary = CampaignTierSummary.validate(computed.tier_summary, lazy=True)
    fees = computed.fees_without_fx.join(members, on=["campaign_id", *CREATOR])
    revenue = computed.revenue_without_fx.join(results, on=["campaign_id", *CREATOR, "result_date"])
    with transaction(con):
        con.execute("delete from marts.campaign_performance")
        insert_frame(con, "marts.campaign_performance", performance)
        con.execute("delete from marts.campaign_tier_summary")
        insert_frame(con, "marts.campaign_tier_summary", summary)
        marts.report_quarantined(con, fees, "currency", "fx_rate_in_force", run_id)
        marts.report_quarantined(con, revenue, "currency", "fx_rate_in_force", run_id)
    return performance.height


def _metrics_at_start(
    con: duckdb.DuckDBPyConnection,
    scheme: TierScheme,
    campaigns: pl.DataFrame,
    members: pl.DataFrame,
) -> pl.DataFrame:
    """creator_daily_metrics of the campaigns' creators on the day before each start that
    the loaded snapshots reach (a later day is not known yet: no tier at start), computed
    in one pass over the days from the first such day to the last (the snapshots are read
    once; the campaigns' creators are few)."""
    loaded = marts.snapshot_dates(con)
    days = [day for day in start_dates(campaigns) if loaded and day <= loaded[-1]]
    columns = {name: COLUMNS[name] for name in ("as_of_date", *CREATOR, "tier", "cpe_usd")}
    if not days:
        return pl.DataFrame(schema=columns)
    creators = members.select(CREATOR).unique()
    metrics = marts.daily_metrics(con, scheme, days[0], days[-1], creators=creators)
    return metrics.metrics.filter(pl.col("as_of_date").is_in(days)).select(list(columns))
