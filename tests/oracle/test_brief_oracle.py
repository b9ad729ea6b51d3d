"""Design section 10, twice: marts.brief_matches as the flows compute it against a plain-SQL
implementation, cell by cell, on a demo export with briefs that leave dimensions open and
constrain them, every platform's audience shape, stale and missing audience snapshots,
creators flagged for bought followers, a dimension a line lacks, and a restated audience day."""

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from creatorlens.demo import DemoConfig, generate, write
from creatorlens.flows.backfill import backfill
from creatorlens.flows.nightly import nightly
from creatorlens.settings import Settings
from tests.oracle.test_oracle import HERE, assert_cell_by_cell

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`

CONFIG = DemoConfig(creators=240, days=40, seed=1010, bought_share=0.1)
START = CONFIG.end - timedelta(days=14)
EXTRA_BRIEFS = [
    {"brief_id": "B-ANY", "brand": "Everyone Inc", "countries": "", "ages": "", "genders": "",
     "niches": "", "platforms": "", "min_followers": "", "max_followers": ""},
    {"brief_id": "B-OLD", "brand": "Silver", "countries": "", "ages": "13-17;55+",
     "genders": "", "niches": "", "platforms": "", "min_followers": "", "max_followers": ""},
    {"brief_id": "B-MEN", "brand": "Razor", "countries": "US;GB;DE", "ages": "",
     "genders": "male;other", "niches": "", "platforms": "youtube;tiktok",
     "min_followers": "1000", "max_followers": ""},
]  # fmt: skip


def add_briefs(exports: Path) -> None:
    path = exports / "briefs.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text()))) + EXTRA_BRIEFS
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue())


def drop_ages(exports: Path) -> str:
    """Instagram's first audience line of the window loses its age breakdown: the dimension is
    lacking (a brief constraining ages gets null shares, one leaving them open gets 1)."""
    path = next(
        p for p in sorted(exports.glob("instagram/*/audience.jsonl")) if p.parent.name >= str(START)
    )
    lines = path.read_text().splitlines()
    first = json.loads(lines[0])
    first["data"] = [
        d for d in first["data"] if d["total_value"]["breakdowns"][0]["dimension_keys"] != ["age"]
    ]
    path.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")
    return first["id"]


def restate(exports: Path) -> Path:
    """A TikTok audience day in the range delivered again with other shares."""
    path = next(
        p for p in sorted(exports.glob("tiktok/*/audience.ndjson")) if p.parent.name >= str(START)
    )
    restated = []
    for line in path.read_text().splitlines():
        value = json.loads(line)
        for item in value["audience_genders"]:
            item["percentage"] = round(1 - item["percentage"], 4)
        restated.append(json.dumps(value))
    path.write_text("\n".join(restated) + "\n")
    return path


@pytest.fixture(scope="module")
def both(tmp_path_factory, prefect_harness) -> dict:
    folder = tmp_path_factory.mktemp("brief-oracle")
    exports = folder / "exports"
    write(generate(CONFIG), exports)
    add_briefs(exports)
    lacking = drop_ages(exports)
    settings = Settings(
        exports_dir=exports,
        warehouse=folder / "warehouse.duckdb",
        marts=folder / "creatorlens.duckdb",
        reports_dir=folder / "reports",
    )
    nightly(run_date=START + timedelta(days=3), settings=settings)
    restated = restate(exports)
    backfill(start=START, end=CONFIG.end, settings=settings)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        pipeline = con.sql(
            "select * from marts.brief_matches where as_of_date between $start and $end"
            " order by all",
            params={"start": START, "end": CONFIG.end},
        ).fetchall()
        sql = con.sql(
            f"select * from ({(HERE / 'brief_matches.sql').read_text()}) order by all",
            params={"start": START, "end": CONFIG.end},
        ).fetchall()
        columns = [c[0] for c in con.sql("describe marts.brief_matches").fetchall()]
        loads = con.sql(
            "select count(*) from ops.loads where file = $file",
            params={"file": restated.relative_to(exports).as_posix()},
        ).fetchall()[0][0]
    return {"pipeline": pipeline, "sql": sql, "columns": columns, "loads": loads,
            "lacking": lacking}  # fmt: skip


def test_brief_matches_equal_the_sql_oracle_cell_by_cell(both):
    assert_cell_by_cell("brief_matches", both["pipeline"], both["sql"])


def test_the_comparison_covers_every_rule(both):
    rows = [dict(zip(both["columns"], row, strict=True)) for row in both["pipeline"]]
    assert both["loads"] == 2  # the restated audience day loaded twice
    platforms = {r["platform"] for r in rows if r["target_share"] is not None}
    assert platforms == {"instagram", "tiktok", "youtube"}
    assert any(r["audience_date"] is None for r in rows)  # no audience delivered
    assert any(
        r["audience_age_days"] > 30 and r["rank"] is None for r in rows if r["audience_date"]
    )
    assert any(r["suspicious_growth"] and r["rank"] is None for r in rows)
    assert any(r["rank"] is not None for r in rows)
    lacking = [r for r in rows if r["account_id"] == both["lacking"] and r["audience_date"]]
    assert {(r["brief_id"], r["age_share"]) for r in lacking} >= {("B-OLD", None), ("B-ANY", 1.0)}
    briefs = {r["brief_id"] for r in rows}
    assert briefs == {"B-DK-BEAUTY", "B-US-GAMING", "B-GB-FOOD", "B-ANY", "B-OLD", "B-MEN"}
