-- one row per as-of date and tier that creator_rankings holds for one platform
select as_of_date, tier, min(followers) as min_followers
from marts.creator_rankings
where platform = $platform
group by as_of_date, tier
order by as_of_date, min_followers
