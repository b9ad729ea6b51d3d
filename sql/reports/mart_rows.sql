-- one row per published mart: how many rows it holds
select 'creator_daily_metrics' as mart, count(*) as rows from marts.creator_daily_metrics
union all select 'creator_rankings', count(*) from marts.creator_rankings
union all select 'tier_benchmarks', count(*) from marts.tier_benchmarks
union all select 'tier_history', count(*) from marts.tier_history
