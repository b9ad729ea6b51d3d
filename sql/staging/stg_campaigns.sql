-- one row per campaign a brand runs (replaced whole by each new campaigns.csv)
create table if not exists staging.stg_campaigns (
    campaign_id varchar not null,
    brand varchar,
    campaign_name varchar,
    start_date date not null,
    end_date date not null,
    load_id varchar not null,
    source_row bigint not null
);
