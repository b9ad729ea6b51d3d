-- one row per creator of a campaign with the fee agreed, in the fee's currency (replaced whole
-- by each new campaign_creators.csv)
create table if not exists staging.stg_campaign_creators (
    campaign_id varchar not null,
    platform varchar not null,
    account_id varchar not null,
    fee double not null,
    currency varchar not null,
    load_id varchar not null,
    source_row bigint not null
);
