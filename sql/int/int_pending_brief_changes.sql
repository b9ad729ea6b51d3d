-- one row per recorded audience or briefs change and already-computed as-of date whose
-- brief_matches it reaches; a change that reaches no computed date has one row with a null
-- as_of_date
select c.load_id, c.reason, d.as_of_date
from ops.brief_changes as c
left join (select distinct as_of_date from marts.creator_daily_metrics) as d
    on d.as_of_date >= coalesce(c.first_as_of_date, d.as_of_date)
   and d.as_of_date <= coalesce(c.last_as_of_date, d.as_of_date)
order by d.as_of_date, c.reason
