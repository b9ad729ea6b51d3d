-- one row per creator per computed as-of date from $start on: its tier (what tier_history's
-- stretches from $start on are made of)
select platform, account_id, as_of_date, tier
from marts.creator_daily_metrics
where as_of_date >= $start
