-- each post's latest snapshot, and the range of the published dates and accounts its snapshots
-- give, kept by the loader in the same transaction as stg_post_snapshots (creatorlens.loader): the posts
-- whose latest snapshot is before a range need no other (int_post_snapshots). Created from
-- stg_post_snapshots the first time (a warehouse older than this table).
create table if not exists staging.stg_post_latest as
select
    platform, post_id, account_id, snapshot_date, published_date,
    likes, comments, shares, saves, views,
    min(published_date) over post as published_min,
    max(published_date) over post as published_max,
    min(account_id) over post as account_min,
    max(account_id) over post as account_max
from staging.stg_post_snapshots
window post as (partition by platform, post_id)
qualify row_number() over (post order by snapshot_date desc) = 1
