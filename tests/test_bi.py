"""A BI tool's own driver (SQLAlchemy with duckdb-engine, as Superset connects) finds every
published table, view and column described, and queries each, read-only, while a run
publishes."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from creatorlens.schemas import declared

from tests.clirun import CLI, creatorlens

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`


def inspect_and_query(url: str) -> int:
    """Inspect and query every published relation once; returns the rows counted."""
    engine = sa.create_engine(url, connect_args={"read_only": True}, poolclass=sa.pool.NullPool)
    try:
        inspector = sa.inspect(engine)
        found = {
            f"{schema}.{name}"
            for schema in ("marts", "ops")
            for name in inspector.get_table_names(schema) + inspector.get_view_names(schema)
        }
        assert found == set(declared.PUBLISHED) | set(declared.VIEWS)
        rows = 0
        with engine.connect() as con:
            for relation in sorted(found):
                schema, name = relation.split(".")
                assert inspector.get_table_comment(name, schema)["text"], relation
                columns = inspector.get_columns(name, schema)
                assert columns and all(c["comment"] for c in columns), relation
                rows += con.execute(sa.text(f"select count(*) from {relation}")).scalar_one()
        return rows
    finally:
        engine.dispose()


def test_superset_s_driver_reads_every_described_relation_while_a_run_publishes(
    tmp_path: Path, prefect_api: str
):
    demo = creatorlens("demo", "--creators", "60", "--days", "12", "--seed", "4", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    first = creatorlens("run", cwd=tmp_path, PREFECT_API_URL=prefect_api)
    assert first.returncode == 0, first.stderr
    url = f"duckdb:///{(tmp_path / 'data' / 'creatorlens.duckdb').resolve()}"
    assert inspect_and_query(url) > 0
    backfill = subprocess.Popen(
        [*CLI, "backfill", "--start", "2026-11-13", "--end", "2026-11-20"],
        cwd=tmp_path,
        env={**os.environ, "PREFECT_API_URL": prefect_api, "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    reads = []
    while backfill.poll() is None:
        reads.append(inspect_and_query(url))
        time.sleep(0.05)
    output = backfill.stdout.read()
    assert backfill.returncode == 0, output
    assert len(reads) >= 3, "the backfill ended before the reader could read"
    assert inspect_and_query(url) > max(reads[0], 1)  # the backfill's dates are there now
    print(f"{len(reads)} inspections while the backfill ran", file=sys.stderr)
