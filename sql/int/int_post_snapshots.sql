-- one row per post snapshot that can be a post's latest as of a date in [$start, $end]
-- (posts published from $start - $lookback_days, the longest window in transforms.engagement:
-- snapshots from $start on, plus each post's last before)

-- a post whose latest snapshot of all is before $start, and whose snapshots agree on its
-- published date, has that snapshot as its latest on every date of the range: it comes from
-- staging.stg_post_latest, kept at load, without reading its other snapshots
with settled as (
    select
        platform, post_id, account_id, snapshot_date, published_date,
        likes, comments, shares, saves, views
    from staging.stg_post_latest
    where snapshot_date between $start - $lookback_days and $start - 1
      and published_min = published_max
      and published_date between $start - $lookback_days and $end
),

-- the other posts that can count: snapshots from $start on, or published dates that differ
active as (
    select platform, post_id
    from staging.stg_post_latest
    where (snapshot_date >= $start or published_min <> published_max)
      and published_max >= $start - $lookback_days
      and published_min <= $end
),

-- (not materialized: read twice from staging, not held in memory whole)
window_posts as not materialized (
    select
        platform, post_id, account_id, snapshot_date, published_date,
        likes, comments, shares, saves, views
    from staging.stg_post_snapshots
    semi join active using (platform, post_id)
    where snapshot_date between $start - $lookback_days and $end
      and published_date between $start - $lookback_days and $end
),

-- each active post's last snapshot date before $start (an aggregate and a join: cheaper than
-- a window)
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

select * from settled
union all
select * from before_start
union all
select * from from_start
