-- one row per broken rule of a delivered row: which file, row, field, rule and value
create table if not exists ops.quarantine (
    load_id varchar not null,
    run_id varchar,
    file varchar not null,
    row_number bigint,
    field varchar,
    rule varchar not null,
    value varchar,
    quarantined_at timestamp not null
);
