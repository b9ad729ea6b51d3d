"""A run killed with SIGKILL while loading, computing or publishing loses nothing: running
again ends with the marts a clean run publishes, no file loaded twice, and readers never find
the published file unreadable."""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from creatorlens.demo import DemoConfig, generate, write
from tests.flows.folders import cli_environment, export_days, land
from tests.flows.marts_reader import published_marts, reading

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`

CONFIG = DemoConfig(creators=160, days=24, seed=47)
FIRST_DAYS = 8
"""The folder first holds this many days and publishes; the rest arrive before the kills."""
BACKFILL = ["backfill", "--start", str(CONFIG.start), "--end", str(CONFIG.end)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    write(generate(CONFIG), folder)
    return folder


def land_first_days(exports: Path, target: Path, *, first_days: bool) -> None:
    """Copy the agency files and the first days' folders, or the remaining days' folders."""
    days = export_days(exports)
    wanted = days[:FIRST_DAYS] if first_days else days[FIRST_DAYS:]
    land(exports, target, set(wanted), agency=first_days)


class Folder:
    """A deployment of creatorlens in a folder: its exports, warehouse, marts and Prefect home."""

    def __init__(self, root: Path, prefect_api: str) -> None:
        self.root = root
        self.exports = root / "exports"
        self.warehouse = root / "warehouse.duckdb"
        self.marts = root / "marts.duckdb"
        self.env = cli_environment(root, prefect_api, marts=self.marts) | {
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        }

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "creatorlens", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def kill_during(
        self,
        args: list[str],
        marker: str | Callable[[str], bool],
        delay: float,
        when: Callable[[], bool] = lambda: True,
    ) -> str:
        """Start `creatorlens args`; once a line of its log holds `marker` (or passes it) and
        then `when()` holds, wait `delay` seconds and SIGKILL it. Returns what it printed;
        fails if the run ends first."""
        seen = marker if callable(marker) else lambda line: marker in line
        process = subprocess.Popen(
            [sys.executable, "-m", "creatorlens", *args, "--verbose"],  # log lines to wait on
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its ephemeral Prefect server goes with it, below
        )
        printed = []
        began = time.monotonic()
        for line in process.stdout:
            printed.append(line)
            if seen(line):
                while not when() and process.poll() is None:
                    time.sleep(0.001)
                time.sleep(delay)
                os.kill(process.pid, signal.SIGKILL)
                break
        with contextlib.suppress(ProcessLookupError):  # the rest of its group, if any
            os.killpg(process.pid, signal.SIGKILL)
        printed.extend(process.stdout)
        assert process.wait(timeout=60) == -signal.SIGKILL, "".join(printed)
        print(
            f"killed at {getattr(marker, '__name__', marker)!r} +{delay}s after {time.monotonic() - began:.1f}s"
        )
        return "".join(printed)

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()


def staged_leftovers(folder: Folder) -> set[Path]:
    return set(folder.root.glob(".marts.duckdb.*.tmp*"))


def parquet_files(folder: Folder) -> set[str]:
    """The Parquet files beside the published file, relative to their folder."""
    files = folder.root / "marts-parquet"
    return {p.relative_to(files).as_posix() for p in files.glob("*/*.parquet")}


def test_a_run_killed_while_loading_computing_or_publishing_recovers_by_running_again(
    tmp_path, exports, prefect_api
):
    clean = Folder(tmp_path / "clean", prefect_api)
    shutil.copytree(exports, clean.exports)
    assert clean.run(*BACKFILL).returncode == 0
    expected = published_marts(str(clean.marts))

    crashed = Folder(tmp_path / "crashed", prefect_api)
    land_first_days(exports, crashed.exports, first_days=True)
    first = crashed.run("run")
    assert first.returncode == 0, first.stderr
    last_good = published_marts(str(crashed.marts))
    land_first_days(exports, crashed.exports, first_days=False)
    with reading(crashed.marts, tmp_path / "stop-reading") as reads:
        crash_and_recover(crashed, last_good, expected)
    print(f"reader: {reads}")
    assert reads["refused"] == 0, reads["errors"]
    assert reads["inconsistent"] == 0 and reads["reads"] > 10


def crash_and_recover(crashed: Folder, last_good: dict, expected: dict) -> None:
    """Kill runs of a backfill while loading, computing and publishing; then run it."""
    loaded = "select count(*) from ops.loads where status = 'loaded'"
    files_first_run = crashed.query(loaded)[0][0]
    files = len(list(crashed.exports.rglob("*.*")))

    def past_the_first_runs_files(line: str) -> bool:  # so some new files have loaded
        progress = re.search(r"read (\d+) of \d+ new files", line)
        return bool(progress) and int(progress[1]) > 5

    crashed.kill_during(BACKFILL, past_the_first_runs_files, delay=0)
    assert files_first_run < crashed.query(loaded)[0][0] < files  # killed in the middle
    assert published_marts(str(crashed.marts)) == last_good

    scratch = crashed.warehouse.with_suffix(".scratch")
    crashed.kill_during(
        BACKFILL, "computing marts for", delay=0.05, when=lambda: any(scratch.glob("run-*/*"))
    )
    killed_runs_scratch = list(scratch.glob("run-*"))
    assert crashed.query("select count(distinct as_of_date) from marts.creator_daily_metrics") == [
        (1,)
    ]  # killed before the range committed: only the first run's date is there
    assert published_marts(str(crashed.marts)) == last_good

    written = parquet_files(crashed)

    def writing_parquet() -> bool:
        return bool(parquet_files(crashed) - written)

    crashed.kill_during(BACKFILL, "publishing", delay=0, when=writing_parquet)
    assert writing_parquet()  # killed while the new dates' Parquet files were being written
    assert published_marts(str(crashed.marts)) == last_good  # the old one, whole

    before = staged_leftovers(crashed)

    def staging_a_publish() -> bool:
        return bool(staged_leftovers(crashed) - before)

    crashed.kill_during(BACKFILL, "publishing", delay=0, when=staging_a_publish)
    assert staging_a_publish()  # killed while the new file was being written
    assert published_marts(str(crashed.marts)) == last_good  # the old one, whole
    crashed.kill_during(BACKFILL, "publishing", delay=0.1)  # about when the file is renamed
    assert published_marts(str(crashed.marts)) in (last_good, expected)  # one or the other

    final = crashed.run(*BACKFILL)
    assert final.returncode == 0, final.stderr

    assert published_marts(str(crashed.marts)) == expected
    assert staged_leftovers(crashed) == set()  # cleaned up by the next publish
    assert killed_runs_scratch  # a killed run leaves its partitions, the next run removes them
    assert not any(path.exists() for path in killed_runs_scratch)
    assert not scratch.exists()
    recorded = {row[0] for row in crashed.query("select path from ops.published_files")}
    assert parquet_files(crashed) == recorded  # the Parquet files of the killed publishes too
    assert (
        crashed.query(
            "select file, content_sha256 from ops.loads where status = 'loaded'"
            " group by all having count(*) > 1"
        )
        == []
    )  # no file loaded twice
    assert crashed.query(loaded) == [(files,)]
    statuses = dict(crashed.query("select status, count(*) from ops.runs group by 1"))
    assert set(statuses) == {"completed", "failed"} and sum(statuses.values()) == 7
    assert statuses["failed"] >= 4  # the killed runs, marked abandoned by the run after each,
    # but a kill that lands after the file is in place finds its run rightly completed
