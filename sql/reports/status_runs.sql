-- one row per recent run, newest first
select
    left(run_id, 8) as run,
    flow,
    status,
    strftime(started_at, '%m-%d %H:%M') as started,
    cast(round(epoch(finished_at - started_at)) as integer) as secs,
    rows_loaded as loaded,
    rows_quarantined as quarant,
    rows_published as published,
    failure_reason as reason
from ops.runs
order by started_at desc
limit $limit
