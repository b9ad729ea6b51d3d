-- one row per (as_of_date, brief_id, platform, account_id): design section 10 in plain SQL, from
-- the computed creator_daily_metrics, staging's audience rows and briefs
with candidates as (
    select
        m.as_of_date, m.platform, m.account_id, m.handle, m.tier, m.followers, m.posts_30d,
        m.engagements_30d, m.cpe_usd, m.suspicious_growth,
        b.brief_id, b.brand, b.countries, b.ages, b.genders
    from marts.creator_daily_metrics as m
    cross join staging.stg_briefs as b
    where (len(b.platforms) = 0 or list_contains(b.platforms, m.platform))
      and (len(b.niches) = 0 or coalesce(list_contains(b.niches, m.niche), false))
      and (b.min_followers is null or coalesce(m.followers >= b.min_followers, false))
      and (b.max_followers is null or coalesce(m.followers <= b.max_followers, false))
),

-- the latest audience file dated in [D-89, D] holding a line for the creator
snapshots as (
    select c.*, (
        select max(l.snapshot_date) from staging.stg_audience as l
        where l.dimension = 'line' and l.platform = c.platform and l.account_id = c.account_id
          and l.snapshot_date between c.as_of_date - 89 and c.as_of_date
    ) as audience_date
    from candidates as c
),

-- a joint age-by-gender table (YouTube) gives the age and gender dimensions as its marginals
cells as (
    select platform, account_id, snapshot_date, dimension, bucket, gender, value
    from staging.stg_audience where dimension in ('country', 'age', 'gender', 'age_gender')
    union all
    select platform, account_id, snapshot_date, 'age', bucket, null, value
    from staging.stg_audience where dimension = 'age_gender'
    union all
    select platform, account_id, snapshot_date, 'gender', gender, null, value
    from staging.stg_audience where dimension = 'age_gender'
),

sums as (
    select
        s.as_of_date, s.brief_id, s.platform, s.account_id, x.dimension,
        sum(x.value) as total,
        sum(x.value) filter (where
            (x.dimension = 'country' and list_contains(s.countries, x.bucket))
            or (x.dimension = 'age' and list_contains(s.ages, x.bucket))
            or (x.dimension = 'gender' and list_contains(s.genders, x.bucket))
            or (x.dimension = 'age_gender'
                and (len(s.ages) = 0 or list_contains(s.ages, x.bucket))
                and (len(s.genders) = 0 or list_contains(s.genders, x.gender)))
        ) as chosen
    from snapshots as s
    join cells as x
      on x.platform = s.platform and x.account_id = s.account_id
     and x.snapshot_date = s.audience_date
    group by all
),

shares as (
    select
        s.*,
        case
            when s.audience_date is null then null
            when len(s.countries) = 0 then 1.0
            when country.total > 0 then coalesce(country.chosen, 0) / country.total
        end as country_share,
        case
            when s.audience_date is null then null
            when len(s.ages) = 0 then 1.0
            when age.total > 0 then coalesce(age.chosen, 0) / age.total
        end as age_share,
        case
            when s.audience_date is null then null
            when len(s.genders) = 0 then 1.0
            when gender.total > 0 then coalesce(gender.chosen, 0) / gender.total
        end as gender_share,
        case
            when s.audience_date is null then null
            when len(s.ages) = 0 and len(s.genders) = 0 then 1.0
            when joint.total > 0 then coalesce(joint.chosen, 0) / joint.total
        end as joint_share
    from snapshots as s
    left join sums as country
      on country.as_of_date = s.as_of_date and country.brief_id = s.brief_id
     and country.platform = s.platform and country.account_id = s.account_id
     and country.dimension = 'country'
    left join sums as age
      on age.as_of_date = s.as_of_date and age.brief_id = s.brief_id
     and age.platform = s.platform and age.account_id = s.account_id and age.dimension = 'age'
    left join sums as gender
      on gender.as_of_date = s.as_of_date and gender.brief_id = s.brief_id
     and gender.platform = s.platform and gender.account_id = s.account_id
     and gender.dimension = 'gender'
    left join sums as joint
      on joint.as_of_date = s.as_of_date and joint.brief_id = s.brief_id
     and joint.platform = s.platform and joint.account_id = s.account_id
     and joint.dimension = 'age_gender'
),

targeted as (
    select
        *,
        country_share * case
            when platform = 'youtube' then joint_share else age_share * gender_share
        end as target_share
    from shares
),

costed as (
    select
        *,
        (as_of_date - audience_date)::integer as audience_age_days,
        followers * target_share as targeted_followers,
        engagements_30d * target_share as targeted_engagements_30d,
        case when target_share > 0 then cpe_usd / target_share end
            as cost_per_targeted_engagement_usd
    from targeted
),

eligible as (
    select
        *,
        coalesce(tier <> 'emerging' and posts_30d >= 3 and cpe_usd is not null
            and not coalesce(suspicious_growth, false) and audience_age_days <= 30
            and cost_per_targeted_engagement_usd is not null, false) as is_ranked
    from costed
)

select
    as_of_date, brief_id, platform, account_id, brand, handle, tier, followers, audience_date,
    audience_age_days, country_share, age_share, gender_share, target_share, targeted_followers,
    targeted_engagements_30d, cpe_usd, cost_per_targeted_engagement_usd, suspicious_growth,
    case when is_ranked then row_number() over (
        partition by as_of_date, brief_id, platform, is_ranked
        order by cost_per_targeted_engagement_usd, target_share desc, account_id
    ) end as rank
from eligible
where as_of_date between $start and $end
