-- one row per creator of a campaign (all campaigns, or $campaign): what they returned per
-- dollar, best return on spend first, beside the cost per engagement the ranking expected
select
    p.campaign_id as campaign,
    p.platform,
    coalesce(m.handle, p.account_id) as creator,
    p.tier_at_start as tier,
    p.fee_usd,
    p.revenue_usd,
    p.roas,
    p.purchases,
    p.cpa_usd,
    p.cpc_usd,
    p.expected_cpe_usd,
    p.cpe_usd,
    p.results_through
from marts.campaign_performance as p
left join marts.latest_creator_metrics as m using (platform, account_id)
where $campaign is null or p.campaign_id = $campaign
order by p.campaign_id, p.roas desc nulls last, p.platform, p.account_id
