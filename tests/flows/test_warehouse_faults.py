"""A lost or damaged warehouse, provoked for real (the file deleted, or cut to half its size)
under the CLI: one line that names the file and the command that fixes it, the published marts
untouched and readable throughout, and `creatorlens rebuild` giving every published date back,
cell by cell."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.clirun import creatorlens
from tests.flows.marts_reader import published_marts, reading

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def published(tmp_path, prefect_api) -> tuple[Path, dict]:
    """A demo export backfilled over eight dates: its folder and its published marts (the
    published file names its Parquet files by absolute path: each test has a folder of its
    own)."""
    folder = tmp_path / "folder"
    folder.mkdir()
    assert creatorlens("demo", "--creators", "45", "--days", "12", cwd=folder).returncode == 0
    backfill = creatorlens(
        "backfill", "--start", "2026-11-13", "--end", "2026-11-20", cwd=folder,
        PREFECT_API_URL=prefect_api,
    )  # fmt: skip
    assert backfill.returncode == 0, backfill.stderr
    return folder, published_marts(str(folder / "data" / "creatorlens.duckdb"))


def one_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    return line


def test_a_lost_or_damaged_warehouse_is_one_line_and_rebuild_gives_every_date_back(
    published, tmp_path, prefect_api
):
    folder = published[0]
    marts = folder / "data" / "creatorlens.duckdb"
    warehouse = folder / "data" / "warehouse.duckdb"
    with reading(marts, tmp_path / "stop") as counts:
        for path in warehouse.parent.glob("warehouse.duckdb*"):  # lost
            path.unlink()
        broken_then_rebuilt(folder, published[1], "deleted", prefect_api)
        os.truncate(warehouse, warehouse.stat().st_size // 2)  # the rebuilt one, damaged
        broken_then_rebuilt(folder, published[1], "truncated", prefect_api)
    assert counts["refused"] == 0, counts["errors"]
    assert counts["inconsistent"] == 0 and counts["reads"] > 10 and counts["held_reads"] > 10


def broken_then_rebuilt(folder: Path, before: dict, fault: str, prefect_api: str) -> None:
    """The run refused in one line, the marts as they were; rebuilt, every date back."""
    marts = folder / "data" / "creatorlens.duckdb"
    warehouse = folder / "data" / "warehouse.duckdb"
    server = {"PREFECT_API_URL": prefect_api}
    error = one_error(creatorlens("run", cwd=folder, **server))
    assert "data/warehouse.duckdb:" in error and "`creatorlens rebuild`" in error, error
    assert published_marts(str(marts)) == before  # nothing published, nothing lost
    if fault == "deleted":
        assert "it is new" in error and "8 as-of dates" in error
        assert not warehouse.exists()  # the refused run did not make one
    else:
        assert "damaged" in error
    rebuilt = creatorlens("rebuild", cwd=folder, **server)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert published_marts(str(marts)) == before  # every date again, cell by cell
    if fault == "truncated":  # the damaged file is kept beside the new one
        assert len(list(warehouse.parent.glob("warehouse.duckdb.replaced-*"))) == 1
    again = creatorlens("run", cwd=folder, **server)
    assert again.returncode == 0, again.stderr


def test_a_rebuild_the_exports_cannot_support_is_refused_and_publishes_nothing(
    published, tmp_path, prefect_api
):
    folder = published[0]
    marts = folder / "data" / "creatorlens.duckdb"
    exports = folder / "data" / "exports"
    for platform in ("instagram", "tiktok", "youtube"):  # the first week of exports is gone
        for day in sorted((exports / platform).iterdir())[:7]:
            subprocess.run(["rm", "-r", str(day)], check=True)
    error = one_error(creatorlens("rebuild", cwd=folder, PREFECT_API_URL=prefect_api))
    assert "cannot give them all back" in error and "2026-11-13 to 2026-11-20" in error, error
    assert published_marts(str(marts)) == published[1]
