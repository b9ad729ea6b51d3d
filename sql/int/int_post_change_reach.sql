-- one row: the last as-of date that the touched posts' snapshots of one day reach (each post's
-- latest snapshot until its next one, within $lookback_days of its published date)
with reach as (
    select least(
        coalesce(
            (
                select min(s.snapshot_date)
                from staging.stg_post_snapshots as s
                where s.platform = $platform
                  and s.post_id = t.post_id
                  and s.snapshot_date > $snapshot_date
            ) - 1,
            t.published_date + $lookback_days
        ),
        t.published_date + $lookback_days
    ) as last_as_of_date
    from touched_posts as t
)

select max(last_as_of_date) filter (where last_as_of_date >= $snapshot_date) as last_as_of_date
from reach
