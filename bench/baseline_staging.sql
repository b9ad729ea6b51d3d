-- The benchmark's baseline: the staging tables the SQL oracle (tests/oracle) reads, built
-- straight from a demo export folder ($exports) with DuckDB's own readers, one statement per
-- table. Formats are the demo generator's; no validation, quarantine or bookkeeping.
create schema if not exists staging;

create or replace table staging.stg_creator_snapshots as
select
    'instagram' as platform, cast(id as varchar) as account_id,
    cast(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})', 1) as date) as snapshot_date,
    username as handle, cast(followers_count as bigint) as followers
from read_json($exports || '/instagram/*/creators.jsonl*', filename = true, format = 'newline_delimited')
union all
select
    'tiktok', username, cast(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})', 1) as date),
    username, cast(follower_count as bigint)
from read_csv($exports || '/tiktok/*/creators.csv*', filename = true, all_varchar = true)
union all
select
    'youtube', id, cast(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})', 1) as date),
    snippet.title,
    case when cast(statistics.hiddenSubscriberCount as boolean) then null
         else cast(statistics.subscriberCount as bigint) end
from read_json($exports || '/youtube/*/creators.jsonl*', filename = true, format = 'newline_delimited');

create or replace table staging.stg_post_snapshots as
select
    'instagram' as platform, cast(id as varchar) as post_id, cast(owner.id as varchar) as account_id,
    cast(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})', 1) as date) as snapshot_date,
    cast(timezone('UTC', "timestamp") as date) as published_date,
    cast(like_count as bigint) as likes, cast(comments_count as bigint) as comments,
    cast(shares as bigint) as shares, cast(saved as bigint) as saves, cast(views as bigint) as views
from read_json($exports || '/instagram/*/posts.jsonl*', filename = true, format = 'newline_delimited')
union all
select
    'tiktok', id, username, cast(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})', 1) as date),
    cast(to_timestamp(cast(create_time as bigint)) at time zone 'UTC' as date),
    cast(like_count as bigint), cast(comment_count as bigint), cast(share_count as bigint),
    null, cast(view_count as bigint)
from read_csv($exports || '/tiktok/*/posts.csv*', filename = true, all_varchar = true)
union all
select
    'youtube', id, "snippet.channelId", cast(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})', 1) as date),
    cast(timezone('UTC', cast("snippet.publishedAt" as timestamptz)) as date),
    cast("statistics.likeCount" as bigint), cast("statistics.commentCount" as bigint), null, null,
    cast("statistics.viewCount" as bigint)
from read_csv($exports || '/youtube/*/posts.csv*', filename = true, all_varchar = true);

create or replace table staging.stg_roster as
select platform, account_id, niche, country from read_csv($exports || '/roster.csv', all_varchar = true);

create or replace table staging.stg_rate_cards as
select platform, account_id, cast(price_per_post as double) as price_per_post, currency,
    cast(valid_from as date) as valid_from
from read_csv($exports || '/rate_cards.csv', all_varchar = true);

create or replace table staging.stg_fx_rates as
select currency, cast(usd_per_unit as double) as usd_per_unit, cast(valid_from as date) as valid_from
from read_csv($exports || '/fx_rates.csv', all_varchar = true);

create or replace table staging.stg_campaigns as
select campaign_id, brand, name as campaign_name, cast(start_date as date) as start_date,
    cast(end_date as date) as end_date
from read_csv($exports || '/campaigns.csv', all_varchar = true);

create or replace table staging.stg_campaign_creators as
select campaign_id, platform, account_id, cast(fee as double) as fee, currency
from read_csv($exports || '/campaign_creators.csv', all_varchar = true);

create or replace table staging.stg_campaign_results as
select
    cast(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})', 1) as date) as result_date,
    campaign_id, platform, account_id, cast(clicks as bigint) as clicks,
    cast(signups as bigint) as signups, cast(purchases as bigint) as purchases,
    cast(revenue as double) as revenue, currency
from read_csv($exports || '/results/*/results.csv', filename = true, all_varchar = true)
union all
select
    cast(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})', 1) as date),
    campaign_id, platform, account_id, cast(clicks as bigint), cast(signups as bigint),
    cast(purchases as bigint), cast(revenue as double), currency
from read_json($exports || '/results/*/results.jsonl*', filename = true, format = 'newline_delimited',
    columns = {campaign_id: 'varchar', platform: 'varchar', account_id: 'varchar', clicks: 'varchar',
               signups: 'varchar', purchases: 'varchar', revenue: 'varchar', currency: 'varchar'});
