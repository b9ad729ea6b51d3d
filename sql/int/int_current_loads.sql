-- one row per partition: the load whose rows the partition holds now, and whether a publish
-- has happened since (a load after the last completed run is not published yet)
select
    platform, entity, snapshot_date, file, content_sha256, file_size, file_mtime_ns,
    rows_read, rows_loaded, rows_quarantined, rows_duplicate,
    loaded_at > coalesce(
        (select max(finished_at) from ops.runs where status = 'completed'), '-infinity'::timestamp
    ) as unpublished
from ops.loads
where status = 'loaded'
qualify row_number() over (
    partition by platform, entity, snapshot_date order by loaded_at desc, load_id desc
) = 1
