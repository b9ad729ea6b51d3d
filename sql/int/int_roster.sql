-- one row per creator the agency tracks
select platform, account_id, niche, country
from staging.stg_roster
