-- one row per follower count of the flagged creators dated in [$as_of_date - 89, $as_of_date]
select s.platform, s.account_id, s.snapshot_date, s.followers
from staging.stg_creator_snapshots as s
semi join flagged as f using (platform, account_id)
where s.snapshot_date between $as_of_date - 89 and $as_of_date
  and s.followers is not null
order by s.platform, s.account_id, s.snapshot_date
