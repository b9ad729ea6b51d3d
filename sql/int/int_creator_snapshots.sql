-- one row per creator snapshot that as-of dates in [$start, $end] need (staleness, 30-day growth)
select platform, account_id, snapshot_date, handle, followers
from staging.stg_creator_snapshots
where snapshot_date between $start - 36 and $end
