-- per replaced posts partition (platform, snapshot_date): the last as-of date that its touched
-- posts' snapshots reach (each post's latest snapshot until its next one, within $lookback_days
-- of its published date); null when none reaches the partition's own day
with next_snapshots as (
    select
        t.platform, t.snapshot_date, t.post_id, t.published_date,
        min(s.snapshot_date) as next_snapshot_date
    from touched_posts as t
    left join staging.stg_post_snapshots as s
        on s.platform = t.platform
       and s.post_id = t.post_id
       and s.snapshot_date > t.snapshot_date
    group by all
),

reach as (
    select
        platform, snapshot_date,
        least(
            coalesce(next_snapshot_date - 1, published_date + $lookback_days),
            published_date + $lookback_days
        ) as last_as_of_date
    from next_snapshots
)

select
    platform, snapshot_date,
    max(last_as_of_date) filter (where last_as_of_date >= snapshot_date) as last_as_of_date
from reach
group by all
