-- one row per (as_of_date, platform, tier): engagement-rate quartiles and median cost per engagement
create table if not exists marts.tier_benchmarks (
    as_of_date date not null,
    platform varchar not null,
    tier varchar not null,
    creators integer not null,
    p25_engagement_rate_30d double,
    median_engagement_rate_30d double,
    p75_engagement_rate_30d double,
    median_cpe_usd double
);
