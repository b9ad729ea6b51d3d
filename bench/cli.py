"""Running the CLI and the SQL baseline as a user does, each in a process of its own, and reading
their figures: wall time, phases from the runs' log lines, the split of a flow run's time from
the Prefect API, peak memory."""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench"
CLI = [sys.executable, "-m", "creatorlens"]
TIME = "/usr/bin/time"  # GNU time: the peak memory of the run's process
STAMP = re.compile(r"^(\d\d:\d\d:\d\d\.\d\d\d) \|")


def import_seconds() -> float:
    """How long a run's imports take (the CLI and the flows, Prefect among them), with the
    interpreter's start: the best of three, as the quick commands."""
    imports = "import creatorlens.cli.app, creatorlens.flows.nightly, creatorlens.flows.backfill"
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", imports], check=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return min(times)


RUN_SETTINGS: dict[str, str] = {}
"""CREATORLENS_* settings of the runs (the bench's own environment's are left out)."""

PREFECT_API: dict[str, str] = {}
"""PREFECT_API_URL of the Prefect server the runs use; empty: the embedded default, as
`make run` has it (a background server per folder, started by its first run)."""


@contextlib.contextmanager
def prefect_server(work: Path) -> Iterator[str]:
    """A Prefect server on loopback, started as a user would (`prefect server start`)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = work / "prefect-server"
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(home)}
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    api = f"http://127.0.0.1:{port}/api"
    try:
        for _ in range(240):
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"{api}/health", timeout=1).status == 200:
                    break
            time.sleep(0.5)
        else:
            tail = (home / "server.log").read_text()[-2000:]
            raise SystemExit(f"the Prefect server did not start in 2 minutes:\n{tail}")
        yield api
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def cli_run(folder: Path, *args: str, imports: float) -> dict:
    """Run `creatorlens args` in `folder`; its wall time, phases, rows and peak memory (read
    from the run's log lines: a flow command runs with --verbose to print them)."""
    if args[0] in {"run", "backfill", "rebuild"}:
        args = (*args, "--verbose")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CREATORLENS_", "PREFECT_API"))}
    env |= {"PREFECT_HOME": str(folder / "prefect"), "COLUMNS": "200"}
    env |= {"PREFECT_API_URL": PREFECT_API["url"]} if PREFECT_API else {}
    env |= RUN_SETTINGS
    memory = folder / "peak-rss-kb"
    timer = [TIME, "-f", "%M", "-o", str(memory)] if Path(TIME).exists() else []
    started_at, started = datetime.now(), time.perf_counter()
    done = subprocess.run(
        [*timer, *CLI, *args], cwd=folder, env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"creatorlens {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    peak = round(int(memory.read_text().split()[-1]) / 1024, 1) if timer else None
    log = done.stderr
    split = overheads(log, wall, imports, time.time())
    return {
        "wall_s": wall,
        **split,
        **phases(log, started_at, imports),
        **rows(log),
        "peak_rss_mb": peak,
    }


FLOW_FINISHED = "Finished in state"
"""The flow's last log line says this (its tasks' say it after `Task run`)."""
FLOW_RUN = re.compile(r"View at (http://[^ ]+)/runs/flow-run/([0-9a-f-]{36})")


def overheads(log: str, wall: float, imports: float, ended: float) -> dict:
    """Where a flow command's wall time went, from the Prefect API's record of its flow run:
    `data_s`, the run time of its tasks (the work on the data, one task at a time);
    `after_s`, from the flow's last log line to the process's end (the summary, Prefect's
    flush on exit); `prefect_s`, the rest but the imports (creating the flow run, task and state
    bookkeeping, the CLI's checks). None for a command that ran no flow."""
    found = FLOW_RUN.search(log)
    if not found:
        return {}
    api, flow_run = f"{found[1]}/api", found[2]
    body = json.dumps({"flow_runs": {"id": {"any_": [flow_run]}}, "limit": 200}).encode()
    request = urllib.request.Request(
        f"{api}/task_runs/filter", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        tasks = json.load(answer)
    data = sum(t["total_run_time"] for t in tasks)
    finished = [
        STAMP.match(line)
        for line in log.splitlines()
        if "Flow run" in line and FLOW_FINISHED in line
    ]
    end = datetime.combine(
        datetime.fromtimestamp(ended).date(),
        datetime.strptime(finished[-1][1], "%H:%M:%S.%f").time(),
    ).timestamp()
    after = max(0.0, ended - end)
    return {
        "data_s": data,
        "after_s": after,
        "prefect_s": max(0.0, wall - imports - data - after),
        "tasks": len(tasks),
    }


def phases(log: str, started_at: datetime, imports: float) -> dict:
    """Seconds per phase, from the run's log lines."""
    found: dict[str, float] = {"imports_s": imports}
    for line in log.splitlines():
        stamp = STAMP.match(line)
        if stamp and "Beginning flow run" in line and "prefect_start_s" not in found:
            clock = datetime.combine(
                started_at.date(), datetime.strptime(stamp[1], "%H:%M:%S.%f").time()
            )
            found["prefect_start_s"] = max(0.0, (clock - started_at).total_seconds() - imports)
        if "load phases:" in line:
            for phase, seconds in re.findall(r"(\w+) ([\d.]+) s", line.split("load phases:")[1]):
                found[f"{phase}_s"] = float(seconds)
        for phase, pattern in (
            ("compute_s", r"computed \d+ creator rows .* in ([\d.]+) s"),
            ("campaigns_s", r"computed the campaign marts.* in ([\d.]+) s"),
            ("publish_s", r"published .* in ([\d.]+) s"),
        ):
            match = re.search(pattern, line)
            if match:
                found[phase] = found.get(phase, 0.0) + float(match[1])
    return found


def rows(log: str) -> dict:
    match = re.search(r"rows: (\d+) read", log)
    computed = re.findall(r"computed (\d+) creator rows", log)
    return {
        "rows_read": int(match[1]) if match else 0,
        "rows_computed": sum(int(n) for n in computed),
    }


def baseline(exports: Path, start: date, end: date) -> dict:
    """The fast plain DuckDB SQL baseline (bench/baseline.py) in a process of its own, as the
    CLI runs are: its wall time, its readers' time, the rows read and its peak memory."""
    memory = CACHE / "baseline-peak-rss-kb"
    timer = [TIME, "-f", "%M", "-o", str(memory)] if Path(TIME).exists() else []
    command = [sys.executable, "-m", "bench.baseline", str(exports), str(start), str(end)]
    done = subprocess.run([*timer, *command], cwd=ROOT, capture_output=True, text=True, check=True)
    peak = round(int(memory.read_text().split()[-1]) / 1024, 1) if timer else None
    return json.loads(done.stdout) | {"peak_rss_mb": peak}


QUICK_COMMANDS = {
    "help": ["--help"],
    "status": ["status"],
    "top": ["top", "--platform", "tiktok", "--tier", "micro"],
    "validate": ["validate", "data/exports/roster.csv"],
}
"""Commands that run no flow, so import no Prefect: their wall time, the best of three."""


def quick_commands(folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREATORLENS_")}
    seconds = {}
    for name, args in QUICK_COMMANDS.items():
        times = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([*CLI, *args], cwd=folder, env=env, capture_output=True, check=True)
            times.append(time.perf_counter() - started)
        seconds[f"{name}_s"] = min(times)
    return seconds


def stop_background_servers(work: Path) -> None:
    """Stop the background Prefect servers that runs at the embedded default started."""
    from creatorlens.cli.server import STATE, BackgroundServer  # noqa: PLC0415

    for state in work.rglob(STATE):
        BackgroundServer(state.parent).stop()
