-- one row per currency's USD value from a valid-from date
select currency, usd_per_unit, valid_from
from staging.stg_fx_rates
