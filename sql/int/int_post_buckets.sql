-- the hash buckets ($buckets of them) of the accounts that the snapshots int_post_snapshots
-- reads name for each post whose snapshots name more than one account: one row per post and
-- bucket (creatorlens.partitions sends such a post to each; any other post goes to its one
-- account's bucket, with no need of a row here). Snapshots are read from the earliest date
-- any such post was published: none at all when no post changed account
with moved as (
    select platform, post_id, published_min
    from staging.stg_post_latest
    where account_min <> account_max
      and published_max >= $start - $lookback_days
      and published_min <= $end
      and snapshot_date >= $start - $lookback_days
)

select distinct platform, post_id, (hash(account_id) % $buckets)::integer as bucket
from staging.stg_post_snapshots
semi join moved using (platform, post_id)
where snapshot_date between greatest(
        $start - $lookback_days,
        coalesce((select min(published_min) from moved), $end + 1)
    ) and $end
  and published_date between $start - $lookback_days and $end
