-- one row per post snapshot that can be a post's latest as of a date in [$start, $end]
-- (posts published from $start - $lookback_days, the longest window in transforms.engagement:
-- snapshots from $start on, plus each post's last before)
with window_posts as (
    select
        platform, post_id, account_id, snapshot_date, published_date,
        likes, comments, shares, saves, views
    from staging.stg_post_snapshots
    where snapshot_date between $start - $lookback_days and $end
      and published_date between $start - $lookback_days and $end
),

before_start as (
    select *
    from window_posts
    where snapshot_date < $start
    qualify row_number() over (partition by platform, post_id order by snapshot_date desc) = 1
),

from_start as (
    select * from window_posts where snapshot_date >= $start
)

select * from before_start
union all
select * from from_start
