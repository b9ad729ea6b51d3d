"""The CLI as a person uses it: real processes, real files, one-line errors."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

CLI = [sys.executable, "-m", "creatorlens"]


def creatorlens(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CREATORLENS_")}
    environment.update(env)
    return subprocess.run(
        [*CLI, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_then_run_publishes_marts_and_prints_a_summary(tmp_path):
    demo = creatorlens("demo", "--creators", "60", "--days", "8", "--seed", "5", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert (tmp_path / "data" / "exports" / "roster.csv").exists()

    run = creatorlens(
        "run", "--show-platform", "tiktok", cwd=tmp_path, PREFECT_HOME=str(tmp_path / "prefect")
    )
    assert run.returncode == 0, run.stderr
    assert "as of 2026-11-20" in run.stdout
    assert "Top tiktok creators per tier by cost per engagement" in run.stdout
    assert "leaked" not in run.stderr and "Traceback" not in run.stderr
    con = duckdb.connect()
    con.execute("attach ? as bi (read_only)", [str(tmp_path / "data" / "marts.duckdb")])
    assert con.execute("select count(*) from bi.marts.creator_daily_metrics").fetchall() == [(60,)]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["run", "--exports", "nowhere"], {}, "exports folder nowhere does not exist"),
        (
            ["run"],
            {"CREATORLENS_MAX_QUARANTINE_SHARE": "lots"},
            "CREATORLENS_MAX_QUARANTINE_SHARE:",
        ),
        (["run", "--max-quarantine-share", "2"], {}, "option --max-quarantine-share:"),
        (["run", "--tier-scheme", "galactic"], {}, "unknown tier scheme 'galactic'"),
    ],
)
def test_user_errors_are_one_line_and_exit_non_zero(tmp_path, args, env, message):
    (tmp_path / "data" / "exports").mkdir(parents=True)
    result = creatorlens(*args, cwd=tmp_path, PREFECT_HOME=str(tmp_path / "prefect"), **env)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1


def test_backfill_checks_its_dates_and_platforms_before_starting(tmp_path):
    (tmp_path / "data" / "exports").mkdir(parents=True)
    bad_date = creatorlens("backfill", "--start", "2026-02-30", "--end", "2026-03-01", cwd=tmp_path)
    assert bad_date.returncode == 2 and "2026-02-30" in bad_date.stderr
    bad_platform = creatorlens(
        "backfill",
        "--start",
        "2026-03-01",
        "--end",
        "2026-03-02",
        "--platform",
        "myspace",
        cwd=tmp_path,
    )
    assert bad_platform.returncode == 1
    assert "error: platforms: unknown myspace" in bad_platform.stderr
