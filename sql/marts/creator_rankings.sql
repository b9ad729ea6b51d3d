-- one row per eligible creator per (as_of_date, platform, tier), rank 1 = lowest cost per engagement
create table if not exists marts.creator_rankings (
    as_of_date date not null,
    platform varchar not null,
    tier varchar not null,
    rank integer not null,
    account_id varchar not null,
    handle varchar,
    niche varchar,
    followers bigint,
    engagement_rate_30d double,
    cpe_usd double not null,
    price_per_post_usd double not null,
    price_source varchar not null
);
