"""prefect.yaml for real: a Prefect server on loopback, `prefect deploy --all`, a process worker.

The schedule is tested the way it is relied on: Prefect's own scheduler creates the nightly
runs; the test only starts one of them early. Backfills are run the way analysts run them:
`prefect deployment run` with JSON parameters.
"""

import contextlib
import fcntl
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from creatorlens.demo import DemoConfig, generate, write
from creatorlens.runs import ABANDONED
from tests.clirun import creatorlens

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`

ROOT = Path(__file__).resolve().parent.parent
PREFECT = str(Path(sys.executable).with_name("prefect"))  # the virtual environment's
CONFIG = DemoConfig(creators=60, days=12, seed=17)
WAIT = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Prefect server on loopback, its API, and the processes started beside it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CREATORLENS_"))
        }
        self.env = env | {
            "PREFECT_HOME": str(folder / "prefect-home"),
            "PREFECT_API_URL": self.api,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "CREATORLENS_HOME": str(ROOT),
            "CREATORLENS_EXPORTS_DIR": str(folder / "exports"),
            "CREATORLENS_WAREHOUSE": str(folder / "warehouse.duckdb"),
            "CREATORLENS_MARTS": str(folder / "creatorlens.duckdb"),
            "CREATORLENS_REPORTS_DIR": str(folder / "reports"),
        }
        self.processes: list[subprocess.Popen] = []

    def spawn(self, *args: str, log: str) -> None:
        self.processes.append(
            subprocess.Popen(
                [PREFECT, *args], env=self.env, cwd=ROOT, stdout=(self.folder / log).open("w"),
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        )  # fmt: skip

    def log(self, name: str) -> str:
        return (self.folder / name).read_text()

    def prefect(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PREFECT, *args], env=self.env, cwd=ROOT, capture_output=True, text=True,
            timeout=300, check=False,
        )  # fmt: skip

    def call(self, path: str, body: dict | None = None):
        request = urllib.request.Request(
            self.api + path,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="GET" if body is None else "POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or "null")

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + 90
        while True:
            try:
                self.call("/health")
                return
            except OSError:
                assert time.monotonic() < deadline, self.log("server.log")[-2000:]
                time.sleep(0.5)

    def flow_runs(self, deployment: str, state: str) -> list[dict]:
        deployment_id = self.call(f"/deployments/name/{deployment}")["id"]
        return self.call(
            "/flow_runs/filter",
            {
                "deployments": {"id": {"any_": [deployment_id]}},
                "flow_runs": {"state": {"type": {"any_": [state]}}},
                "sort": "EXPECTED_START_TIME_ASC",
            },
        )

    def wait_final(self, run_id: str) -> dict:
        deadline = time.monotonic() + WAIT
        while True:
            run = self.call(f"/flow_runs/{run_id}")
            if run["state_type"] in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}:
                return run
            assert time.monotonic() < deadline, self.log("worker.log")[-3000:]
            time.sleep(1)

    def restart_server(self, down: float) -> None:
        """Kill the server (SIGKILL, as a crash of its machine would), wait `down` seconds, and
        start it again on the same port and database."""
        server = self.processes.pop(0)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=20)
        time.sleep(down)
        self.spawn(
            "server", "start", "--host", "127.0.0.1", "--port", str(self.port), log="server.log"
        )
        self.processes.insert(0, self.processes.pop())
        self.wait_healthy()

    def stop(self) -> None:
        for process in reversed(self.processes):
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """`prefect deploy --all` on a fresh loopback server, with a process worker on its pool."""
    server = Server(tmp_path_factory.mktemp("deployments"))
    server.spawn(
        "server", "start", "--host", "127.0.0.1", "--port", str(server.port), log="server.log"
    )
    try:
        server.wait_healthy()
        write(generate(CONFIG), Path(server.env["CREATORLENS_EXPORTS_DIR"]))
        created = server.prefect("work-pool", "create", "creatorlens", "--type", "process")
        assert created.returncode == 0, created.stdout + created.stderr
        deployed = server.prefect("--no-prompt", "deploy", "--all")
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        assert "nightly/nightly" in deployed.stdout and "backfill/backfill" in deployed.stdout
        server.spawn("worker", "start", "--pool", "creatorlens", log="worker.log")
        yield server
    finally:
        server.stop()


def published(server: Server, sql: str) -> list[tuple]:
    with duckdb.connect(server.env["CREATORLENS_MARTS"], read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_scheduler_creates_nightly_runs_at_0330_utc_without_errors(deployed):
    deadline = time.monotonic() + 90
    while not (scheduled := deployed.flow_runs("nightly/nightly", "SCHEDULED")):
        assert time.monotonic() < deadline, (
            "no scheduled nightly runs:\n" + deployed.log("server.log")[-3000:]
        )
        time.sleep(1)
    times = [datetime.fromisoformat(run["expected_start_time"]) for run in scheduled]
    assert len(times) >= 3
    assert all(
        (t.utcoffset(), t.hour, t.minute, t.second) == (timedelta(0), 3, 30, 0) for t in times
    )
    assert len({t.date() for t in times}) == len(times)
    assert times[0] > datetime.now(UTC)
    assert not deployed.flow_runs("backfill/backfill", "SCHEDULED")  # no schedule declared
    errors = [line for line in deployed.log("server.log").splitlines() if "ERROR" in line]
    assert not errors, "\n".join(errors[:5])


def test_a_scheduled_nightly_run_started_early_completes_on_the_worker(deployed):
    deadline = time.monotonic() + 90
    while not (scheduled := deployed.flow_runs("nightly/nightly", "SCHEDULED")):
        assert time.monotonic() < deadline
        time.sleep(1)
    run_id = scheduled[0]["id"]
    now = datetime.now(UTC).isoformat()
    deployed.call(
        f"/flow_runs/{run_id}/set_state",
        {"state": {"type": "SCHEDULED", "state_details": {"scheduled_time": now}}, "force": True},
    )
    run = deployed.wait_final(run_id)
    assert run["state_type"] == "COMPLETED", deployed.log("worker.log")[-3000:]
    assert run["auto_scheduled"] is True
    assert published(deployed, "select max(as_of_date) from marts.creator_daily_metrics") == [
        (CONFIG.end,)
    ]
    assert ("nightly", "completed") in published(deployed, "select flow, status from ops.runs")


def test_deployment_parameters_describe_themselves_for_the_ui_form(deployed):
    for name, parameters in (
        ("nightly/nightly", {"run_date", "allow_partial", "settings"}),
        ("backfill/backfill", {"start", "end", "platforms", "allow_partial", "settings"}),
    ):
        schema = deployed.call(f"/deployments/name/{name}")["parameter_openapi_schema"]
        assert set(schema["properties"]) == parameters
        assert all(p["description"] for p in schema["properties"].values()), schema
    backfill = deployed.call("/deployments/name/backfill/backfill")["parameter_openapi_schema"]
    platforms = backfill["properties"]["platforms"]["anyOf"][0]
    assert platforms["type"] == "array"
    assert platforms["items"]["enum"] == ["instagram", "tiktok", "youtube"]
    assert backfill["properties"]["start"]["format"] == "date"
    assert backfill["required"] == ["start", "end"]


def test_a_backfill_deployment_takes_platforms_as_json(deployed):
    first, last = CONFIG.end - timedelta(days=3), CONFIG.end - timedelta(days=1)
    run = deployed.prefect(
        "deployment", "run", "backfill/backfill", "--param", f"start={first}",
        "--param", f"end={last}", "--param", 'platforms=["tiktok"]',
        "--watch", "--watch-timeout", str(WAIT),
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr + deployed.log("worker.log")[-3000:]
    assert "Completed" in run.stdout
    platforms = published(
        deployed,
        "select distinct platform from marts.creator_daily_metrics "
        f"where as_of_date between '{first}' and '{last}'",
    )
    assert platforms == [("tiktok",)]
    parameters = published(
        deployed, "select parameters from ops.runs where flow = 'backfill' and status = 'completed'"
    )
    assert json.loads(parameters[0][0])["platforms"] == ["tiktok"]


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        (
            {"start": str(CONFIG.end), "end": str(CONFIG.start)},
            f"start {CONFIG.end} is after end {CONFIG.start}",
        ),
        # the server takes it (its schema checks the format of no string); Prefect's check
        # would then refuse it on the worker, before the flow starts, with no record
        (
            {"start": "2026-11-32", "end": str(CONFIG.end)},
            "parameter start '2026-11-32': Input should be a valid date",
        ),
    ],
    ids=["start-after-end", "no-such-date"],
)
def test_a_user_error_in_a_deployment_run_fails_with_one_line_and_is_recorded(
    deployed, parameters, expected
):
    run = deployed.prefect(
        "deployment", "run", "backfill/backfill", "--params", json.dumps(parameters),
        "--watch", "--watch-timeout", str(WAIT),
    )  # fmt: skip
    assert "UUID" in run.stdout, run.stdout + run.stderr
    run_id = re.search(r"UUID: ([0-9a-f-]{36})", run.stdout).group(1)
    final = deployed.wait_final(run_id)
    assert final["state_type"] == "FAILED"
    assert final["state"]["message"].startswith(expected), final["state"]["message"]
    logs = deployed.call("/logs/filter", {"logs": {"flow_run_id": {"any_": [run_id]}}})
    text = "\n".join(entry["message"] for entry in logs)
    assert expected in text
    assert "Traceback" not in text, text
    failures = published(
        deployed,
        "select failure_reason from ops.runs where flow = 'backfill' and status = 'failed'",
    )
    assert [reason for (reason,) in failures if reason.startswith(expected)]
    status = creatorlens(
        "status", "--marts", deployed.env["CREATORLENS_MARTS"], cwd=deployed.folder
    )
    assert status.returncode == 0, status.stderr
    assert expected in status.stdout


LARGER = DemoConfig(creators=200, days=24, seed=29)
"""A sample whose backfill takes long enough on the worker to be stopped in the middle."""


@pytest.fixture(scope="module")
def larger(deployed, tmp_path_factory) -> dict:
    """Settings of a deployment run of their own: a larger sample in a folder of its own."""
    folder = tmp_path_factory.mktemp("larger")
    write(generate(LARGER), folder / "exports")
    return {
        "exports_dir": str(folder / "exports"),
        "warehouse": str(folder / "warehouse.duckdb"),
        "marts": str(folder / "creatorlens.duckdb"),
        "reports_dir": str(folder / "reports"),
    }


def start_backfill(server: Server, settings: dict, start: date = LARGER.start) -> str:
    """Start a backfill deployment run of the larger sample from `start` to its last date;
    returns its flow run id."""
    parameters = {"start": str(start), "end": str(LARGER.end), "settings": settings}
    run = server.prefect(
        "deployment", "run", "backfill/backfill", "--params", json.dumps(parameters)
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return re.search(r"UUID: ([0-9a-f-]{36})", run.stdout).group(1)


def holding_the_writer_lock(server: Server, run_id: str, lock: Path) -> int:
    """Wait until the flow run's process holds the warehouse's writer lock; its pid."""
    deadline = time.monotonic() + WAIT
    while True:
        pid = server.call(f"/flow_runs/{run_id}")["infrastructure_pid"]
        if pid and str(lock) in open_files(int(pid)):
            return int(pid)
        assert time.monotonic() < deadline, server.log("worker.log")[-3000:]
        time.sleep(0.05)


def open_files(pid: int) -> set[str]:
    """The paths a process has open (those it closes meanwhile left out)."""
    paths = set()
    with contextlib.suppress(OSError):  # the process gone
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):  # that file closed meanwhile
                paths.add(os.readlink(fd))
    return paths


def assert_lock_free(lock: Path) -> None:
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if anyone still holds it
        fcntl.flock(handle, fcntl.LOCK_UN)


def runs_in(settings: dict) -> list[tuple]:
    with duckdb.connect(settings["marts"], read_only=True) as con:
        return con.execute(
            "select flow, status, failure_reason from ops.runs order by started_at"
        ).fetchall()


@pytest.mark.soak  # a minute long: `make soak`, before each stop (CI's suite stays under ten)
def test_a_killed_flow_run_and_a_server_outage_leave_nothing_held_and_runs_go_on(deployed, larger):
    """The flow run's process killed on the worker: Crashed, recorded abandoned, the writer lock
    free. Then the Prefect server killed in the middle of the next run and started again: that
    run goes on (Prefect's client retries) or, were it to die of it, ends Crashed, never left
    Running. Then a third run completes, with nothing cleared by hand."""
    lock = Path(larger["warehouse"] + ".lock")
    run_id = start_backfill(deployed, larger)
    pid = holding_the_writer_lock(deployed, run_id, lock)
    time.sleep(1)  # loading
    os.kill(pid, signal.SIGKILL)
    killed = deployed.wait_final(run_id)
    assert killed["state_type"] == "CRASHED", killed["state"]
    assert "SIGKILL" in killed["state"]["message"]
    assert_lock_free(lock)  # the OS let go of it with the process: no slot to clear by hand

    run_id = start_backfill(deployed, larger)
    holding_the_writer_lock(deployed, run_id, lock)
    deployed.restart_server(down=3)
    interrupted = deployed.wait_final(run_id)
    print("the run the server left:", interrupted["state_type"], interrupted["state"]["message"])
    status = {"COMPLETED": "completed", "CRASHED": "failed"}[interrupted["state_type"]]
    assert_lock_free(lock)

    run_id = start_backfill(deployed, larger, start=LARGER.end)  # one date: a run at all
    final = deployed.wait_final(run_id)
    assert final["state_type"] == "COMPLETED", deployed.log("worker.log")[-3000:]
    killed_record, interrupted_record, last_record = runs_in(larger)[-3:]
    assert killed_record == ("backfill", "failed", ABANDONED)
    assert interrupted_record[:2] == ("backfill", status)
    assert last_record == ("backfill", "completed", None)
