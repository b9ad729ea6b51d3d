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
    failure_reason varchar,
    first_as_of_date date,
    last_as_of_date date,
    rows_written bigint,
    computed_dates varchar
);
-- warehouses written before these columns existed gain them
alter table ops.runs add column if not exists first_as_of_date date;
alter table ops.runs add column if not exists last_as_of_date date;
alter table ops.runs add column if not exists rows_written bigint;
alter table ops.runs add column if not exists computed_dates varchar;
