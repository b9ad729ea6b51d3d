-- one row per ranked creator of one platform and tier on one as-of date (default: the latest)
with chosen as (
    select coalesce($as_of_date, max(as_of_date)) as as_of_date
    from marts.creator_rankings
    where platform = $platform
)

select
    r.as_of_date,
    r.rank as "#",
    coalesce(r.handle, r.account_id) as creator,
    r.niche,
    r.followers,
    r.engagement_rate_30d as "ER 30d",
    r.cpe_usd as "CPE",
    r.price_per_post_usd as "price",
    replace(r.price_source, '_', ' ') as "price from"
from marts.creator_rankings as r
inner join chosen as c on r.as_of_date = c.as_of_date
where r.platform = $platform and r.tier = $tier
order by r.rank
limit $limit
