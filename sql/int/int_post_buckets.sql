-- the hash bucket ($buckets of them) of every account that the snapshots int_post_snapshots
-- reads name for a post: one row per post and bucket (creatorlens.partitions)
select distinct platform, post_id, hash(account_id) % $buckets as bucket
from staging.stg_post_snapshots
where snapshot_date between $start - $lookback_days and $end
  and published_date between $start - $lookback_days and $end
