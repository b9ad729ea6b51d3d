-- one row per stretch of as-of dates a creator spent in one tier, from the oracle's daily metrics
with known as (
    select platform, account_id, as_of_date, tier,
        lag(tier) over (partition by platform, account_id order by as_of_date) as previous_tier
    from oracle_creator_daily_metrics
    where tier is not null
),

numbered as (
    select *,
        sum(case when previous_tier is distinct from tier then 1 else 0 end)
            over (partition by platform, account_id order by as_of_date) as stretch
    from known
),

stretches as (
    select platform, account_id, stretch, any_value(tier) as tier, min(as_of_date) as valid_from
    from numbered
    group by platform, account_id, stretch
)

select
    platform, account_id, tier, valid_from,
    lead(valid_from) over (partition by platform, account_id order by valid_from) - 1 as valid_to
from stretches
