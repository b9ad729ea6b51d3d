-- one row per tier and place: a platform's most engaging creators of one as-of date (3+ posts in 30 days)
with candidates as (
    select tier, handle, account_id, followers, posts_30d, engagement_rate_30d
    from marts.creator_daily_metrics
    where as_of_date = $as_of_date
      and platform = $platform
      and tier is not null
      and posts_30d >= 3
      and engagement_rate_30d is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by tier order by engagement_rate_30d desc, account_id
        ) as place,
        min(followers) over (partition by tier) as tier_floor
    from candidates
)

select tier, place, handle, account_id, followers, posts_30d, engagement_rate_30d
from ranked
where place <= $per_tier
order by tier_floor, place
