-- one row per tier and rank: a platform's most cost-efficient creators of one as-of date
select
    r.tier,
    r.rank as "#",
    coalesce(r.handle, r.account_id) as creator,
    r.followers,
    r.engagement_rate_30d as "ER 30d",
    r.cpe_usd as "CPE",
    r.price_per_post_usd as "price",
    replace(r.price_source, '_', ' ') as "price from"
from marts.creator_rankings as r
where r.as_of_date = $as_of_date
  and r.platform = $platform
  and r.rank <= $per_tier
order by min(r.followers) over (partition by r.tier), r.rank
