-- one row per creator the agency tracks (replaced whole by each new roster.csv)
create table if not exists staging.stg_roster (
    platform varchar not null,
    account_id varchar not null,
    niche varchar,
    country varchar,
    load_id varchar not null,
    source_row bigint not null
);
