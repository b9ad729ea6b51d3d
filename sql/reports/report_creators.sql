-- one row per creator of one as-of date with followers and an engagement rate (the scatter)
select platform, tier, coalesce(handle, account_id) as creator, followers, engagement_rate_30d
from marts.creator_daily_metrics
where as_of_date = $as_of_date
  and followers > 0
  and engagement_rate_30d is not null
  and tier is not null
