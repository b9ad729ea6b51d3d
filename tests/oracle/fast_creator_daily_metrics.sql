-- one row per creator per as-of date in [$start, $end]: the oracle's definitions (design section
-- 4) written for speed, the baseline the bench measures the pipeline against. Each input is read
-- once: as-of joins pick each creator's latest snapshot, rate card and FX rate in force, and
-- each post's snapshots become ranges of validity joined once to the dates they cover (the
-- oracle ranks every snapshot for every date). Equal to the oracle cell by cell
-- (test_fast_baseline.py).
create or replace temp table fast_creator_daily_metrics as
with dates as (
    select cast(unnest(generate_series(cast($start as date), cast($end as date), interval 1 day)) as date) as as_of_date
),

tiers as (
    select tier, min_followers from read_csv($tier_schemes_csv) where scheme = $scheme
),

default_prices as (
    select platform, tier, price_per_post_usd from read_csv($default_prices_csv) where scheme = $scheme
),

creators as (
    select distinct platform, account_id
    from staging.stg_creator_snapshots
    where snapshot_date between cast($start as date) - 6 and cast($end as date)
),

-- creators of D: the latest creator snapshot dated in [D-6, D]
creator_snapshot as (
    select d.as_of_date, s.platform, s.account_id, s.handle, s.followers
    from (select * from dates cross join creators) as d
    asof join staging.stg_creator_snapshots as s
        on s.platform = d.platform and s.account_id = d.account_id
        and s.snapshot_date <= d.as_of_date
    where s.snapshot_date >= d.as_of_date - 6
),

-- followers(c, D - 30), with the same staleness rule
followers_30d_ago as (
    select c.as_of_date, c.platform, c.account_id, s.followers
    from creator_snapshot as c
    asof join staging.stg_creator_snapshots as s
        on s.platform = c.platform and s.account_id = c.account_id
        and s.snapshot_date <= c.as_of_date - 30
    where s.snapshot_date >= c.as_of_date - 36
),

-- each post snapshot holds from its date to the day before the post's next one
post_versions as (
    select
        platform, account_id, post_id, published_date, views, snapshot_date as valid_from,
        coalesce(
            lead(snapshot_date) over (partition by platform, post_id order by snapshot_date) - 1,
            cast($end as date)
        ) as valid_to,
        coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(saves, 0)
            as engagements
    from staging.stg_post_snapshots
    where snapshot_date <= cast($end as date)
      and published_date >= cast($start as date) - 89
),

-- each post's latest snapshot dated <= D, for the posts published in [D-89, D]
window_posts as (
    select d.as_of_date, v.platform, v.account_id, v.post_id, v.published_date, v.views, v.engagements
    from post_versions as v
    inner join dates as d
        on d.as_of_date between v.valid_from and v.valid_to
        and d.as_of_date between v.published_date and v.published_date + 89
),

post_windows as (
    select
        c.as_of_date, c.platform, c.account_id,
        count(p.post_id) filter (where p.published_date >= c.as_of_date - 6) as posts_7d,
        count(p.post_id) filter (where p.published_date >= c.as_of_date - 29) as posts_30d,
        count(p.post_id) as posts_90d,
        coalesce(sum(p.engagements) filter (where p.published_date >= c.as_of_date - 6), 0) as engagements_7d,
        coalesce(sum(p.engagements) filter (where p.published_date >= c.as_of_date - 29), 0) as engagements_30d,
        coalesce(sum(p.engagements), 0) as engagements_90d,
        sum(p.engagements) filter (where p.published_date >= c.as_of_date - 29 and p.views is not null)
            as viewed_engagements_30d,
        sum(p.views) filter (where p.published_date >= c.as_of_date - 29 and p.views is not null) as views_30d,
        count(p.post_id) filter (where p.published_date >= c.as_of_date - 29 and p.views is not null)
            as posts_with_views_30d,
        quantile_cont(p.engagements / c.followers, 0.5)
            filter (where p.published_date >= c.as_of_date - 29 and c.followers > 0)
            as median_post_engagement_rate_30d
    from creator_snapshot as c
    left join window_posts as p
        on p.as_of_date = c.as_of_date and p.platform = c.platform and p.account_id = c.account_id
    group by c.as_of_date, c.platform, c.account_id
),

tiered as (
    select c.*, t.tier
    from creator_snapshot as c
    asof left join tiers as t on c.followers >= t.min_followers
),

-- the rate card in force on D and its currency's FX rate in force on D
card_in_force as (
    select c.as_of_date, c.platform, c.account_id, r.price_per_post, r.currency
    from creator_snapshot as c
    asof join staging.stg_rate_cards as r
        on r.platform = c.platform and r.account_id = c.account_id and r.valid_from <= c.as_of_date
),

card_usd as (
    select
        k.as_of_date, k.platform, k.account_id,
        k.price_per_post * case when k.currency = 'USD' then 1.0 else f.usd_per_unit end
            as card_price_usd
    from card_in_force as k
    asof left join staging.stg_fx_rates as f
        on f.currency = k.currency and f.valid_from <= k.as_of_date
),

priced as (
    select
        t.*,
        coalesce(u.card_price_usd, dp.price_per_post_usd) as price_per_post_usd,
        case
            when u.card_price_usd is not null then 'rate_card'
            when dp.price_per_post_usd is not null then 'tier_default'
        end as price_source
    from tiered as t
    left join card_usd as u using (as_of_date, platform, account_id)
    left join default_prices as dp on dp.platform = t.platform and dp.tier = t.tier
)

select
    c.as_of_date, c.platform, c.account_id, c.handle, r.niche, r.country, c.followers, c.tier,
    w.posts_7d, w.posts_30d, w.posts_90d, w.engagements_30d,
    case when w.posts_7d > 0 and c.followers > 0 then w.engagements_7d / (w.posts_7d * c.followers) end
        as engagement_rate_7d,
    case when w.posts_30d > 0 and c.followers > 0 then w.engagements_30d / (w.posts_30d * c.followers) end
        as engagement_rate_30d,
    case when w.posts_90d > 0 and c.followers > 0 then w.engagements_90d / (w.posts_90d * c.followers) end
        as engagement_rate_90d,
    w.median_post_engagement_rate_30d,
    case when w.views_30d > 0 then w.viewed_engagements_30d / w.views_30d end as view_engagement_rate_30d,
    case when g.followers > 0 then c.followers / g.followers - 1 end as follower_growth_30d,
    s.suspicious_growth,
    s.authenticity_score,
    s.authenticity_flags,
    c.price_per_post_usd,
    c.price_source,
    case when w.posts_30d > 0 and w.engagements_30d > 0
        then c.price_per_post_usd / (w.engagements_30d / w.posts_30d) end as cpe_usd,
    case when w.posts_with_views_30d > 0 and w.views_30d > 0
        then c.price_per_post_usd / (w.views_30d / w.posts_with_views_30d) end as cpv_usd,
    case when c.followers > 0 then c.price_per_post_usd * 1000 / c.followers end as cost_per_1k_followers_usd
from priced as c
inner join post_windows as w using (as_of_date, platform, account_id)
left join followers_30d_ago as g using (as_of_date, platform, account_id)
left join authenticity as s using (as_of_date, platform, account_id)
left join staging.stg_roster as r on r.platform = c.platform and r.account_id = c.account_id
