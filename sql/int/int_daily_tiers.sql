-- one row per creator per as-of date computed so far: its tier (the input of tier_history)
select platform, account_id, as_of_date, tier
from marts.creator_daily_metrics
