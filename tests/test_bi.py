"""A BI tool's own driver (SQLAlchemy with duckdb-engine, as Superset connects) finds every
published table, view and column described, and queries each, read-only, while a run
publishes; DuckDB 1.x clients (what many BI drivers bundle, and the duckdb CLI), each in an
environment of its own, open the published file and query every relation."""

import json
import os
import shutil
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


OLD_CLIENTS = ("duckdb==1.4.5", "duckdb==1.5.6", "duckdb-cli==1.5.6")
"""The DuckDB 1.x clients the README names as tested."""
ROOT = Path(__file__).resolve().parent.parent

READ_EVERYTHING = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
relations = con.execute(
    "select schema_name || '.' || table_name, comment from duckdb_tables()"
    " union all select schema_name || '.' || view_name, comment from duckdb_views()"
    " where not internal"
).fetchall()
counts = {name: con.execute(f"select count(*) from {name}").fetchone()[0] for name, _ in relations}
described = all(comment for _, comment in relations)
print(json.dumps({"version": duckdb.__version__, "counts": counts, "described": described}))
"""


@pytest.fixture(scope="module")
def published_file(tmp_path_factory, prefect_api: str) -> Path:
    folder = tmp_path_factory.mktemp("published")
    demo = creatorlens("demo", "--creators", "60", "--days", "6", "--seed", "5", cwd=folder)
    assert demo.returncode == 0, demo.stderr
    run = creatorlens("run", cwd=folder, PREFECT_API_URL=prefect_api)
    assert run.returncode == 0, run.stderr
    return (folder / "data" / "creatorlens.duckdb").resolve()


def _client(requirement: str, where: Path) -> Path:
    """A virtual environment holding only `requirement`; returns its bin folder."""
    uv = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    venv = where / requirement.replace("=", "")
    for command in (
        [uv, "venv", "--quiet", "--python", sys.executable, str(venv)],
        [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), requirement],
    ):
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
        assert done.returncode == 0, done.stderr
    return venv / "bin"


def _expected(path: Path) -> dict[str, int]:
    """Every published relation and its rows, as this project's DuckDB counts them."""
    import duckdb  # noqa: PLC0415

    con = duckdb.connect(str(path), read_only=True)
    try:
        names = sorted(set(declared.PUBLISHED) | set(declared.VIEWS))
        return {name: con.execute(f"select count(*) from {name}").fetchone()[0] for name in names}
    finally:
        con.close()


@pytest.mark.parametrize("requirement", OLD_CLIENTS)
def test_a_duckdb_1x_client_reads_every_published_relation(
    requirement: str, published_file: Path, tmp_path: Path
):
    bin_folder = _client(requirement, tmp_path)
    expected = _expected(published_file)
    assert sum(expected.values()) > 0
    if requirement.startswith("duckdb-cli"):
        query = " union all ".join(
            f"select '{name}' as name, count(*) as n from {name}" for name in expected
        )
        done = subprocess.run(
            [str(bin_folder / "duckdb"), "-readonly", "-json", str(published_file), "-c", query],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert {row["name"]: row["n"] for row in json.loads(done.stdout)} == expected
        version = subprocess.run(
            [str(bin_folder / "duckdb"), "--version"], capture_output=True, text=True, check=False
        ).stdout
        assert version.startswith("v1."), version
        return
    done = subprocess.run(
        [str(bin_folder / "python"), "-c", READ_EVERYTHING, str(published_file)],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout)
    assert seen["version"] == requirement.split("==")[1]
    assert seen["counts"] == expected
    assert seen["described"]
