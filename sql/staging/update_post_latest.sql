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

-- (a post has one row a snapshot date, so the latest is the one with the largest; an aggregate
-- is cheaper than a window's sort. arg_max_null, not arg_max: a field the latest snapshot
-- lacks stays null rather than taking an older snapshot's value)
select
    platform, post_id,
    arg_max_null(account_id, snapshot_date) as account_id,
    max(snapshot_date) as snapshot_date,
    arg_max_null(published_date, snapshot_date) as published_date,
    arg_max_null(likes, snapshot_date) as likes,
    arg_max_null(comments, snapshot_date) as comments,
    arg_max_null(shares, snapshot_date) as shares,
    arg_max_null(saves, snapshot_date) as saves,
    arg_max_null(views, snapshot_date) as views,
    min(published_min) as published_min,
    max(published_max) as published_max,
    min(account_min) as account_min,
    max(account_max) as account_max
from candidates
group by platform, post_id
