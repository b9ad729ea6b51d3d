-- one row per audience bucket (and per line, dimension 'line') of the creators of platform
-- $platform whose account_id hashes to slice $slice of $slices, for as-of dates $dates: the
-- rows of the snapshots their brief_matches read, each creator's latest line dated in the
-- 90-day window [D - 89, D] of a date D of $dates (the other days' rows are never read)
with lines as (
    select account_id, snapshot_date
    from staging.stg_audience
    where platform = $platform
      and hash(account_id) % $slices = $slice
      and dimension = 'line'
      and snapshot_date between list_min($dates) - ($window_days - 1) and list_max($dates)
),

used as (
    select distinct l.account_id, max(l.snapshot_date) as snapshot_date
    from (select unnest($dates) as as_of_date) as d
    inner join lines as l
        on l.snapshot_date between d.as_of_date - ($window_days - 1) and d.as_of_date
    group by d.as_of_date, l.account_id
)

select a.platform, a.account_id, a.snapshot_date, a.dimension, a.bucket, a.gender, a.value
from staging.stg_audience as a
semi join used as u on a.account_id = u.account_id and a.snapshot_date = u.snapshot_date
where a.platform = $platform
  and hash(a.account_id) % $slices = $slice
  and a.snapshot_date between list_min($dates) - ($window_days - 1) and list_max($dates)
