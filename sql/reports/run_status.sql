-- one row: how one run is recorded in ops.runs
select flow, status, failure_reason
from ops.runs
where run_id = $run_id
