-- one row per tier and rank: a platform's most cost-efficient creators of one as-of date
select r.tier, r.rank, r.handle, r.account_id, r.followers, r.engagement_rate_30d, r.cpe_usd,
    r.price_per_post_usd, r.price_source
from marts.creator_rankings as r
where r.as_of_date = $as_of_date
  and r.platform = $platform
  and r.rank <= $per_tier
order by min(r.followers) over (partition by r.tier), r.rank
