-- one row per (as_of_date, platform, tier), from the oracle's daily metrics
select
    as_of_date, platform, tier,
    count(engagement_rate_30d) as creators,
    quantile_cont(engagement_rate_30d, 0.25) as p25_engagement_rate_30d,
    quantile_cont(engagement_rate_30d, 0.5) as median_engagement_rate_30d,
    quantile_cont(engagement_rate_30d, 0.75) as p75_engagement_rate_30d,
    quantile_cont(cpe_usd, 0.5) as median_cpe_usd
from oracle_creator_daily_metrics
where tier is not null
group by as_of_date, platform, tier
