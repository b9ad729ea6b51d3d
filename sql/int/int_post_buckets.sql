-- the hash bucket ($buckets of them) of every account that the snapshots int_post_snapshots
-- reads name for a post: one row per post and bucket (creatorlens.partitions). A post whose
-- snapshots all name one account has that one; the few others are read from their snapshots.
with in_window as (
    select platform, post_id, account_id, account_min = account_max as one_account
    from staging.stg_post_latest
    where published_max >= $start - $lookback_days
      and published_min <= $end
      and snapshot_date >= $start - $lookback_days
)

select platform, post_id, hash(account_id) % $buckets as bucket
from in_window
where one_account
union
select platform, post_id, hash(account_id) % $buckets as bucket
from staging.stg_post_snapshots
semi join (select platform, post_id from in_window where not one_account) using (platform, post_id)
where snapshot_date between $start - $lookback_days and $end
  and published_date between $start - $lookback_days and $end
