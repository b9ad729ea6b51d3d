-- one row for the campaign creators suspicious_growth flags on their latest computed as-of date,
-- one for the others (and one for those without a score): what the ranking's cost per
-- engagement promised against what each purchase cost
with verdicts as (
    select
        platform,
        account_id,
        arg_max(suspicious_growth, as_of_date) as suspicious_growth,
        arg_max(authenticity_score, as_of_date) as authenticity_score
    from marts.creator_daily_metrics
    group by platform, account_id
)

select
    case
        when v.suspicious_growth then 'flagged'
        when v.suspicious_growth is null then 'no score'
        else 'not flagged'
    end as authenticity,
    count(*)::integer as creators,
    sum(p.fee_usd) as fee_usd,
    sum(p.purchases)::bigint as purchases,
    median(p.expected_cpe_usd) as median_expected_cpe_usd,
    median(p.cpe_usd) as median_cpe_usd,
    median(p.cpa_usd) as median_cpa_usd,
    median(p.conversion_rate) as median_conversion_rate,
    sum(p.revenue_usd) / nullif(sum(p.fee_usd), 0) as roas
from marts.campaign_performance as p
left join verdicts as v using (platform, account_id)
group by authenticity
order by case authenticity when 'flagged' then 0 when 'not flagged' then 1 else 2 end
