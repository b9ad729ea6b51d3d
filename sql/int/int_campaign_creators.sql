-- one row per creator of a campaign with the fee agreed, and where it was delivered
select c.campaign_id, c.platform, c.account_id, c.fee, c.currency, l.file, c.source_row, c.load_id
from staging.stg_campaign_creators as c
left join ops.loads as l using (load_id)
