-- one row per creator snapshot that can serve an as-of date in [$start, $end] (dated [$start - 6, $end])
select platform, account_id, snapshot_date, handle, followers
from staging.stg_creator_snapshots
where snapshot_date between $start - 6 and $end
