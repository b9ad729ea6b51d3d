-- one row per audience bucket (and per line, dimension 'line') of the creators of as-of dates
-- $dates, dated in the 90-day window [first date - 89, last date] their brief_matches read
select a.platform, a.account_id, a.snapshot_date, a.dimension, a.bucket, a.gender, a.value
from staging.stg_audience as a
semi join (
    select distinct platform, account_id from marts.creator_daily_metrics
    where list_contains($dates, as_of_date)
) as c using (platform, account_id)
where a.snapshot_date between list_min($dates) - ($window_days - 1) and list_max($dates)
