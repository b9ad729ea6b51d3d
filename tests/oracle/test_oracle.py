"""Design section 4, twice: the marts the flows compute against a plain-SQL implementation,
cell by cell."""

import math
from datetime import timedelta
from pathlib import Path

import pytest

from creatorlens.demo import DemoConfig, generate, write
from creatorlens.flows.backfill import backfill
from creatorlens.flows.nightly import nightly
from creatorlens.reference import REFERENCE_DIR
from creatorlens.settings import Settings
from creatorlens.transforms.metrics import COLUMNS
from creatorlens.warehouse import open_warehouse, sql

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`

HERE = Path(__file__).resolve().parent
CONFIG = DemoConfig(creators=200, days=40, seed=404)
MARTS = ("creator_daily_metrics", "creator_rankings", "tier_benchmarks", "tier_history")
"""The marts of design section 4 (the campaign marts: test_campaign_oracle.py)."""
START = CONFIG.end - timedelta(days=20)
BUCKETS = (1, 7)
"""Partition counts the pipeline computes with: all of a platform's creators together, and a
prime (design: every partition count gives the same marts)."""


def extra_rate_cards(con) -> None:
    """Edge cases the demo lacks: a card in a currency with no FX rate, one starting on an as-of
    date, and one starting the day after the last."""
    (load_id,) = con.execute("select any_value(load_id) from staging.stg_rate_cards").fetchall()[0]
    creators = con.execute(
        "select platform, account_id from staging.stg_creator_snapshots "
        "where snapshot_date = ? order by platform, account_id limit 3",
        [CONFIG.end],
    ).fetchall()
    cards = [
        (*creators[0], 50.0, "SEK", START - timedelta(days=5)),
        (*creators[1], 77.0, "USD", START + timedelta(days=3)),
        (*creators[2], 88.0, "USD", CONFIG.end + timedelta(days=1)),
    ]
    for number, card in enumerate(cards, start=900_001):
        con.execute(
            "insert into staging.stg_rate_cards values (?, ?, ?, ?, ?, ?, ?)",
            [*card, load_id, number],
        )


def gapped_posts(con) -> int:
    """Edge cases the demo lacks: posts measured after START but not on it, whose latest
    snapshot as of START is an older one. Some posts published two days before START miss only
    START; some published twelve days before miss START - 5 to START as well, so their last
    snapshot before START predates every post of the first kind."""
    gaps = {2: 0, 12: 5}
    gapped = set()
    for age, days in gaps.items():
        deleted = con.execute(
            """
            delete from staging.stg_post_snapshots s
            using (
                select platform, post_id from staging.stg_post_snapshots
                where published_date = ?::date - ?::int and snapshot_date > ?
                group by all
                order by all
                limit 10
            ) gapped
            where s.platform = gapped.platform and s.post_id = gapped.post_id
              and s.snapshot_date between ?::date - ?::int and ?
            returning s.platform, s.post_id
            """,
            [START, age, START, START, days, START],
        ).fetchall()
        gapped |= set(deleted)
    con.execute("drop table staging.stg_post_latest")  # made again from the snapshots
    con.execute(sql("staging/stg_post_latest"))
    return len(gapped)


def oracle(con, name: str, **params) -> list[tuple]:
    sql = (HERE / f"{name}.sql").read_text()
    if params:
        con.execute(sql, params)
        return con.execute(f"select * from oracle_{name} order by all").fetchall()
    return con.execute(f"select * from ({sql}) order by all").fetchall()


@pytest.fixture(scope="module")
def both(tmp_path_factory, prefect_harness) -> dict:
    """The marts of the flows (a nightly that loads the export, then backfills of the range at
    each shard count) and of the oracle's SQL, over the same warehouse."""
    folder = tmp_path_factory.mktemp("oracle")
    write(generate(CONFIG), folder / "exports")
    settings = Settings(
        exports_dir=folder / "exports",
        warehouse=folder / "warehouse.duckdb",
        marts=folder / "creatorlens.duckdb",
        reports_dir=folder / "reports",
    )
    nightly(run_date=START, settings=settings)
    with open_warehouse(settings.warehouse) as con:
        extra_rate_cards(con)
        gapped = gapped_posts(con)
    pipeline = {}
    for buckets in (*BUCKETS, BUCKETS[0]):  # computing again changes nothing, reports once
        backfill(
            start=START, end=CONFIG.end, settings=settings.model_copy(update={"buckets": buckets})
        )
        with open_warehouse(settings.warehouse) as con:
            pipeline[buckets] = {
                t: con.execute(f"select * from marts.{t} order by all").fetchall() for t in MARTS
            }
    with open_warehouse(settings.warehouse) as con:
        con.execute(
            "create or replace temp view authenticity as select as_of_date, platform,"
            " account_id, suspicious_growth, authenticity_score, authenticity_flags"
            " from marts.creator_daily_metrics"
        )
        sql = {
            "creator_daily_metrics": oracle(
                con,
                "creator_daily_metrics",
                start=START,
                end=CONFIG.end,
                scheme="default",
                tier_schemes_csv=str(REFERENCE_DIR / "tier_schemes.csv"),
                default_prices_csv=str(REFERENCE_DIR / "default_prices.csv"),
            ),
            **{t: oracle(con, t) for t in ("creator_rankings", "tier_benchmarks", "tier_history")},
        }
        reported = con.execute(
            "select file, row_number, field, rule, value from ops.quarantine where rule = 'fx_rate_in_force'"
        ).fetchall()
    return {"reported": reported, "gapped": gapped} | {
        (buckets, table): (pipeline[buckets][table], sql[table])
        for buckets in BUCKETS
        for table in MARTS
    }


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def assert_cell_by_cell(table: str, pipeline: list[tuple], sql: list[tuple]) -> None:
    """The two implementations' rows agree, every cell (floats to 1e-9)."""
    assert len(pipeline) == len(sql) > 0
    mismatches = [
        (row_index, column, mine, theirs)
        for row_index, (row, other) in enumerate(zip(pipeline, sql, strict=True))
        for column, (mine, theirs) in enumerate(zip(row, other, strict=True))
        if not same(mine, theirs)
    ]
    assert mismatches[:5] == []
    print(f"{table}: {len(pipeline) * len(pipeline[0]):,} cells agree")


@pytest.mark.parametrize("buckets", BUCKETS)
@pytest.mark.parametrize("table", MARTS)
def test_polars_marts_equal_the_sql_oracle_cell_by_cell(both, table, buckets):
    assert_cell_by_cell(table, *both[buckets, table])


def test_the_comparison_covers_every_definition(both):
    rows, _ = both[BUCKETS[0], "creator_daily_metrics"]
    columns = list(COLUMNS)
    non_null = {name: sum(r[i] is not None for r in rows) for i, name in enumerate(columns)}
    assert len(rows) * len(columns) > 100_000
    assert all(count > 0 for count in non_null.values()), non_null
    sources = {r[columns.index("price_source")] for r in rows}
    assert {"rate_card", "tier_default"} <= sources
    assert any(r[columns.index("suspicious_growth")] for r in rows)
    assert {r[columns.index("as_of_date")] for r in rows} >= {START, CONFIG.end}
    assert both["gapped"] == 20  # posts gapped_posts took START's snapshot from


def test_a_rate_card_without_an_fx_rate_is_reported_once(both):
    assert both["reported"] == [("rate_cards.csv", 900_001, "currency", "fx_rate_in_force", "SEK")]
