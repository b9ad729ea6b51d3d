-- one row per recent run, newest first: what it was asked, how it ended, the rows it wrote
select
    left(run_id, 8) as run,
    flow,
    status,
    strftime(started_at, '%m-%d %H:%M') as started,
    cast(round(epoch(finished_at - started_at)) as integer) as secs,
    case
        when first_as_of_date = last_as_of_date then cast(first_as_of_date as varchar)
        else first_as_of_date || ' to ' || last_as_of_date
    end as as_of,
    rows_loaded as loaded,
    rows_quarantined as quarant,
    rows_written as wrote,
    failure_reason as reason
from ops.runs
order by started_at desc
limit $limit
