-- the post snapshots of the campaigns' creators, of posts published while some campaign ran
-- (the campaign marts keep each post's latest snapshot, and its campaign's dates)
select p.platform, p.post_id, p.account_id, p.snapshot_date, p.published_date,
    p.likes, p.comments, p.shares, p.saves, p.views
from staging.stg_post_snapshots as p
where (p.platform, p.account_id) in (
        select (platform, account_id) from staging.stg_campaign_creators
    )
    and p.published_date between
        (select min(start_date) from staging.stg_campaigns)
        and (select max(end_date) from staging.stg_campaigns)
