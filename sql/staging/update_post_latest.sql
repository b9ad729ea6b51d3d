-- staging.stg_post_latest's new rows for the posts a load touched: the posts of replaced days
-- (lost_posts) from all their snapshots, read from $lost_from (the earliest date any of them
-- was published; null when there are none, and nothing is read); the others (fresh_posts:
-- the latest of their added rows, with the ranges those rows give) from their kept row and
-- that one. kept_rowid is the row a fresh post replaces: deleting by it rather than by key
-- took 0.09 s against 1.0 s for a million posts out of 19 million
with lost as (
    select
        platform, post_id, account_id, snapshot_date, published_date,
        likes, comments, shares, saves, views
    from staging.stg_post_snapshots
    semi join lost_posts using (platform, post_id)
    where snapshot_date >= $lost_from
),

-- (a post has one row a snapshot date, so the latest is the one with the largest; an aggregate
-- is cheaper than a window's sort. arg_max_null, not arg_max: a field the latest snapshot
-- lacks stays null rather than taking an older snapshot's value)
lost_latest as (
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
        min(published_date) as published_min,
        max(published_date) as published_max,
        min(account_id) as account_min,
        max(account_id) as account_max
    from lost
    group by platform, post_id
),

-- a new snapshot is usually the latest: a join with the kept row, not an aggregate over both
-- (one new day at 100,000 creators a platform, 19 million posts kept: 4.4 s against 9.9 s)
fresh as (
    select
        fresh_posts.*,
        kept.snapshot_date is null or fresh_posts.snapshot_date > kept.snapshot_date as newer,
        kept.account_id as kept_account_id,
        kept.snapshot_date as kept_snapshot_date,
        kept.published_date as kept_published_date,
        kept.likes as kept_likes,
        kept.comments as kept_comments,
        kept.shares as kept_shares,
        kept.saves as kept_saves,
        kept.views as kept_views,
        kept.published_min as kept_published_min,
        kept.published_max as kept_published_max,
        kept.account_min as kept_account_min,
        kept.account_max as kept_account_max,
        kept.rowid as kept_rowid
    from fresh_posts
    left join staging.stg_post_latest as kept using (platform, post_id)
)

select *, null::bigint as kept_rowid from lost_latest
union all
select
    platform, post_id,
    if(newer, account_id, kept_account_id) as account_id,
    if(newer, snapshot_date, kept_snapshot_date) as snapshot_date,
    if(newer, published_date, kept_published_date) as published_date,
    if(newer, likes, kept_likes) as likes,
    if(newer, comments, kept_comments) as comments,
    if(newer, shares, kept_shares) as shares,
    if(newer, saves, kept_saves) as saves,
    if(newer, views, kept_views) as views,
    -- least and greatest pass over a null: a post not kept yet has its own ranges
    least(published_min, kept_published_min) as published_min,
    greatest(published_max, kept_published_max) as published_max,
    least(account_min, kept_account_min) as account_min,
    greatest(account_max, kept_account_max) as account_max,
    kept_rowid
from fresh
