-- one row per campaign
select campaign_id, brand, campaign_name, start_date, end_date
from staging.stg_campaigns
