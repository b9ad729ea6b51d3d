-- one row per date that some creator or post snapshot carries (of the given platforms, or all),
-- up to $latest: a partition dated later (loaded before such folders were refused) is no date
-- a run may compute
select distinct snapshot_date
from (
    select platform, snapshot_date from staging.stg_creator_snapshots
    union all
    select platform, snapshot_date from staging.stg_post_snapshots
)
where ($platforms is null or list_contains($platforms, platform))
  and snapshot_date <= $latest
order by snapshot_date
