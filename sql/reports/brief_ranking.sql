-- one row per ranked creator of brief $brief_id on $as_of_date (one platform, or all when
-- $platform is null), best first, with the place its plain cost per engagement would give it
-- among the same creators (cpe_rank): where the two differ, the audience match reordered them
select
    platform, rank, handle, account_id, tier, followers, target_share, country_share,
    age_share, gender_share, audience_age_days, cpe_usd, cost_per_targeted_engagement_usd,
    row_number() over (partition by platform order by cpe_usd, account_id) as cpe_rank
from marts.brief_matches
where as_of_date = $as_of_date and brief_id = $brief_id and rank is not null
  and ($platform is null or platform = $platform)
qualify rank <= $limit
order by platform, rank
