-- the latest snapshot of each post that names a campaign creator and was published while some
-- campaign ran (a campaign's posts count their latest snapshot: staging.stg_post_latest holds
-- it, one row a post, so this reads no other snapshot)
select p.platform, p.post_id, p.account_id, p.snapshot_date, p.published_date,
    p.likes, p.comments, p.shares, p.saves, p.views
from staging.stg_post_latest as p
where (p.platform, p.account_id) in (
        select (platform, account_id) from staging.stg_campaign_creators
    )
    and p.published_date between
        (select min(start_date) from staging.stg_campaigns)
        and (select max(end_date) from staging.stg_campaigns)
