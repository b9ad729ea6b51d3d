-- one row per platform and entity: its latest snapshot on or before the report's as-of date,
-- how many days that lags the as-of date, and how the last run judged the source
select
    platform,
    entity,
    least(latest_snapshot_date, $as_of_date) as latest_snapshot,
    greatest(date_diff('day', latest_snapshot_date, $as_of_date), 0)::integer as days_behind,
    status || ' (on ' || strftime(checked_on, '%Y-%m-%d') || ')' as last_run_verdict
from ops.freshness
order by platform, entity
