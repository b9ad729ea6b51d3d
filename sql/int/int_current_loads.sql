-- one row per partition: the load whose rows the partition holds now
select platform, entity, snapshot_date, file, content_sha256, file_size, file_mtime_ns
from ops.loads
where status = 'loaded'
qualify row_number() over (
    partition by platform, entity, snapshot_date order by loaded_at desc, load_id desc
) = 1
