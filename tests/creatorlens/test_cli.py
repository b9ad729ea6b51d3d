"""The CLI as a person uses it: real processes, real files, one-line errors."""

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.clirun import creatorlens


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


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A folder where `demo` wrote a sample and `run` published its marts, and run's output."""
    folder = tmp_path_factory.mktemp("ran")
    demo = creatorlens("demo", "--creators", "90", "--days", "10", "--seed", "5", cwd=folder)
    assert demo.returncode == 0, demo.stderr
    assert (folder / "data" / "exports" / "roster.csv").exists()
    run = creatorlens(
        "run", "--show-platform", "tiktok", cwd=folder, PREFECT_HOME=str(folder / "prefect")
    )
    assert run.returncode == 0, run.stderr
    return folder, run


def test_demo_then_run_publishes_marts_and_prints_a_summary(ran):
    folder, run = ran
    assert "as of 2026-11-20" in run.stdout
    assert "Top tiktok creators per tier by cost per engagement" in run.stdout
    assert "leaked" not in run.stderr and "Traceback" not in run.stderr
    con = duckdb.connect()
    con.execute("attach ? as bi (read_only)", [str(folder / "data" / "marts.duckdb")])
    assert con.execute("select count(*) from bi.marts.creator_daily_metrics").fetchall() == [(90,)]


def test_validate_reports_what_would_be_rejected_or_quarantined_and_loads_nothing(ran, tmp_path):
    exports = tmp_path / "exports"
    shutil.copytree(ran[0] / "data" / "exports", exports)
    (exports / "tiktok" / "2026-11-20" / "creators.csv").write_text(
        "username,follower_count\nzero,0\nbad,many\n"
    )
    (exports / "youtube" / "2026-11-31").mkdir()
    (exports / "youtube" / "2026-11-31" / "posts.csv").write_text("id\n")
    result = creatorlens("validate", str(exports), cwd=tmp_path)
    assert result.returncode == 1
    assert "youtube/2026-11-31/posts.csv" in result.stdout and "is not a date" in result.stdout
    assert "follower_count" in result.stdout and "non_negative_integer" in result.stdout
    assert (
        "error: 1 problem(s) would stop a run: youtube/2026-11-31/posts.csv: rejected"
        in result.stderr
    )
    assert not (tmp_path / "data").exists()

    one_file = creatorlens(
        "validate", str(exports / "tiktok" / "2026-11-20" / "creators.csv"), cwd=tmp_path
    )
    assert "2 rows, 1 would be quarantined (50.000%)" in one_file.stdout
    assert one_file.returncode == 1 and "over the 1.00% allowed" in one_file.stderr


def test_status_shows_runs_loads_and_quarantine_from_the_published_file(ran):
    result = creatorlens("status", cwd=ran[0])
    assert result.returncode == 0, result.stderr
    assert (
        "Recent runs" in result.stdout
        and "nightly" in result.stdout
        and "completed" in result.stdout
    )
    assert "Loads" in result.stdout and "Quarantined rows by rule" in result.stdout


def test_top_prints_a_ranking_and_refuses_unknown_platforms_and_tiers(ran):
    result = creatorlens(
        "top", "--platform", "instagram", "--tier", "nano", "--limit", "3", cwd=ran[0]
    )
    assert result.returncode == 0, result.stderr
    assert "instagram nano creators by cost per engagement, 2026-11-20" in result.stdout
    assert [line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│ ")][:3] == [
        "1", "2", "3",
    ]  # fmt: skip
    unknown = creatorlens("top", "--platform", "vine", "--tier", "nano", cwd=ran[0])
    assert unknown.returncode == 1 and "error: platforms: unknown vine" in unknown.stderr
    no_tier = creatorlens("top", "--platform", "instagram", "--tier", "giant", cwd=ran[0])
    assert (
        no_tier.returncode == 1 and "no ranked instagram creators in tier 'giant'" in no_tier.stderr
    )


def test_status_before_any_run_says_what_to_do(tmp_path):
    result = creatorlens("status", cwd=tmp_path)
    assert result.returncode == 1
    assert "no published marts yet; run `creatorlens run` first" in result.stderr
