-- one row per platform and tier at start over all campaigns: what a dollar returned
select
    s.platform,
    s.tier_at_start as tier,
    s.creators,
    s.fee_usd,
    s.revenue_usd,
    s.roas,
    s.median_cpa_usd,
    s.median_cpc_usd
from marts.campaign_tier_summary as s
where s.campaign_id is null
order by
    s.platform,
    (select min(m.followers) from marts.latest_creator_metrics as m
     where m.platform = s.platform and m.tier = s.tier_at_start) nulls last,
    s.tier_at_start
