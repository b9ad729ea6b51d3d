-- one row per creator of a campaign: design section 8 written directly in SQL, independently
-- of the polars transforms. Needs oracle_creator_daily_metrics for the days before the starts.
create or replace temp table oracle_campaign_performance as
with members as (
    select
        cc.campaign_id, cc.platform, cc.account_id, cc.fee, cc.currency,
        c.brand, c.campaign_name, c.start_date, c.end_date
    from staging.stg_campaign_creators as cc
    left join staging.stg_campaigns as c on c.campaign_id = cc.campaign_id
),

-- the fee in USD at the FX rate in force on start_date (USD is 1)
fees as (
    select
        m.*,
        m.fee * case when m.currency = 'USD' then 1.0 else (
            select arg_max(f.usd_per_unit, f.valid_from) from staging.stg_fx_rates as f
            where f.currency = m.currency and f.valid_from <= m.start_date
        ) end as fee_usd
    from members as m
),

-- each post's latest snapshot
post_latest as (
    select
        platform, account_id, post_id, published_date, views,
        coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(saves, 0)
            as engagements
    from staging.stg_post_snapshots
    qualify row_number() over (partition by platform, post_id order by snapshot_date desc) = 1
),

posts as (
    select
        m.campaign_id, m.platform, m.account_id,
        count(*) as posts, sum(p.engagements) as engagements, sum(p.views) as views
    from members as m
    inner join post_latest as p
        on p.platform = m.platform and p.account_id = m.account_id
        and p.published_date between m.start_date and m.end_date
    group by all
),

-- each result's revenue in USD at the FX rate in force on its date
results as (
    select
        r.*,
        r.revenue * case when r.currency = 'USD' then 1.0 else (
            select arg_max(f.usd_per_unit, f.valid_from) from staging.stg_fx_rates as f
            where f.currency = r.currency and f.valid_from <= r.result_date
        ) end as revenue_usd
    from staging.stg_campaign_results as r
),

delivered as (
    select
        campaign_id, platform, account_id,
        max(result_date) as results_through,
        sum(coalesce(clicks, 0)) as clicks,
        sum(coalesce(signups, 0)) as signups,
        sum(coalesce(purchases, 0)) as purchases,
        sum(coalesce(revenue_usd, 0)) as revenue_usd
    from results
    group by all
),

-- the creator's metrics on start_date - 1, a date the loaded snapshots reach
at_start as (
    select m.campaign_id, m.platform, m.account_id, d.tier, d.cpe_usd
    from members as m
    inner join oracle_creator_daily_metrics as d
        on d.platform = m.platform and d.account_id = m.account_id
        and d.as_of_date = m.start_date - 1
    where m.start_date - 1 <= (
        select max(snapshot_date) from (
            select snapshot_date from staging.stg_creator_snapshots
            union all select snapshot_date from staging.stg_post_snapshots
        )
    )
),

joined as (
    select
        f.campaign_id, f.platform, f.account_id, f.brand, f.campaign_name, f.start_date,
        f.end_date, d.results_through, s.tier as tier_at_start, s.cpe_usd as expected_cpe_usd,
        coalesce(p.posts, 0) as posts,
        coalesce(p.engagements, 0) as engagements,
        p.views,
        coalesce(d.clicks, 0) as clicks,
        coalesce(d.signups, 0) as signups,
        coalesce(d.purchases, 0) as purchases,
        coalesce(d.revenue_usd, 0) as revenue_usd,
        f.fee_usd
    from fees as f
    left join posts as p using (campaign_id, platform, account_id)
    left join delivered as d using (campaign_id, platform, account_id)
    left join at_start as s using (campaign_id, platform, account_id)
)

select
    *,
    case when engagements <> 0 then fee_usd / engagements end as cpe_usd,
    case when clicks <> 0 then fee_usd / clicks end as cpc_usd,
    case when signups <> 0 then fee_usd / signups end as cost_per_signup_usd,
    case when purchases <> 0 then fee_usd / purchases end as cpa_usd,
    case when fee_usd <> 0 then revenue_usd / fee_usd end as roas,
    case when views <> 0 then clicks / views end as click_through_rate,
    case when clicks <> 0 then purchases / clicks end as conversion_rate
from joined
