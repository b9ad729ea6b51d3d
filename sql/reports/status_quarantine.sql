-- one row per field and rule: rows quarantined over all loads
select field, rule, count(*) as rows, count(distinct file) as files
from ops.quarantine
group by field, rule
order by rows desc, field, rule
