-- one row per currency's USD value from a valid-from date
create table if not exists staging.stg_fx_rates (
    currency varchar not null,
    usd_per_unit double not null,
    valid_from date not null,
    load_id varchar not null,
    source_row bigint not null
);
