-- one row per campaign, creator and day of results, and where it was delivered
select
    r.result_date, r.campaign_id, r.platform, r.account_id,
    r.clicks, r.signups, r.purchases, r.revenue, r.currency,
    l.file, r.source_row, r.load_id
from staging.stg_campaign_results as r
left join ops.loads as l using (load_id)
