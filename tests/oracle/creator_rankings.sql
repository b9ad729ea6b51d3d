-- one row per eligible creator per (as_of_date, platform, tier), from the oracle's daily metrics
select
    as_of_date, platform, tier,
    row_number() over (
        partition by as_of_date, platform, tier
        order by cpe_usd, engagement_rate_30d desc nulls last, account_id
    ) as rank,
    account_id, handle, niche, country, followers, engagement_rate_30d, cpe_usd, price_per_post_usd,
    price_source,
    authenticity_score
from oracle_creator_daily_metrics
where tier is not null
  and tier <> 'emerging'
  and posts_30d >= 3
  and cpe_usd is not null
  and not coalesce(suspicious_growth, false)
