-- one row per platform, tier and as-of date over the 90 as-of dates up to $as_of_date
select
    as_of_date,
    platform,
    tier,
    creators,
    p25_engagement_rate_30d,
    median_engagement_rate_30d,
    p75_engagement_rate_30d,
    median_cpe_usd
from marts.tier_benchmarks
where as_of_date between $as_of_date - 89 and $as_of_date
order by as_of_date, platform, tier
