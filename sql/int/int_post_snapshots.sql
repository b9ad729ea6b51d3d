-- one row per post snapshot that can be a post's latest as of a date in [$start, $end]
-- (posts published from $start - $lookback_days, the longest window in transforms.engagement:
-- snapshots from $start on, plus each post's last before)

-- a post whose latest snapshot of all is dated $start or before, and whose snapshots agree on
-- its published date, has that snapshot as its latest on every date of the range: it comes
-- from staging.stg_post_latest, kept at load, without reading its other snapshots (so a range
-- of one date that is the latest loaded, a nightly's, reads no other snapshot at all)
with settled as (
    select
        platform, post_id, account_id, snapshot_date, published_date,
        likes, comments, shares, saves, views
    from staging.stg_post_latest
    where snapshot_date between $start - $lookback_days and $start
      and published_min = published_max
      and published_date between $start - $lookback_days and $end
),

-- the other posts that can count: snapshots after $start, or published dates that differ
active as (
    select platform, post_id, published_min
    from staging.stg_post_latest
    where (snapshot_date > $start or published_min <> published_max)
      and published_max >= $start - $lookback_days
      and published_min <= $end
),

in_window as not materialized (
    select
        platform, post_id, account_id, snapshot_date, published_date,
        likes, comments, shares, saves, views
    from staging.stg_post_snapshots
    where published_date between $start - $lookback_days and $end
),

from_start as (
    select *
    from in_window
    semi join active using (platform, post_id)
    where snapshot_date between $start and $end
),

-- an active post with a snapshot dated $start has its latest from $start on, on every date
-- of the range; the others (new in the range, or not measured on $start) need their last
-- snapshot before $start. Their snapshots are read from the earliest date any of them was
-- published (no snapshot predates its post), so a range whose posts were all measured on
-- its first day reads no older snapshot at all
need_before as (
    select platform, post_id, published_min
    from active
    anti join (select platform, post_id from from_start where snapshot_date = $start)
        using (platform, post_id)
),

before_window as not materialized (
    select *
    from in_window
    semi join need_before using (platform, post_id)
    where snapshot_date between greatest(
            $start - $lookback_days,
            coalesce((select min(published_min) from need_before), $start)
        ) and $start - 1
),

-- each such post's last snapshot date before $start (an aggregate and a join: cheaper than
-- a window)
last_before_start as (
    select platform, post_id, max(snapshot_date) as snapshot_date
    from before_window
    group by platform, post_id
),

before_start as (
    select before_window.*
    from before_window
    inner join last_before_start using (platform, post_id, snapshot_date)
)

select * from settled
union all
select * from before_start
union all
select * from from_start
