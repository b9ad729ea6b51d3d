-- one row per file load: a file loaded (first time or restated) or rejected; unchanged files add none
create table if not exists ops.loads (
    load_id varchar not null,
    run_id varchar,
    file varchar not null,
    platform varchar,
    entity varchar,
    snapshot_date date,
    content_sha256 varchar,
    file_size bigint,
    file_mtime_ns bigint,
    status varchar not null,
    rows_read integer,
    rows_loaded integer,
    rows_quarantined integer,
    rows_duplicate integer,
    message varchar,
    loaded_at timestamp not null
);
