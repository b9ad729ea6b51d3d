-- one row per platform, tier and rank: the most cost-efficient creators of one as-of date
select
    platform,
    tier,
    rank,
    coalesce(handle, account_id) as creator,
    country,
    followers,
    engagement_rate_30d,
    cpe_usd,
    price_per_post_usd,
    price_source,
    authenticity_score
from marts.creator_rankings
where as_of_date = $as_of_date and rank <= $per_tier
order by platform, min(followers) over (partition by platform, tier), rank
