-- one row per flow run that reached the warehouse: what it was asked, how it ended, what it moved
create table if not exists ops.runs (
    run_id varchar not null,
    flow varchar not null,
    parameters varchar,
    started_at timestamp not null,
    finished_at timestamp,
    status varchar not null,
    rows_loaded bigint,
    rows_quarantined bigint,
    rows_published bigint,
    failure_reason varchar
);
