-- one row per authenticity event of a creator that the window [$as_of_date - 89, $as_of_date]
-- holds and a computed as-of date on or after it still shows (figures: that latest date's)
select
    flag,
    start_date,
    end_date,
    followers_before,
    followers_after,
    gained_share,
    engagement_per_follower_before,
    engagement_per_follower_after,
    explaining_post_id,
    last_seen_as_of_date
from marts.authenticity_events
where platform = $platform
  and account_id = $account_id
  and start_date between $as_of_date - 89 and $as_of_date
  and last_seen_as_of_date >= $as_of_date
order by start_date, flag
