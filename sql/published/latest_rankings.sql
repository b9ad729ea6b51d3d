-- creator_rankings of the latest as-of date published
select *
from marts.creator_rankings
where as_of_date = (select max(as_of_date) from marts.creator_rankings)
