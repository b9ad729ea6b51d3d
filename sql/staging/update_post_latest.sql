-- staging.stg_post_latest's new rows for the posts a load touched: the posts of replaced days
-- (lost_posts) from all their snapshots, the others (gained_posts) from their latest row and
-- the rows added (added_rows)
with candidates as (
    select
        platform, post_id, account_id, snapshot_date, published_date,
        likes, comments, shares, saves, views,
        published_date as published_min, published_date as published_max,
        account_id as account_min, account_id as account_max
    from staging.stg_post_snapshots
    semi join lost_posts using (platform, post_id)
    union all
    select *
    from staging.stg_post_latest
    semi join gained_posts using (platform, post_id)
    union all
    select
        platform, post_id, account_id, snapshot_date, published_date,
        likes, comments, shares, saves, views,
        published_date as published_min, published_date as published_max,
        account_id as account_min, account_id as account_max
    from added_rows
    semi join gained_posts using (platform, post_id)
)

select
    platform, post_id, account_id, snapshot_date, published_date,
    likes, comments, shares, saves, views,
    min(published_min) over post as published_min,
    max(published_max) over post as published_max,
    min(account_min) over post as account_min,
    max(account_max) over post as account_max
from candidates
window post as (partition by platform, post_id)
qualify row_number() over (post order by snapshot_date desc) = 1
