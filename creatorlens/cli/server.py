"""The temporary Prefect server of a CLI run when no Prefect API is configured.

Prefect would start one itself, in the terminal's process group: Ctrl-C reached it together
with the run, it went down first, and the run's client then retried its last records for a
minute. This one is Prefect's own server app, started the way Prefect starts its temporary
server, but in a session of its own: a stop reaches the run only, the run records how it
ended, and the server is stopped after that.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import prefect
from prefect.events.worker import EventsWorker
from prefect.logging.handlers import APILogWorker
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(port: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(Path(prefect.__file__).parent.parent),
    ]
    command += ["--factory", "prefect.server.api.server:create_app", "--lifespan", "on"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "error"]
    return subprocess.Popen(
        command,
        env={
            **os.environ,
            # as Prefect's temporary server: no UI, no background services
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
            **get_current_settings().to_environment_variables(exclude_unset=True),
        },
        start_new_session=True,
        stdin=subprocess.DEVNULL,
    )


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def prefect_api() -> Iterator[None]:
    """The configured Prefect API, or a temporary server of this process's own for the body."""
    if PREFECT_API_URL.value():
        yield
        return
    timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120"))
    port = _free_port()
    process = _start(port)
    try:
        url = f"http://127.0.0.1:{port}/api"
        deadline = time.monotonic() + timeout
        with httpx.Client() as client:
            while True:
                if process.poll() is not None:  # the port was taken meanwhile: another
                    port = _free_port()
                    process = _start(port)
                    url = f"http://127.0.0.1:{port}/api"
                try:
                    if client.get(f"{url}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Prefect's temporary server did not start in {timeout} s")
                time.sleep(0.1)
        with temporary_settings(updates={PREFECT_API_URL: url}):
            try:
                yield
            finally:  # the run's last logs and events reach the server before it stops
                APILogWorker.drain_all(timeout=5)
                EventsWorker.drain_all(timeout=5)
    finally:
        _stop(process)
