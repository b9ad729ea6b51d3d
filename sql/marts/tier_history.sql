-- one row per stretch of days a creator spent in one tier (valid_to null while current)
create table if not exists marts.tier_history (
    platform varchar not null,
    account_id varchar not null,
    tier varchar not null,
    valid_from date not null,
    valid_to date
);
