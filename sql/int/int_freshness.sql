-- per platform and entity with snapshots loaded: the latest snapshot date and load, and how
-- many days the snapshots lag the run's date ($run_date): fresh, warn (from
-- $warn_after_days behind) or error (from $error_after_days behind); the daily snapshots only:
-- audience files come weekly or less often, and brief_matches judges their age itself
with latest as (
    select
        platform,
        entity,
        max(snapshot_date) as latest_snapshot_date,
        max(loaded_at) as latest_loaded_at
    from ops.loads
    where status = 'loaded' and platform is not null and entity in ('creators', 'posts')
    group by all
)

select
    platform,
    entity,
    latest_snapshot_date,
    latest_loaded_at,
    $run_date::date as checked_on,
    greatest(($run_date::date - latest_snapshot_date)::integer, 0) as days_behind,
    case
        when $run_date::date - latest_snapshot_date >= $error_after_days then 'error'
        when $run_date::date - latest_snapshot_date >= $warn_after_days then 'warn'
        else 'fresh'
    end as status
from latest
order by all
