-- one row per file, field and rule: the rows one run quarantined
select file, field, rule, count(*) as rows
from ops.quarantine
where run_id = $run_id
group by file, field, rule
order by rows desc, file, field, rule
