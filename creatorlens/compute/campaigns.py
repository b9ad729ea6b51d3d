"""Computing the campaign marts into the warehouse (design section 8).

They are small (a row per campaign creator) and read every input they depend on, so every
run computes them whole: late results, restated days, new fees, posts and FX rates are in
them after the next run, with no bookkeeping of what changed. The creators' metrics at each
start are the exception: they are read from creator_daily_metrics where that day is computed
and no change waits to reach it, as computing them again from staging costs most of the work
at scale.
"""

import duckdb
import polars as pl

from creatorlens.compute import marts, recompute
from creatorlens.reference import TierScheme
from creatorlens.schemas.marts import CampaignPerformance, CampaignTierSummary
from creatorlens.transforms.campaigns import campaign_marts, start_dates
from creatorlens.transforms.followers import CREATOR
from creatorlens.transforms.metrics import COLUMNS
from creatorlens.warehouse import insert_frame, query_frame, registered, transaction


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
    the loaded snapshots reach (a later day is not known yet: no tier at start).

    A day already in marts.creator_daily_metrics for every platform of those creators, and
    reached by no change waiting to be recomputed, is read from there (its rows are what
    computing it again would give). The other days are computed in one pass over the days
    from the first to the last of them (the snapshots are read once; the creators are few)."""
    loaded = marts.snapshot_dates(con)
    days = [day for day in start_dates(campaigns) if loaded and day <= loaded[-1]]
    columns = {name: COLUMNS[name] for name in ("as_of_date", *CREATOR, "tier", "cpe_usd")}
    if not days:
        return pl.DataFrame(schema=columns)
    creators = members.select(CREATOR).unique()
    stored = _stored_days(con, days, creators["platform"].unique().to_list())
    kept = pl.DataFrame(schema=columns)
    if stored:
        with registered(con, "campaign_creators", creators):
            kept = (
                con.sql(
                    f"select {', '.join(columns)} from marts.creator_daily_metrics"
                    " semi join campaign_creators using (platform, account_id)"
                    " where as_of_date in (select unnest($days))",
                    params={"days": stored},
                )
                .pl()
                .cast(columns)
            )
    computing = [day for day in days if day not in stored]
    if not computing:
        return kept
    metrics = marts.daily_metrics(con, scheme, computing[0], computing[-1], creators=creators)
    computed = metrics.metrics.filter(pl.col("as_of_date").is_in(computing))
    return pl.concat([kept, computed.select(list(columns))])


def _stored_days(con: duckdb.DuckDBPyConnection, days: list, platforms: list[str]) -> list:
    """The `days` that marts.creator_daily_metrics holds for every one of `platforms` and that
    no recorded change reaches (recompute.pending)."""
    reached = set(recompute.pending(con)["as_of_date"].drop_nulls())
    complete = con.execute(
        "select as_of_date from marts.creator_daily_metrics"
        " where as_of_date in (select unnest($days)) and platform in (select unnest($platforms))"
        " group by as_of_date having count(distinct platform) = $count",
        {"days": days, "platforms": platforms, "count": len(platforms)},
    ).fetchall()
    return sorted(day for (day,) in complete if day not in reached)
