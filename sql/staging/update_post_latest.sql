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

-- (a post has one row a snapshot date: the latest is the one with the largest; an aggregate,
-- cheaper than a window's sort)
select platform, post_id, latest.*, published_min, published_max, account_min, account_max
from (
    select
        platform, post_id,
        arg_max(
            {
                account_id: account_id, snapshot_date: snapshot_date,
                published_date: published_date, likes: likes, comments: comments,
                shares: shares, saves: saves, views: views
            },
            snapshot_date
        ) as latest,
        min(published_min) as published_min,
        max(published_max) as published_max,
        min(account_min) as account_min,
        max(account_max) as account_max
    from candidates
    group by platform, post_id
)
