"""The Prefect server of CLI runs when no Prefect API is configured: started in the background
on first use and reused by the runs after it, so a run does not pay a server's start (about
4 to 8 s) each time. Its state is `server.json` in a folder beside the warehouse
(`data/prefect/`); it stops after `CREATORLENS_PREFECT_SERVER_IDLE_MINUTES` without a request,
or with `creatorlens server stop`. Its records are in Prefect's own database, so a Prefect UI
the user starts (`prefect server start`) shows the runs.

Prefect would start a temporary server itself, in the terminal's process group: Ctrl-C reached
it together with the run. This one runs in a session of its own: a stop reaches the run only,
and the run records how it ended.
"""

import fcntl
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import prefect
from prefect.events.worker import EventsWorker
from prefect.logging.handlers import APILogWorker
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

STATE = "server.json"
HEALTH_TIMEOUT = 1.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(url: str) -> bool:
    """Whether the server at `url` (plain HTTP on loopback) answers its health check. urllib,
    not httpx: an httpx client loads the CA bundle first (0.04 s a run, for no TLS at all)."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=HEALTH_TIMEOUT) as answer:
            return answer.status == 200
    except (OSError, http.client.HTTPException):  # refused, timed out, an HTTP error status
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process of that number
        return False
    return True


class BackgroundServer:
    """The background Prefect server whose state is in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state = folder / STATE

    def running(self) -> dict | None:
        """Its state (pid, url, Prefect version) when it runs and answers, else None."""
        try:
            state = json.loads(self.state.read_text())
        except (OSError, ValueError):
            return None
        if state.get("prefect") != prefect.__version__ or not _alive(state.get("pid", 0)):
            return None
        return state if _healthy(state["url"]) else None

    def start(self, idle_minutes: float, timeout: float) -> dict:
        """Start it and wait until it answers; its state."""
        self.stop()  # one of an older Prefect, or one that stopped answering
        self.folder.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + timeout
        while True:
            port = _free_port()
            process = self._spawn(port, idle_minutes)
            url = f"http://127.0.0.1:{port}/api"
            while process.poll() is None and not _healthy(url):
                if time.monotonic() > deadline:
                    _terminate(process.pid)
                    raise RuntimeError(
                        f"the Prefect server did not start in {timeout:.0f} s; "
                        f"see {self.folder / 'server.log'}"
                    )
                time.sleep(0.1)
            if process.poll() is None:
                break  # else the port was taken meanwhile: another one
        state = {"pid": process.pid, "url": url, "prefect": prefect.__version__}
        self.state.write_text(json.dumps(state))
        return state

    def _spawn(self, port: int, idle_minutes: float) -> subprocess.Popen:
        command = [sys.executable, "-m", "creatorlens.cli.background_server", str(port)]
        command.append(str(idle_minutes * 60))
        with (self.folder / "server.log").open("a") as log:
            return subprocess.Popen(
                command,
                env={
                    **os.environ,
                    "PREFECT_UI_ENABLED": "0",
                    **get_current_settings().to_environment_variables(exclude_unset=True),
                },
                start_new_session=True,  # Ctrl-C in the terminal does not reach it
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )

    def stop(self) -> bool:
        """Stop it if its state names a live process; whether one was stopped."""
        try:
            pid = json.loads(self.state.read_text())["pid"]
        except (OSError, ValueError, KeyError):
            return False
        self.state.unlink(missing_ok=True)
        if not _alive(pid) or not _ours(pid):
            return False
        _terminate(pid)
        return True


def _ours(pid: int) -> bool:
    """Whether process `pid` is a background server (not another that reused its number)."""
    try:
        return b"creatorlens.cli.background_server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return not Path("/proc/self").exists()  # no /proc to ask: trust the state file
    except OSError:
        return False


def _terminate(pid: int) -> None:
    with suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        with suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)
    if _alive(pid):
        with suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One process at a time decides whether to start the server (two runs at once start one)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "server.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def prefect_api(folder: Path, idle_minutes: float, say: Callable[[str], None]) -> Iterator[None]:
    """The configured Prefect API, or the background server of `folder` (started when none
    runs; `say` tells the user it was) for the body."""
    if PREFECT_API_URL.value():
        yield
        return
    timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120"))
    server = BackgroundServer(folder)
    with _locked(folder):
        state = server.running()
        if state is None:
            state = server.start(idle_minutes, timeout)
            say(
                f"started a Prefect server in the background for creatorlens runs "
                f"({state['url'].removesuffix('/api')}, pid {state['pid']}); it stops after "
                f"{idle_minutes:g} idle minutes, or now with `creatorlens server stop`"
            )
    with temporary_settings(updates={PREFECT_API_URL: state["url"]}):
        try:
            yield
        finally:  # the run's last logs and events reach the server
            APILogWorker.drain_all(timeout=5)
            EventsWorker.drain_all(timeout=5)
