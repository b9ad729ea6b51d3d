-- one row per audience bucket (and per line, dimension 'line') of the creators of platform
-- $platform whose account_id hashes to slice $slice of $slices, for as-of dates $dates: the
-- rows dated in the 90-day window [first date - 89, last date] their brief_matches read
select a.platform, a.account_id, a.snapshot_date, a.dimension, a.bucket, a.gender, a.value
from staging.stg_audience as a
where a.platform = $platform
  and hash(a.account_id) % $slices = $slice
  and a.snapshot_date between list_min($dates) - ($window_days - 1) and list_max($dates)
