-- one row per creator's rate card from a valid-from date, with where it was delivered
select r.platform, r.account_id, r.price_per_post, r.currency, r.valid_from, l.file, r.source_row, r.load_id
from staging.stg_rate_cards as r
left join ops.loads as l using (load_id)
