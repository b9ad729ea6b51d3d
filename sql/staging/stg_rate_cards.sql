-- one row per creator's price per post from a valid-from date, in the card's currency
create table if not exists staging.stg_rate_cards (
    platform varchar not null,
    account_id varchar not null,
    price_per_post double not null,
    currency varchar not null,
    valid_from date not null,
    load_id varchar not null,
    source_row bigint not null
);
