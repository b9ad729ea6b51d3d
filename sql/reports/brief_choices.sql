-- one row per brief and as-of date published, with the brief's brand and its ranked creators
select brief_id, any_value(brand) as brand, as_of_date, count(rank) as ranked
from marts.brief_matches
group by brief_id, as_of_date
order by brief_id, as_of_date
