"""creator_daily_metrics by shard: every shard count gives the same marts."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from creatorlens import reference
from creatorlens.compute import marts, shards
from creatorlens.demo import DemoConfig, generate, write
from creatorlens.ingest.loading import load_exports
from creatorlens.warehouse import open_warehouse
from tests.computing import compute_marts

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`

CONFIG = DemoConfig(creators=150, days=20, seed=33)
START = CONFIG.end - timedelta(days=6)
MOVED_POSTS = 40


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    """A warehouse with a demo export, where some posts' first snapshot names another creator
    of the platform than their later ones (a restated file can say so; here the table of each
    post's latest snapshot is made again from the changed snapshots, as for an older
    warehouse)."""
    folder = tmp_path_factory.mktemp("sharded")
    write(generate(CONFIG), folder / "exports")
    warehouse = folder / "warehouse.duckdb"
    with open_warehouse(warehouse, migrate=True) as con:
        load_exports(con, folder / "exports", "run")
        con.execute(
            """
            update staging.stg_post_snapshots s
            set account_id = moved.other
            from (
                select p.platform, p.post_id, p.first, (
                    select min(c.account_id) from staging.stg_creator_snapshots c
                    where c.platform = p.platform and c.account_id > p.account_id
                ) as other
                from (
                    select platform, post_id, any_value(account_id) as account_id,
                        min(snapshot_date) as first
                    from staging.stg_post_snapshots
                    where published_date >= ?::date - 3
                    group by all
                    having count(*) > 2
                    order by platform, post_id
                    limit ?
                ) p
            ) moved
            where s.platform = moved.platform and s.post_id = moved.post_id
              and s.snapshot_date = moved.first and moved.other is not null
            """,
            [START, MOVED_POSTS],
        )
        con.execute("drop table staging.stg_post_latest")  # made again from the snapshots
    return warehouse


def computed(loaded: Path, warehouse: Path, buckets: int) -> dict[str, list[tuple]]:
    shutil.copyfile(loaded, warehouse)
    with open_warehouse(warehouse, migrate=True) as con:
        compute_marts(con, reference.tier_scheme("default"), START, CONFIG.end, buckets=buckets)
        return {
            table: con.execute(f"select * from marts.{table} order by all").fetchall()
            for table in ("creator_daily_metrics", "creator_rankings", "tier_benchmarks")
        }


def test_the_moved_posts_cross_partitions(loaded):
    with open_warehouse(loaded, migrate=True) as con:
        crossing = con.execute(
            "select count(*) from (select platform, post_id from staging.stg_post_snapshots"
            " group by all having count(distinct hash(account_id) % 7) > 1)"
        ).fetchall()[0][0]
    assert crossing >= MOVED_POSTS // 2


@pytest.mark.parametrize("buckets", [2, 7, 31])
def test_every_partition_count_gives_the_marts_of_one_partition(tmp_path, loaded, buckets):
    whole = computed(loaded, tmp_path / "one.duckdb", 1)
    sharded = computed(loaded, tmp_path / "many.duckdb", buckets)
    assert len(whole["creator_daily_metrics"]) > 7 * 100
    assert sharded == whole


def test_marts_written_a_few_dates_at_a_time_are_those_written_at_once(
    tmp_path, loaded, monkeypatch
):
    at_once = computed(loaded, tmp_path / "once.duckdb", 2)
    monkeypatch.setattr(marts, "RANKED_ROWS", 100)  # fewer than a platform's creators: a date
    by_dates = computed(loaded, tmp_path / "dates.duckdb", 2)
    assert len(at_once["creator_rankings"]) > 7 * 10
    assert by_dates == at_once


def test_the_bucket_count_follows_the_platform_that_reads_most(loaded):
    """Its creator snapshots of the look-back window, its posts last seen on or before the
    range's first date (one row each) and its post snapshots after that date."""
    with open_warehouse(loaded, migrate=True) as con:
        assert shards.bucket_count(con, START, CONFIG.end, buckets=4) == 4
        assert shards.bucket_count(con, START, CONFIG.end) == 1
        (rows,) = con.execute(
            """
            select max(n) from (
                select platform, count(*) as n from (
                    select platform from staging.stg_creator_snapshots
                    where snapshot_date >= $start - 37 and snapshot_date <= $end
                    union all
                    select platform from (
                        select platform, post_id, max(snapshot_date) as last
                        from staging.stg_post_snapshots group by all
                    ) where last >= $start - 90 and last <= $start
                    union all
                    select platform from staging.stg_post_snapshots where snapshot_date > $start
                ) group by platform
            )
            """,
            {"start": START, "end": CONFIG.end},
        ).fetchall()[0]
        assert shards.bucket_count(con, START, CONFIG.end, per_bucket=rows - 1) == 2
        assert shards.bucket_count(con, START, CONFIG.end, per_bucket=rows) == 1


def test_a_small_chunk_s_platforms_computed_together_give_what_one_task_each_gives(
    tmp_path, loaded, monkeypatch
):
    together = computed(loaded, tmp_path / "together.duckdb", 1)
    monkeypatch.setattr(shards, "ROWS_PER_BUCKET", 1)  # every chunk too large to group
    apart = computed(loaded, tmp_path / "apart.duckdb", 1)
    assert len(together["creator_daily_metrics"]) > 7 * 100
    assert apart == together


def test_only_a_chunk_of_one_bucket_s_rows_and_one_shard_a_platform_is_grouped():
    one_each = [shards.Shard(p, 0) for p in ("instagram", "tiktok", "youtube")]
    assert shards.groups(one_each, shards.ROWS_PER_BUCKET) == [one_each]
    assert shards.groups(one_each, shards.ROWS_PER_BUCKET + 1) == [[s] for s in one_each]
    two_buckets = [shards.Shard("tiktok", 0), shards.Shard("tiktok", 1)]
    assert shards.groups(two_buckets, 10) == [[s] for s in two_buckets]
