"""One writer at a time, and readers that are never refused nor see half a publish."""

import fcntl
import json
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from creatorlens.demo import DemoConfig
from creatorlens.flows.backfill import backfill
from creatorlens.flows.nightly import nightly
from tests.flows.folders import cli_environment, demo_exports, settings_in
from tests.flows.marts_reader import published_marts

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`

CONFIG = DemoConfig(creators=80, days=16, seed=31)
BACKFILL = ["--start", str(CONFIG.end - timedelta(days=6)), "--end", str(CONFIG.end)]


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    return demo_exports(tmp_path_factory, CONFIG)


def environment(folder: Path, exports: Path, prefect_api: str) -> dict[str, str]:
    shutil.copytree(exports, folder / "exports")
    return cli_environment(folder, prefect_api, marts=folder / "marts.duckdb")


def start(args: list[str], env: dict[str, str], home: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "creatorlens", *args, "--verbose"],  # its log lines, to wait on
        env=env | {"PREFECT_HOME": str(home)},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def test_two_runs_at_once_both_complete_and_equal_the_same_runs_one_after_the_other(
    tmp_path, exports, prefect_api
):
    env = environment(tmp_path / "together", exports, prefect_api)
    lock_path = Path(env["CREATORLENS_WAREHOUSE"] + ".lock")
    with lock_path.open("a") as lock:  # hold the writer lock so both runs must queue for it
        fcntl.flock(lock, fcntl.LOCK_EX)
        logs = [tmp_path / "backfill.log", tmp_path / "nightly.log"]
        runs = [
            start(["backfill", *BACKFILL], env, tmp_path / "home-1", logs[0]),
            start(["run"], env, tmp_path / "home-2", logs[1]),
        ]
        deadline = time.monotonic() + 240
        while not all("waiting for another run" in log.read_text() for log in logs):
            assert time.monotonic() < deadline, [log.read_text()[-2000:] for log in logs]
            time.sleep(0.5)
        fcntl.flock(lock, fcntl.LOCK_UN)
    codes = [run.wait(timeout=300) for run in runs]
    assert codes == [0, 0], [log.read_text()[-3000:] for log in logs]
    assert not any("Traceback" in log.read_text() for log in logs)

    sequential = settings_in(tmp_path / "sequential", exports)
    backfill(start=CONFIG.end - timedelta(days=6), end=CONFIG.end, settings=sequential)
    nightly(settings=sequential)
    together = published_marts(env["CREATORLENS_MARTS"])
    assert together == published_marts(str(sequential.marts))
    assert len(together["creator_daily_metrics"]) == 7 * CONFIG.creators


@pytest.mark.usefixtures("prefect_harness")
def test_readers_are_never_refused_and_never_see_half_a_publish(tmp_path, exports):
    settings = settings_in(tmp_path, exports)
    nightly(run_date=CONFIG.end - timedelta(days=10), settings=settings)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.flows.marts_reader", str(settings.marts), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    time.sleep(1)
    for offset in range(3):  # each publish changes the set of as-of dates
        nightly(run_date=CONFIG.end - timedelta(days=offset), settings=settings)
    backfill(start=CONFIG.end - timedelta(days=9), end=CONFIG.end, settings=settings)
    stop.touch()
    counts = json.loads(reader.communicate(timeout=60)[0])
    print(f"reader: {counts}")
    assert counts["refused"] == 0, counts["errors"]
    assert counts["inconsistent"] == 0
    assert counts["reads"] > 30 and counts["held_reads"] > 30
    assert counts["versions"] >= 3  # fresh connections saw several publishes come and go
