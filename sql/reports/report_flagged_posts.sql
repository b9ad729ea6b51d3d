-- one row per post of the flagged creators published in [$as_of_date - 89, $as_of_date]: its
-- engagements from its latest snapshot dated on or before $as_of_date (design section 4)
select
    s.platform,
    arg_max(s.account_id, s.snapshot_date) as account_id,
    s.post_id,
    arg_max(s.published_date, s.snapshot_date) as published_date,
    arg_max(
        coalesce(s.likes, 0) + coalesce(s.comments, 0) + coalesce(s.shares, 0)
        + coalesce(s.saves, 0),
        s.snapshot_date
    ) as engagements
from staging.stg_post_snapshots as s
semi join flagged as f using (platform, account_id)
where s.snapshot_date <= $as_of_date
  and s.published_date between $as_of_date - 89 and $as_of_date
group by s.platform, s.post_id
order by 1, 2, 4
