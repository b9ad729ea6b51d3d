"""Marts computed over a range of as-of dates at once equal the same dates one by one."""

import re
import shutil
import stat
from datetime import timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creatorlens import reference
from creatorlens.compute import marts
from creatorlens.demo import DemoConfig, generate, write
from creatorlens.ingest.loading import load_exports
from creatorlens.publish import keeping, publishing
from creatorlens.schemas.declared import MARTS, create_table
from creatorlens.transforms.tiers import tier_history
from creatorlens.warehouse import open_marts, open_warehouse, sql
from tests.computing import compute_marts

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`

CONFIG = DemoConfig(creators=150, days=20, seed=21)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    """A warehouse with a generated export loaded (tests compute into copies of it)."""
    folder = tmp_path_factory.mktemp("loaded")
    write(generate(CONFIG), folder / "exports")
    with open_warehouse(folder / "warehouse.duckdb", migrate=True) as con:
        load_exports(con, folder / "exports", "run")
    return folder / "warehouse.duckdb"


def computed(loaded: Path, warehouse: Path, ranges) -> dict[str, list[tuple]]:
    shutil.copyfile(loaded, warehouse)
    scheme = reference.tier_scheme("default")
    with open_warehouse(warehouse, migrate=True) as con:
        for start, end in ranges:
            compute_marts(con, scheme, start, end)
        return {
            table: con.execute(f"select * from marts.{table} order by all").fetchall()
            for table in MARTS
        }


def test_a_range_equals_its_days_one_by_one(tmp_path, loaded):
    start = CONFIG.end - timedelta(days=9)
    days = [(start + timedelta(days=i),) * 2 for i in range(10)]
    at_once = computed(loaded, tmp_path / "a.duckdb", [(start, CONFIG.end)])
    one_by_one = computed(loaded, tmp_path / "b.duckdb", days)
    assert len(at_once["creator_daily_metrics"]) > 10 * 100
    assert len(at_once["creator_rankings"]) > 10 * 30
    assert at_once == one_by_one


def test_recomputing_a_date_replaces_its_rows(tmp_path, loaded):
    rows = computed(loaded, tmp_path / "c.duckdb", [(CONFIG.end, CONFIG.end)] * 2)[
        "creator_daily_metrics"
    ]
    assert len(rows) == len({(r[0], r[1], r[2]) for r in rows}) == CONFIG.creators


@pytest.fixture
def published(tmp_path, loaded) -> tuple[Path, Path]:
    """A warehouse with a day computed, and the marts file it published."""
    warehouse, marts_file = tmp_path / "w.duckdb", tmp_path / "marts.duckdb"
    computed(loaded, warehouse, [(CONFIG.end, CONFIG.end)])
    with open_warehouse(warehouse, migrate=True) as con:
        publishing.publish_marts(con, marts_file)
    return warehouse, marts_file


def test_a_publish_keeps_the_access_given_to_the_published_file(published):
    warehouse, marts_file = published
    marts_file.chmod(0o640)  # say, readable by the BI tool's group only
    first = marts_file.stat().st_ino
    with open_warehouse(warehouse, migrate=True) as con:
        publishing.publish_marts(con, marts_file)
    assert marts_file.stat().st_ino != first  # a new file took its place
    assert stat.S_IMODE(marts_file.stat().st_mode) == 0o640
    # so are the Parquet files of the next publish, which computed a day more
    with open_warehouse(warehouse, migrate=True) as con:
        compute_marts(con, reference.tier_scheme("default"), D - timedelta(days=1), D)
        publishing.publish_marts(con, marts_file)
    named = named_files(marts_file)
    assert len(named) == 3 * 2 + 4  # three dated marts on two dates; four marts whole
    assert {stat.S_IMODE(Path(path).stat().st_mode) for path in named} == {0o640}


def named_files(marts_file: Path) -> set[str]:
    """The Parquet files the published file's views name."""
    with open_marts(marts_file) as con:
        views = " ".join(row[0] for row in con.sql("select sql from duckdb_views()").fetchall())
    return set(re.findall(r"'([^']+\.parquet)'", views))


def test_a_republished_date_keeps_its_old_files_for_readers_until_the_grace_ends(published):
    warehouse, marts_file = published
    count = "select count(*), sum(followers) from marts.creator_daily_metrics"
    with open_marts(marts_file) as held:  # a BI tool that opened the file before the publishes
        before = held.execute(count).fetchall()
        old = named_files(marts_file)
        scheme = reference.tier_scheme("default")
        with open_warehouse(warehouse, migrate=True) as con:
            compute_marts(con, scheme, D, D)
            publishing.publish_marts(con, marts_file)
        assert named_files(marts_file).isdisjoint(old)  # new files for the recomputed date
        assert held.execute(count).fetchall() == before
        with open_warehouse(warehouse, migrate=True) as con:
            compute_marts(con, scheme, D, D)
            publishing.publish_marts(con, marts_file, grace=timedelta(0))
    on_disk = keeping.files_folder(marts_file).glob("*/*.parquet")
    assert {str(p.resolve()) for p in on_disk} == named_files(marts_file)
    with open_marts(marts_file) as con:
        assert con.execute(count).fetchall() == before


def test_marts_published_to_a_new_place_or_with_their_files_gone_are_published_whole(published):
    """A publish whose earlier Parquet files are missing (CREATORLENS_MARTS moved, or the folder
    removed) writes every date again, rather than naming files that are not there."""
    warehouse, marts_file = published
    count = "select count(*), sum(followers) from marts.creator_daily_metrics"
    with open_marts(marts_file) as con:
        before = con.execute(count).fetchall()
    moved = marts_file.with_name("elsewhere.duckdb")
    with open_warehouse(warehouse, migrate=True) as con:
        publishing.publish_marts(con, moved)
    shutil.rmtree(keeping.files_folder(marts_file))
    with open_warehouse(warehouse, migrate=True) as con:
        publishing.publish_marts(con, marts_file)
    for published_file in (moved, marts_file):
        with open_marts(published_file) as con:
            assert con.execute(count).fetchall() == before


def test_readers_open_the_published_marts_read_only(published):
    _, marts_file = published
    with open_marts(marts_file) as con:
        assert con.execute("select count(*) from marts.creator_daily_metrics").fetchall() == [
            (CONFIG.creators,)
        ]
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("create table marts.scratch (n integer)")


D = CONFIG.end


def boundary_warehouse(path: Path, creator_days_back: int, post_days_back: int) -> dict:
    """One creator with snapshots on D and `creator_days_back` days before, one post published
    and last seen `post_days_back` days before D; its metrics as of D."""
    scheme = reference.tier_scheme("default")
    with open_warehouse(path, migrate=True) as con:
        for day, followers in ((D - timedelta(days=creator_days_back), 1000), (D, 1100)):
            con.execute(
                "insert into staging.stg_creator_snapshots values "
                "('tiktok', 'edge', ?, 'edge', ?, false, 'l', 1)",
                [day, followers],
            )
        posted = D - timedelta(days=post_days_back)
        con.execute(
            "insert into staging.stg_post_snapshots values "
            "('tiktok', 'p', 'edge', ?, ?, ?, 10, 0, 0, null, 100, 'l', 1)",
            [posted, posted, posted],
        )
        con.execute("drop table staging.stg_post_latest")  # made again from the snapshots
        con.execute(sql("staging/stg_post_latest"))
        compute_marts(con, scheme, D, D)
        columns = "follower_growth_30d, posts_90d, engagements_30d"
        row = con.execute(f"select {columns} from marts.creator_daily_metrics").fetchone()
    return dict(zip(("growth", "posts_90d", "engagements_30d"), row, strict=True))


def test_the_int_reads_reach_back_exactly_as_far_as_the_definitions(tmp_path):
    # followers(D - 30) may come from a snapshot 36 days back; a 90-day window starts 89 back
    reached = boundary_warehouse(tmp_path / "reached.duckdb", 36, 89)
    assert reached["growth"] == pytest.approx(0.1) and reached["posts_90d"] == 1
    beyond = boundary_warehouse(tmp_path / "beyond.duckdb", 37, 90)
    assert beyond["growth"] is None and beyond["posts_90d"] == 0


TIER_DAYS = [D - timedelta(days=i) for i in range(12)][::-1]


@settings(max_examples=60, deadline=None)
@given(
    tiers=st.lists(
        st.lists(st.sampled_from(["nano", "micro", None]), min_size=12, max_size=12),
        min_size=1,
        max_size=3,
    ),
    restated=st.lists(st.sampled_from(["nano", "micro", None]), min_size=12, max_size=12),
    since=st.integers(0, 11),
)
def test_tier_history_updated_from_a_date_equals_it_rebuilt_from_all_dates(tiers, restated, since):
    # each creator's tier per day; from day `since` on, creator 0's tiers are restated
    def daily(rows: list[list]) -> list[tuple]:
        return [
            ("tiktok", f"c{n}", day, tier)
            for n, row in enumerate(rows)
            for day, tier in zip(TIER_DAYS, row, strict=True)
        ]

    after = [tiers[0][:since] + restated[since:], *tiers[1:]]
    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.creator_daily_metrics"
            " (platform varchar, account_id varchar, as_of_date date, tier varchar)"
        )
        for statement in create_table("marts.tier_history"):
            con.execute(statement)
        con.executemany("insert into marts.creator_daily_metrics values (?, ?, ?, ?)", daily(tiers))
        marts.update_tier_history(con, TIER_DAYS[0])
        con.execute("delete from marts.creator_daily_metrics")
        con.executemany("insert into marts.creator_daily_metrics values (?, ?, ?, ?)", daily(after))
        marts.update_tier_history(con, TIER_DAYS[since])
        updated = con.execute("select * from marts.tier_history order by all").fetchall()
    expected = tier_history(
        pl.DataFrame(
            daily(after), schema=["platform", "account_id", "as_of_date", "tier"], orient="row"
        )
    )
    assert updated == expected.sort(pl.all()).rows()
