-- one row: the latest snapshot date any creator or post snapshot carries
select max(snapshot_date) as latest_snapshot_date
from (
    select snapshot_date from staging.stg_creator_snapshots
    union all
    select snapshot_date from staging.stg_post_snapshots
)
