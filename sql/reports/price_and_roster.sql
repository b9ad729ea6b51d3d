-- one row: of the creators of one as-of date, how many are priced by their own rate card or by
-- their tier's default price, and how many are not on the roster
select
    count(*) as creators,
    count(*) filter (where price_source = 'rate_card') as by_rate_card,
    count(*) filter (where price_source = 'tier_default') as by_tier_default,
    count(*) filter (where niche is null and country is null) as off_roster
from marts.creator_daily_metrics
where as_of_date = $as_of_date
