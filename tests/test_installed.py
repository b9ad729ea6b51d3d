"""creatorlens as a user installs it: a wheel built from this checkout, installed into a fresh
virtual environment with the locked dependencies, run from a folder outside the repository."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def _uv() -> str:
    found = shutil.which("uv") or ROOT / ".tools" / "bin" / "uv"
    assert Path(found).exists(), "uv is missing: `make setup` installs it"
    return str(found)


def _call(*args: str | Path, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """The built wheel, and a folder with a venv holding it (outside the repository)."""
    where = tmp_path_factory.mktemp("installed")
    built = _call(_uv(), "build", "--wheel", "--out-dir", where / "dist", cwd=ROOT)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (where / "dist").glob("creatorlens-*.whl")
    requirements = where / "requirements.txt"
    exported = _call(
        _uv(), "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
        "--quiet", "--output-file", requirements, cwd=ROOT,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    venv = where / "venv"
    made = _call(_uv(), "venv", "--quiet", "--python", sys.executable, venv, cwd=where)
    assert made.returncode == 0, made.stderr
    added = _call(
        _uv(), "pip", "install", "--quiet", "--python", venv / "bin" / "python",
        "-r", requirements, wheel, cwd=where,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CREATORLENS_", "PREFECT_"))}
    env.pop("PYTHONPATH", None)
    env.update(
        PREFECT_HOME=str(where / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        COLUMNS="200",
    )
    work = where / "work"
    work.mkdir()
    return {"wheel": wheel, "venv": venv, "work": work, "env": env}


def _creatorlens(installed: dict, *args: str, **env: str) -> subprocess.CompletedProcess:
    command = installed["venv"] / "bin" / "creatorlens"
    return _call(command, *args, cwd=installed["work"], env=installed["env"] | env)


def test_the_wheel_installs_one_top_level_package_with_its_files(installed):
    """Nothing with a generic name (flows, schemas, transforms, sql) at site-packages' top."""
    names = zipfile.ZipFile(installed["wheel"]).namelist()
    assert {name.split("/")[0] for name in names} == {"creatorlens", "creatorlens-0.1.0.dist-info"}
    for shipped in (
        "creatorlens/sql/int/int_pending_changes.sql",
        "creatorlens/reference/tier_schemes.csv",
        "creatorlens/prefect.yaml",
        "creatorlens/flows/nightly.py",
        "creatorlens/schemas/marts.py",
        "creatorlens/transforms/ranking.py",
    ):
        assert shipped in names


def test_demo_then_run_work_from_a_folder_outside_the_repository(installed):
    demo = _creatorlens(installed, "demo", "--out", "exports", "--creators", "90", "--days", "8")
    assert demo.returncode == 0, demo.stderr
    run = _creatorlens(installed, "run", "--exports", "exports")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert "creatorlens nightly" in run.stdout and "as of 2026-11-20" in run.stdout
    assert (installed["work"] / "data" / "creatorlens.duckdb").is_file()
    assert " | INFO " not in run.stdout + run.stderr  # Prefect's lines stay off the terminal


def test_prefect_yaml_writes_the_deployments_of_the_repository(installed):
    written = _creatorlens(installed, "prefect-yaml", "--out", "deploy.yaml")
    assert written.returncode == 0, written.stderr
    deployments = yaml.safe_load((installed["work"] / "deploy.yaml").read_text())["deployments"]
    assert deployments == yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]
    again = _creatorlens(installed, "prefect-yaml", "--out", "deploy.yaml")
    assert again.returncode == 1 and again.stderr.startswith("error: deploy.yaml exists")


def test_a_missing_package_file_is_one_traceback_and_not_retried(installed, prefect_api):
    """Against the session's Prefect server: the embedded default is the test above's."""
    site = next((installed["venv"] / "lib").glob("python3*/site-packages"))
    missing = site / "creatorlens" / "sql" / "int" / "int_pending_changes.sql"
    kept = missing.read_text()
    missing.unlink()
    try:
        run = _creatorlens(installed, "run", "--exports", "exports", PREFECT_API_URL=prefect_api)
    finally:
        missing.write_text(kept)
    assert run.returncode == 1
    assert run.stderr.count("Traceback") == 1, run.stderr[-4000:]
    assert (
        f"MissingPackageFileError: {missing}: missing from the installed creatorlens" in run.stderr
    )
    assert "Retry" not in run.stdout + run.stderr
