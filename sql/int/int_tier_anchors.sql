-- per creator, the tier_history stretch in force the day before $start: dates from $start on
-- can extend it or end it, never move its start
select platform, account_id, tier, valid_from
from marts.tier_history
where valid_from < $start
qualify row_number() over (partition by platform, account_id order by valid_from desc) = 1
