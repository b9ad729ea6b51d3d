-- one row per platform and tier of one as-of date: its follower range and median engagement
select
    platform,
    tier,
    min(followers) as min_followers,
    max(followers) as max_followers,
    median(engagement_rate_30d) as median_engagement_rate_30d
from marts.creator_daily_metrics
where as_of_date = $as_of_date and followers > 0 and engagement_rate_30d is not null
group by all
order by platform, min_followers
