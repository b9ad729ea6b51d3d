-- about how many staging rows the shards of as-of dates [$start, $end] read, per platform
-- (creatorlens.compute.shards.bucket_count): the creator snapshots of the look-back window, each
-- post's latest snapshot up to $start, and the post snapshots after $start (counts that
-- read the snapshot dates alone)
select platform, sum(snapshots) as snapshots
from (
    select platform, count(*) as snapshots
    from staging.stg_creator_snapshots
    where snapshot_date between $start - $creator_lookback_days and $end
    group by platform
    union all
    select platform, count(*)
    from staging.stg_post_latest
    where snapshot_date between $start - $post_lookback_days and $start
    group by platform
    union all
    select platform, count(*)
    from staging.stg_post_snapshots
    where snapshot_date between $start + 1 and $end
    group by platform
)
group by platform
