"""Design section 8, twice: the campaign marts against a plain-SQL implementation, cell by cell,
after late results, a restated day, and inputs that test every rule."""

import csv
import gzip
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from creatorlens import reference
from creatorlens.compute import campaigns
from creatorlens.demo import DemoConfig, generate, write
from creatorlens.ingest.loading import load_exports
from creatorlens.reference import REFERENCE_DIR
from creatorlens.transforms.campaigns import PERFORMANCE_COLUMNS
from creatorlens.warehouse import open_warehouse
from tests.oracle.test_oracle import HERE, assert_cell_by_cell, oracle

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`

CONFIG = DemoConfig(creators=300, days=45, seed=808)
MARTS = ("campaign_performance", "campaign_tier_summary")


def csv_days(exports: Path) -> list[Path]:
    """The results folders delivered as CSV (the demo writes Sundays as JSON Lines)."""
    return [
        day for day in sorted((exports / "results").iterdir()) if (day / "results.csv").exists()
    ]


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text())))


def write_csv(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue())


def add_edge_cases(exports: Path) -> None:
    """What the demo lacks: a fee in a currency with no FX rate (SEK), a creator with no posts
    and no results, a creator of a campaign campaigns.csv lacks, a campaign that starts after
    the last snapshot, and revenue in a currency with no FX rate (XYZ)."""
    members = read_csv(exports / "campaign_creators.csv")
    first = members[0]
    members[1] = {**members[1], "currency": "SEK"}
    members += [
        {**first, "account_id": "nobody-at-all"},
        {**first, "campaign_id": "C-UNKNOWN"},
        {**first, "campaign_id": "C-LATER"},
    ]
    write_csv(exports / "campaign_creators.csv", members)
    planned = read_csv(exports / "campaigns.csv")
    later = CONFIG.end + timedelta(days=3)
    planned.append(
        {**planned[0], "campaign_id": "C-LATER", "start_date": str(later), "end_date": str(later)}
    )
    write_csv(exports / "campaigns.csv", planned)
    day = csv_days(exports)[2] / "results.csv"
    rows = read_csv(day)
    rows[0] = {**rows[0], "currency": "XYZ"}
    write_csv(day, rows)


def move_a_campaign_post(exports: Path) -> None:
    """A TikTok post of a campaign creator, published while its campaign ran, whose latest
    snapshot names another account: a campaign counts its posts by their latest snapshot, so
    the post is no longer the creator's (its earlier snapshots still name the creator)."""
    planned = {row["campaign_id"]: row for row in read_csv(exports / "campaigns.csv")}
    windows = [
        (row["account_id"], planned[row["campaign_id"]])
        for row in read_csv(exports / "campaign_creators.csv")
        if row["platform"] == "tiktok" and row["campaign_id"] in planned
    ]
    path = max((exports / "tiktok").glob("*/posts.csv*"))
    compressed = path.suffix == ".gz"
    data = gzip.decompress(path.read_bytes()) if compressed else path.read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    for row in rows:
        published = datetime.fromtimestamp(int(row["create_time"]), UTC).date().isoformat()
        if any(
            row["username"] == account and plan["start_date"] <= published <= plan["end_date"]
            for account, plan in windows
        ):
            row["username"] = "someone-else"
            break
    else:
        raise AssertionError(f"no campaign post in {path}")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    data = buffer.getvalue().encode()
    path.write_bytes(gzip.compress(data) if compressed else data)


def double_counts(results_file: Path) -> None:
    """Restate a day of results: every count doubled."""
    rows = [
        {**row, **{k: str(2 * int(row[k])) for k in ("clicks", "signups", "purchases")}}
        for row in read_csv(results_file)
    ]
    write_csv(results_file, rows)


def created(con, name: str) -> list[tuple]:
    """Run an oracle file that creates its table, and read the table."""
    con.execute((HERE / f"{name}.sql").read_text())
    return con.execute(f"select * from oracle_{name} order by all").fetchall()


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("campaign-oracle")
    exports = folder / "exports"
    write(generate(CONFIG), exports)
    add_edge_cases(exports)
    move_a_campaign_post(exports)
    late = csv_days(exports)[3]
    held_back = folder / "held-back.csv"
    (late / "results.csv").rename(held_back)
    scheme = reference.tier_scheme("default")
    with open_warehouse(folder / "warehouse.duckdb", migrate=True) as con:
        load_exports(con, exports, "run-1")
        campaigns.compute_campaigns(con, scheme, "run-1")
        held_back.rename(late / "results.csv")  # the late day arrives
        restated = csv_days(exports)[5] / "results.csv"
        double_counts(restated)
        load_exports(con, exports, "run-2")
        for _ in range(2):  # computing twice changes nothing and reports once
            campaigns.compute_campaigns(con, scheme, "run-2")
        pipeline = {
            t: con.execute(f"select * from marts.{t} order by all").fetchall() for t in MARTS
        }
        starts = con.execute(
            "select min(start_date) - 1, max(start_date) - 1 from staging.stg_campaigns"
        ).fetchall()[0]
        con.execute(  # tiers and costs at start need no authenticity (section 9)
            "create temp table authenticity (as_of_date date, platform varchar, account_id"
            " varchar, suspicious_growth boolean, authenticity_score double,"
            " authenticity_flags varchar[])"
        )
        oracle(
            con,
            "creator_daily_metrics",
            start=starts[0],
            end=starts[1],
            scheme="default",
            tier_schemes_csv=str(REFERENCE_DIR / "tier_schemes.csv"),
            default_prices_csv=str(REFERENCE_DIR / "default_prices.csv"),
        )
        sql = {
            "campaign_performance": created(con, "campaign_performance"),
            "campaign_tier_summary": oracle(con, "campaign_tier_summary"),
        }
        checks = {
            "reported": con.execute(
                "select file, field, rule, value from ops.quarantine"
                " where rule = 'fx_rate_in_force' order by all"
            ).fetchall(),
            "restated": con.execute(
                "select sum(clicks) from staging.stg_campaign_results where result_date = ?",
                [restated.parent.name],
            ).fetchall()[0][0],
            "delivered": sum(int(row["clicks"]) for row in read_csv(restated)),
        }
    return checks | {table: (pipeline[table], sql[table]) for table in MARTS}


@pytest.mark.parametrize("table", MARTS)
def test_campaign_marts_equal_the_sql_oracle_cell_by_cell(both, table):
    assert_cell_by_cell(table, *both[table])


def test_the_comparison_covers_every_definition(both):
    rows, _ = both["campaign_performance"]
    columns = list(PERFORMANCE_COLUMNS)
    non_null = {name: sum(r[i] is not None for r in rows) for i, name in enumerate(columns)}
    assert all(count > 0 for count in non_null.values()), non_null
    nulls = {name: len(rows) - count for name, count in non_null.items()}
    for name in ("fee_usd", "tier_at_start", "brand", "results_through", "views", "cpa_usd"):
        assert nulls[name] > 0, name  # the edge cases reach each null
    tiers = {r[columns.index("tier_at_start")] for r in rows} - {None}
    assert {"nano", "micro", "mid"} <= tiers
    summary, _ = both["campaign_tier_summary"]
    assert any(r[0] is None for r in summary) and any(r[0] is not None for r in summary)


def test_fees_and_revenue_without_an_fx_rate_are_reported_once(both):
    reported = both["reported"]
    assert ("campaign_creators.csv", "currency", "fx_rate_in_force", "SEK") in reported
    assert sum(1 for r in reported if r[3] == "XYZ" and r[0].startswith("results/")) == 1
    assert len(reported) == len(set(reported))


def test_the_restated_day_replaced_the_old_one(both):
    assert both["restated"] == both["delivered"] > 0
