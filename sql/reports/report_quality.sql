-- one row per recent run (the last 30) and outcome: files loaded or rejected, rows quarantined
with recent as (
    select run_id, started_at
    from ops.runs
    order by started_at desc
    limit 30
),

files as (
    select l.run_id, 'files ' || l.status as measure, count(*) as amount
    from ops.loads as l
    where l.run_id in (select run_id from recent)
    group by all
),

quarantined as (
    select q.run_id, 'rows quarantined: ' || q.rule as measure, count(*) as amount
    from ops.quarantine as q
    where q.run_id in (select run_id from recent)
    group by all
)

select
    strftime(r.started_at, '%Y-%m-%d %H:%M') || ' ' || left(r.run_id, 8) as run,
    m.measure,
    m.amount
from (select * from files union all select * from quarantined) as m
join recent as r using (run_id)
order by r.started_at, m.measure
