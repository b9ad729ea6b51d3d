-- one row per load status: files and rows over all loads recorded
select
    status,
    count(*) as files,
    coalesce(sum(rows_loaded), 0) as loaded,
    coalesce(sum(rows_quarantined), 0) as quarantined,
    strftime(max(loaded_at), '%Y-%m-%d %H:%M') as latest
from ops.loads
group by status
order by status
