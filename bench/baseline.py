"""The plain DuckDB SQL baselines of the marts, straight from an export folder: staging built
with DuckDB's own readers (bench/baseline_staging.sql), then the marts by the SQL oracle of
tests/oracle (plainly right, slow) or by its fast twin (tests/oracle/fast_*.sql, the speed the
pipeline is measured against)."""

import json
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from creatorlens.reference import REFERENCE_DIR

ROOT = Path(__file__).resolve().parent.parent
ORACLE = ROOT / "tests" / "oracle"
DOWNSTREAM = ("creator_rankings", "tier_benchmarks", "tier_history")
"""The marts made from creator_daily_metrics alone: one pass each, the same SQL for both."""


def load_staging(con: duckdb.DuckDBPyConnection, exports: Path) -> None:
    """The staging tables the SQL reads, from the export folder (no checks, no bookkeeping)."""
    text = "\n".join(
        line for line in (ROOT / "bench" / "baseline_staging.sql").read_text().splitlines()
        if not line.startswith("--")
    )  # fmt: skip
    for statement in filter(str.strip, text.split(";\n")):
        con.execute(statement, {"exports": str(exports)} if "$exports" in statement else None)


def no_authenticity(con: duckdb.DuckDBPyConnection) -> None:
    """The baselines leave out design section 9's assessment (a detector held to labelled
    data, not restated in SQL): its columns come out null."""
    con.execute(
        "create or replace temp table authenticity (as_of_date date, platform varchar,"
        " account_id varchar, suspicious_growth boolean, authenticity_score double,"
        " authenticity_flags varchar[])"
    )


def creator_daily_metrics(
    con: duckdb.DuckDBPyConnection, start: date, end: date, *, fast: bool
) -> str:
    """Make creator_daily_metrics of [start, end] by the fast SQL or the oracle's; the name of
    the temporary table it is in."""
    name = "fast_creator_daily_metrics" if fast else "creator_daily_metrics"
    con.execute(
        (ORACLE / f"{name}.sql").read_text(),
        {
            "start": start,
            "end": end,
            "scheme": "default",
            "tier_schemes_csv": str(REFERENCE_DIR / "tier_schemes.csv"),
            "default_prices_csv": str(REFERENCE_DIR / "default_prices.csv"),
        },
    )
    return name if fast else "oracle_creator_daily_metrics"


def downstream(mart: str, metrics: str) -> str:
    """The oracle's SQL of a mart made from creator_daily_metrics, reading the table `metrics`
    (the oracle's or the fast one's)."""
    return (ORACLE / f"{mart}.sql").read_text().replace("oracle_creator_daily_metrics", metrics)


def run(exports: Path, start: date, end: date, *, fast: bool = True) -> dict:
    """Every mart of as-of dates [start, end] from `exports`, as temp tables: the seconds it
    took (and its readers took), and the staging rows read."""
    started = time.perf_counter()
    con = duckdb.connect()
    load_staging(con, exports)
    loaded = time.perf_counter() - started
    no_authenticity(con)
    metrics = creator_daily_metrics(con, start, end, fast=fast)
    for mart in DOWNSTREAM:
        con.execute(f"create temp table baseline_{mart} as {downstream(mart, metrics)}")
    con.execute(downstream("campaign_performance", metrics))
    summary = downstream("campaign_tier_summary", metrics)
    con.execute(f"create temp table baseline_campaign_tier_summary as {summary}")
    rows_read = sum(
        con.execute(f"select count(*) from staging.{t}").fetchone()[0]
        for t in ("stg_creator_snapshots", "stg_post_snapshots")
    )
    return {"wall_s": time.perf_counter() - started, "read_s": loaded, "rows_read": rows_read}


if __name__ == "__main__":  # python -m bench.baseline EXPORTS START END: the figures as JSON
    folder, first, last = sys.argv[1:4]
    print(json.dumps(run(Path(folder), date.fromisoformat(first), date.fromisoformat(last))))
