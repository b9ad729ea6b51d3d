-- one row per (campaign, platform, tier at start) and per (platform, tier at start), from the
-- oracle's campaign_performance
select
    campaign_id, platform, tier_at_start,
    count(*) as creators,
    sum(fee_usd) as fee_usd,
    sum(revenue_usd) as revenue_usd,
    sum(clicks) as clicks,
    sum(purchases) as purchases,
    case when sum(fee_usd) <> 0 then sum(revenue_usd) / sum(fee_usd) end as roas,
    quantile_cont(cpa_usd, 0.5) as median_cpa_usd,
    quantile_cont(cpc_usd, 0.5) as median_cpc_usd
from oracle_campaign_performance
where tier_at_start is not null
group by grouping sets ((campaign_id, platform, tier_at_start), (platform, tier_at_start))
