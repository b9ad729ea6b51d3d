"""Shared fixtures: a quiet, private Prefect for flow tests, and temporary settings."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from creatorlens import quiet_exit
from creatorlens.settings import Settings

quiet_exit.install()


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory):
    """One Prefect test server (temporary database) for the whole session."""
    from prefect.testing.utilities import prefect_test_harness  # noqa: PLC0415

    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose exports, warehouse and marts all live in a temporary folder."""
    return Settings(
        exports_dir=tmp_path / "exports",
        warehouse=tmp_path / "warehouse.duckdb",
        marts=tmp_path / "marts.duckdb",
    )
