"""The bench's fast SQL baseline (tests/oracle/fast_creator_daily_metrics.sql) equals the SQL
oracle cell by cell, on a generated export read by DuckDB's own readers (bench/baseline.py),
with the edge cases the demo lacks: rate cards in a currency without an FX rate or starting on
or after an as-of date, posts at the edge of the 90-day window, posts whose latest snapshot
before a date is an older one, creators whose snapshots stop for a while."""

from datetime import timedelta

import duckdb
import pytest

from bench import baseline
from creatorlens.demo import DemoConfig, generate, write
from creatorlens.transforms.metrics import COLUMNS
from tests.oracle.test_oracle import assert_cell_by_cell

CONFIG = DemoConfig(creators=150, days=45, seed=505)
START = CONFIG.end - timedelta(days=12)
KEYS = {
    "stg_creator_snapshots": "platform, account_id, snapshot_date",
    "stg_post_snapshots": "platform, post_id, snapshot_date",
}


def edge_cases(con: duckdb.DuckDBPyConnection) -> None:
    """Rate cards, gaps in post and creator snapshots, duplicates taken out (with two rows of
    one key, which one an implementation keeps is its own choice: staging keeps one)."""
    for table, key in KEYS.items():
        con.execute(
            f"create or replace table staging.{table} as "
            f"select distinct on ({key}) * from staging.{table} order by {key}"
        )
    creators = con.execute(
        "select platform, account_id from staging.stg_creator_snapshots "
        "where snapshot_date = ? order by all limit 5",
        [CONFIG.end],
    ).fetchall()
    cards = [
        (*creators[0], 50.0, "SEK", START - timedelta(days=5)),
        (*creators[1], 77.0, "USD", START + timedelta(days=3)),
        (*creators[2], 88.0, "USD", CONFIG.end + timedelta(days=1)),
    ]
    con.executemany("insert into staging.stg_rate_cards values (?, ?, ?, ?, ?)", cards)
    # creators 3 and 4 skip a week of snapshots: stale for some dates, back after
    con.executemany(
        "delete from staging.stg_creator_snapshots where platform = ? and account_id = ? "
        "and snapshot_date between ? and ?",
        [(*c, START - timedelta(days=2), START + timedelta(days=6)) for c in creators[3:]],
    )
    # old posts at the edge of the 90-day window of START (the export's own are younger)
    con.executemany(
        "insert into staging.stg_post_snapshots values (?, ?, ?, ?, ?, 40, 2, 1, null, 900)",
        [(*creators[0][:1], f"old-{age}", creators[0][1], START, START - timedelta(days=age))
         for age in (88, 89, 90)],
    )  # fmt: skip
    # posts measured after START but not on or shortly before it
    con.execute(
        """
        delete from staging.stg_post_snapshots s
        using (
            select platform, post_id from staging.stg_post_snapshots
            where published_date in (?::date - 2, ?::date - 12) and snapshot_date > ?
            group by all order by all limit 20
        ) gapped
        where s.platform = gapped.platform and s.post_id = gapped.post_id
          and s.snapshot_date between ?::date - 5 and ?
        """,
        [START, START, START, START, START],
    )


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("fast-baseline")
    write(generate(CONFIG), folder / "exports")
    con = duckdb.connect()
    baseline.load_staging(con, folder / "exports")
    edge_cases(con)
    baseline.no_authenticity(con)
    marts = {}
    for fast in (False, True):
        metrics = baseline.creator_daily_metrics(con, START, CONFIG.end, fast=fast)
        marts[fast] = {"creator_daily_metrics": f"select * from {metrics}"} | {
            mart: baseline.downstream(mart, metrics) for mart in baseline.DOWNSTREAM
        }
    return {
        mart: [
            con.execute(f"select * from ({marts[fast][mart]}) order by all").fetchall()
            for fast in (True, False)
        ]
        for mart in marts[True]
    }


@pytest.mark.parametrize(
    "mart", ["creator_daily_metrics", "creator_rankings", "tier_benchmarks", "tier_history"]
)
def test_the_fast_baseline_equals_the_oracle_cell_by_cell(both, mart):
    assert_cell_by_cell(mart, *both[mart])


def test_the_comparison_reaches_the_edge_cases(both):
    rows = both["creator_daily_metrics"][1]
    assert len(rows) > 13 * 100
    assert {r[list(COLUMNS).index("price_source")] for r in rows} == {"rate_card", "tier_default"}
    assert {r[0] for r in rows} == {START + timedelta(days=n) for n in range(13)}
