-- one row per creator snapshot that as-of dates in [$start, $end] read (staleness, 30-day
-- growth, the authenticity window): those dated from $start - $lookback_days (transforms.metrics)
select platform, account_id, snapshot_date, handle, followers
from staging.stg_creator_snapshots
where snapshot_date between $start - $lookback_days and $end
