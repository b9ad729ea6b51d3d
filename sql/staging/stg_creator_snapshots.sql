-- one row per creator per snapshot date (partitioned by platform and snapshot date)
create table if not exists staging.stg_creator_snapshots (
    platform varchar not null,
    account_id varchar not null,
    snapshot_date date not null,
    handle varchar,
    followers bigint,
    is_followers_hidden boolean not null,
    load_id varchar not null,
    source_row bigint not null
);
