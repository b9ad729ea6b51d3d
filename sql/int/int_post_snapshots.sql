-- one row per post snapshot that can be a post's latest as of a date in [$start, $end]
-- (posts published from $start - $lookback_days, the longest window in transforms.engagement:
-- snapshots from $start on, plus each post's last before)
-- (not materialized: read twice from staging, not held in memory whole)
with window_posts as not materialized (
    select
        platform, post_id, account_id, snapshot_date, published_date,
        likes, comments, shares, saves, views
    from staging.stg_post_snapshots
    where snapshot_date between $start - $lookback_days and $end
      and published_date between $start - $lookback_days and $end
),

-- each post's last snapshot date before $start (an aggregate and a join: cheaper than a window)
last_before_start as (
    select platform, post_id, max(snapshot_date) as snapshot_date
    from window_posts
    where snapshot_date < $start
    group by platform, post_id
),

before_start as (
    select window_posts.*
    from window_posts
    inner join last_before_start using (platform, post_id, snapshot_date)
),

from_start as (
    select * from window_posts where snapshot_date >= $start
)

select * from before_start
union all
select * from from_start
