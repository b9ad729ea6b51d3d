-- one row per post per snapshot date (partitioned by platform and snapshot date)
create table if not exists staging.stg_post_snapshots (
    platform varchar not null,
    post_id varchar not null,
    account_id varchar not null,
    snapshot_date date not null,
    published_at timestamp not null,
    published_date date not null,
    likes bigint,
    comments bigint,
    shares bigint,
    saves bigint,
    views bigint,
    load_id varchar not null,
    source_row bigint not null
);
