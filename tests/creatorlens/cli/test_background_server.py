"""The embedded default as a user meets it: the first CLI run with no Prefect API configured
starts one Prefect server in the background and says so; later runs use it without a start;
`creatorlens server` shows it and stops it; left alone, it stops by itself."""

import json
import os
import shutil
import time
from pathlib import Path

import httpx
import pytest

from tests.clirun import creatorlens
from tests.flows.folders import cli_environment, demo_exports

pytestmark = pytest.mark.slow  # CLI processes and servers: seconds, out of `make fast`


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    from creatorlens.demo import DemoConfig  # noqa: PLC0415

    return demo_exports(tmp_path_factory, DemoConfig(creators=30, days=6, seed=3))


def embedded(root: Path, **settings: str) -> dict[str, str]:
    """A CLI environment at the embedded default: no PREFECT_API_URL, a Prefect home of its own."""
    env = cli_environment(root, "", **settings) | {"PREFECT_HOME": str(root / "prefect-home")}
    env.pop("PREFECT_API_URL")
    return env


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (
        Path(f"/proc/{pid}").exists()
        and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
    )


def test_runs_share_one_background_server_that_stops_when_left_idle(tmp_path, exports):
    """(`creatorlens server stop`: test_stop_signals.py, after a run stopped by Ctrl-C.)"""
    shutil.copytree(exports, tmp_path / "exports")
    env = embedded(tmp_path, prefect_server_idle_minutes="0.1")  # 6 s
    first = creatorlens("run", cwd=tmp_path, **env)
    assert first.returncode == 0, first.stderr
    state = json.loads((tmp_path / "prefect" / "server.json").read_text())
    assert "started a Prefect server in the background for creatorlens runs" in first.stdout
    assert f"pid {state['pid']}" in first.stdout and "`creatorlens server stop`" in first.stdout
    second = creatorlens(
        "backfill", "--start", "2026-11-18", "--end", "2026-11-20", cwd=tmp_path, **env
    )
    assert second.returncode == 0, second.stderr
    assert "started a Prefect server" not in second.stdout
    assert json.loads((tmp_path / "prefect" / "server.json").read_text()) == state
    runs = httpx.post(f"{state['url']}/flow_runs/filter", json={}).json()
    assert [r["state_type"] for r in runs] == ["COMPLETED", "COMPLETED"]  # Prefect has them
    assert creatorlens("server", cwd=tmp_path, **env).stdout.startswith(
        f"a background Prefect server runs at {state['url'].removesuffix('/api')}"
    )
    deadline = time.monotonic() + 60
    while alive(state["pid"]):
        assert time.monotonic() < deadline, "the idle server did not stop"
        time.sleep(0.5)
    status = creatorlens("server", cwd=tmp_path, **env)
    assert status.stdout.startswith("no background Prefect server runs")  # the next run starts one
