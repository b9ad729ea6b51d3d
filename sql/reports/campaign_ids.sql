-- the campaigns published, with their brand and dates
select distinct campaign_id, brand, campaign_name, start_date, end_date
from marts.campaign_performance
order by campaign_id
