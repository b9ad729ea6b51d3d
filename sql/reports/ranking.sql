-- one row per ranked creator of one platform, tier and as-of date (optionally one niche, country)
select
    r.as_of_date,
    r.rank,
    r.account_id,
    r.handle,
    coalesce(r.handle, r.account_id) as creator,
    r.niche,
    r.country,
    r.followers,
    r.engagement_rate_30d,
    r.cpe_usd,
    r.price_per_post_usd,
    r.price_source,
    r.authenticity_score
from marts.creator_rankings as r
where r.as_of_date = $as_of_date
  and r.platform = $platform
  and r.tier = $tier
  and ($niche is null or lower(r.niche) = lower($niche))
  and ($country is null or lower(r.country) = lower($country))
order by r.rank
limit $limit
