"""prefect.yaml for real: a Prefect server on loopback, a process worker, both deployments run."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from creatorlens.demo import DemoConfig, generate, write

ROOT = Path(__file__).resolve().parent.parent
PREFECT = str(Path(sys.executable).with_name("prefect"))  # the virtual environment's
CONFIG = DemoConfig(creators=60, days=12, seed=17)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """A Prefect server on a free loopback port with its own PREFECT_HOME; stopped afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CREATORLENS_"))}
    env |= {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "CREATORLENS_HOME": str(ROOT),
        "CREATORLENS_EXPORTS_DIR": str(tmp_path / "exports"),
        "CREATORLENS_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "CREATORLENS_MARTS": str(tmp_path / "marts.duckdb"),
    }
    started = []

    def spawn(*args: str, log: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [PREFECT, *args], env=env, cwd=ROOT, stdout=(tmp_path / log).open("w"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        started.append(process)
        return process

    spawn("server", "start", "--host", "127.0.0.1", "--port", str(port), log="server.log")
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()[-2000:]
            time.sleep(0.5)
    try:
        yield env, spawn
    finally:
        for process in reversed(started):
            os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def prefect(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PREFECT, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_deploy_all_and_run_both_deployments_on_a_process_worker(server, tmp_path):
    env, spawn = server
    write(generate(CONFIG), Path(env["CREATORLENS_EXPORTS_DIR"]))
    created = prefect(env, "work-pool", "create", "creatorlens", "--type", "process")
    assert created.returncode == 0, created.stdout + created.stderr
    deployed = prefect(env, "--no-prompt", "deploy", "--all")
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert "nightly/nightly" in deployed.stdout and "backfill/backfill" in deployed.stdout
    spawn("worker", "start", "--pool", "creatorlens", log="worker.log")

    nightly = prefect(
        env, "deployment", "run", "nightly/nightly", "--watch", "--watch-timeout", "240"
    )
    assert nightly.returncode == 0, nightly.stdout + (tmp_path / "worker.log").read_text()[-3000:]
    first = str(CONFIG.end - timedelta(days=3))
    backfill = prefect(
        env, "deployment", "run", "backfill/backfill", "--param", f"start={first}",
        "--param", f"end={CONFIG.end - timedelta(days=1)}", "--watch", "--watch-timeout", "240",
    )  # fmt: skip
    assert backfill.returncode == 0, backfill.stdout + (tmp_path / "worker.log").read_text()[-3000:]
    assert "Completed" in nightly.stdout and "Completed" in backfill.stdout

    con = duckdb.connect()
    con.execute("attach ? as bi (read_only)", [env["CREATORLENS_MARTS"]])
    dates = con.execute(
        "select as_of_date, count(*) from bi.marts.creator_daily_metrics group by 1 order by 1"
    ).fetchall()
    runs = con.execute("select flow, status from bi.ops.runs order by started_at").fetchall()
    assert [str(d) for d, _ in dates] == [str(CONFIG.end - timedelta(days=n)) for n in (3, 2, 1, 0)]
    assert all(count == CONFIG.creators for _, count in dates)
    assert runs == [("nightly", "completed"), ("backfill", "completed")]
