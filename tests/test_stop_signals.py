"""A run stops when asked, as a terminal asks (SIGINT to the whole foreground process group) or
a scheduler does (SIGTERM): within 5 s, with one line, recorded as cancelled, nothing torn;
the background Prefect server of the embedded default, in a session of its own, left for the
next run."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import duckdb
import pytest

from creatorlens.demo import DemoConfig
from tests.flows.folders import cli_environment, demo_exports

pytestmark = pytest.mark.slow

CONFIG = DemoConfig(creators=4000, days=20, seed=11)
"""Big enough that loading takes seconds on a two-core machine."""


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    return demo_exports(tmp_path_factory, CONFIG)


def _folder(tmp_path: Path, exports: Path) -> Path:
    (tmp_path / "exports").symlink_to(exports)
    return tmp_path


def _stop_while_loading(root: Path, env: dict, stop: signal.Signals) -> tuple[float, str, str, int]:
    """Start `creatorlens run` in a process group of its own, as a shell does; once its
    warehouse exists and it has loaded for a second, send `stop` to the whole group. Returns
    the seconds it took to exit after the signal, what it printed, and its exit code."""
    process = subprocess.Popen(
        [sys.executable, "-m", "creatorlens", "run"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not (root / "warehouse.duckdb").exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.05)
    time.sleep(1.0)
    assert process.poll() is None, "the run ended before the signal"
    sent = time.monotonic()
    os.killpg(process.pid, stop)
    out, err = process.communicate(timeout=60)
    return time.monotonic() - sent, out, err, process.returncode


def _runs(root: Path) -> list[tuple]:
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("select run_id, status from ops.runs order by started_at").fetchall()


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment holds `marker` (the test's own PREFECT_HOME)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def test_ctrl_c_in_a_terminal_stops_a_run_at_the_embedded_default_within_5_s(
    tmp_path: Path, exports: Path, prefect_api: str
):
    root = _folder(tmp_path, exports)
    home = tmp_path / f"prefect-home-{uuid.uuid4().hex[:8]}"
    env = cli_environment(root, "") | {"PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)  # the embedded default: a background server
    took, out, err, code = _stop_while_loading(root, env, signal.SIGINT)
    assert took < 5, f"{took:.1f} s\n{err[-3000:]}"
    assert code == 130
    (line,) = err.splitlines()
    assert line.startswith("error: stopped by Ctrl-C (SIGINT): run ") and "cancelled" in line
    assert "Traceback" not in out
    ((run_id, status),) = _runs(root)
    assert status == "cancelled" and run_id in line
    # the background server stays for the next run, in a session of its own: the signal
    # did not reach it, and the next run at the embedded default uses it
    server = json.loads((root / "prefect" / "server.json").read_text())
    assert _processes_with(str(home)) == [server["pid"]]
    again = subprocess.run(
        [sys.executable, "-m", "creatorlens", "run"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr[-3000:]
    assert "started a Prefect server" not in again.stdout
    assert [status for _, status in _runs(root)] == ["cancelled", "completed"]
    stopped = subprocess.run(
        [sys.executable, "-m", "creatorlens", "server", "stop"],
        cwd=root, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert stopped.stdout.startswith("stopped the background Prefect server"), stopped
    assert _processes_with(str(home)) == []


def test_sigterm_from_a_scheduler_stops_a_run_cancelled_in_prefect_too(
    tmp_path: Path, exports: Path, prefect_api: str
):
    from prefect.client.orchestration import get_client  # noqa: PLC0415

    root = _folder(tmp_path, exports)
    env = cli_environment(root, prefect_api)
    took, _, err, code = _stop_while_loading(root, env, signal.SIGTERM)
    assert took < 5, f"{took:.1f} s\n{err[-3000:]}"
    assert code == 143
    (line,) = err.splitlines()
    assert line.startswith("error: stopped by SIGTERM: run ")
    ((run_id, status),) = _runs(root)
    assert status == "cancelled"
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(uuid.UUID(run_id)).state
    assert state.is_cancelled(), state
