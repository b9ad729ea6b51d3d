-- one row per as-of date a creator has in creator_daily_metrics: its assessment
select
    as_of_date,
    handle,
    followers,
    tier,
    engagement_rate_30d,
    authenticity_score,
    authenticity_flags,
    suspicious_growth
from marts.creator_daily_metrics
where platform = $platform
  and account_id = $account_id
order by as_of_date
