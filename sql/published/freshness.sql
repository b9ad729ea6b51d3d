-- per platform and entity: the latest snapshot date loaded and when a file of it last loaded
select
    coalesce(platform, 'agency') as platform,
    entity,
    max(snapshot_date) as latest_snapshot_date,
    max(loaded_at) as latest_loaded_at
from ops.loads
where status = 'loaded'
group by all
order by all
