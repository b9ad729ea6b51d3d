-- one row per campaign, creator and day of results (partitioned by result date: a restated
-- results file replaces its day)
create table if not exists staging.stg_campaign_results (
    result_date date not null,
    campaign_id varchar not null,
    platform varchar not null,
    account_id varchar not null,
    clicks bigint,
    signups bigint,
    purchases bigint,
    revenue double,
    currency varchar,
    load_id varchar not null,
    source_row bigint not null
);
