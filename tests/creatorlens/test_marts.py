"""Marts computed over a range of as-of dates at once equal the same dates one by one."""

import shutil
import stat
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from creatorlens import marts, reference
from creatorlens.demo import DemoConfig, generate, write
from creatorlens.loader import load_exports
from creatorlens.warehouse import open_warehouse

CONFIG = DemoConfig(creators=150, days=20, seed=21)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    """A warehouse with a generated export loaded (tests compute into copies of it)."""
    folder = tmp_path_factory.mktemp("loaded")
    write(generate(CONFIG), folder / "exports")
    with open_warehouse(folder / "warehouse.duckdb") as con:
        load_exports(con, folder / "exports", "run")
    return folder / "warehouse.duckdb"


def computed(loaded: Path, warehouse: Path, ranges) -> dict[str, list[tuple]]:
    shutil.copyfile(loaded, warehouse)
    scheme = reference.tier_scheme("default")
    with open_warehouse(warehouse) as con:
        for start, end in ranges:
            marts.compute_marts(con, scheme, start, end)
        return {
            table: con.execute(f"select * from marts.{table} order by all").fetchall()
            for table in marts.MARTS
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
    with open_warehouse(warehouse) as con:
        marts.publish_marts(con, marts_file)
    return warehouse, marts_file


def test_a_publish_keeps_the_access_given_to_the_published_file(published):
    warehouse, marts_file = published
    marts_file.chmod(0o640)  # say, readable by the BI tool's group only
    first = marts_file.stat().st_ino
    with open_warehouse(warehouse) as con:
        marts.publish_marts(con, marts_file)
    assert marts_file.stat().st_ino != first  # a new file took its place
    assert stat.S_IMODE(marts_file.stat().st_mode) == 0o640


def test_readers_open_the_published_marts_read_only(published):
    _, marts_file = published
    with marts.open_marts(marts_file) as con:
        assert con.execute("select count(*) from marts.creator_daily_metrics").fetchall() == [
            (CONFIG.creators,)
        ]
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("delete from marts.creator_daily_metrics")
