-- one row per date that some creator or post snapshot carries (of the given platforms, or all)
select distinct snapshot_date
from (
    select platform, snapshot_date from staging.stg_creator_snapshots
    union all
    select platform, snapshot_date from staging.stg_post_snapshots
)
where $platforms is null or list_contains($platforms, platform)
order by snapshot_date
