-- one row per creator suspicious_growth flags on $as_of_date, lowest authenticity score first:
-- the ones the report draws
select
    platform,
    account_id,
    coalesce(handle, account_id) as creator,
    followers,
    authenticity_score,
    array_to_string(authenticity_flags, ', ') as flags
from marts.creator_daily_metrics
where as_of_date = $as_of_date and suspicious_growth
order by authenticity_score, followers desc nulls last, platform, account_id
limit $limit
