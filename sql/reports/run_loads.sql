-- one row per load status of one run (unchanged files add no rows): files and rows
select status, count(*) as files, coalesce(sum(rows_loaded), 0) as rows_loaded,
    coalesce(sum(rows_quarantined), 0) as rows_quarantined
from ops.loads
where run_id = $run_id
group by status
order by status
