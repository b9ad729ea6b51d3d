"""Shared fixtures: a quiet, private Prefect for flow tests, and temporary settings."""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from creatorlens import quiet_exit
from creatorlens.settings import Settings

quiet_exit.install()

# Property tests explore the same examples on every `make test` run, so CI is reproducible;
# `make fuzz` explores fresh random examples, many more of them.
_PROPERTY = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
hypothesis_settings.register_profile("repeatable", max_examples=40, derandomize=True, **_PROPERTY)
hypothesis_settings.register_profile("fuzz", max_examples=1500, **_PROPERTY)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


SLOW_FIXTURES = {"prefect_harness", "prefect_api"}
"""A test that uses one of these runs flows on a Prefect server: it is `slow`."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `slow` every test that runs flows (a Prefect fixture); tests that start CLI
    processes or servers are marked so in their module. Everything else is the fast lane
    (`make fast`), a new unit test included."""
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def no_background_server_left(tmp_path_factory: pytest.TempPathFactory):
    """Whatever a test does, `make test` leaves no background Prefect server running: each
    one a CLI run started under the session's temporary folders is stopped at its end."""
    yield
    from creatorlens.cli.server import STATE, BackgroundServer  # noqa: PLC0415

    for state in tmp_path_factory.getbasetemp().rglob(STATE):
        BackgroundServer(state.parent).stop()


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory):
    """One Prefect test server (temporary database) for the whole session."""
    from prefect.testing.utilities import prefect_test_harness  # noqa: PLC0415

    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def prefect_api(prefect_harness) -> str:
    """The test server's API URL, for CLI processes that should run against it rather than
    start an ephemeral server of their own (saving its start-up time)."""
    from prefect.settings import PREFECT_API_URL  # noqa: PLC0415

    return PREFECT_API_URL.value()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose exports, warehouse and marts all live in a temporary folder."""
    return Settings(
        exports_dir=tmp_path / "exports",
        warehouse=tmp_path / "warehouse.duckdb",
        marts=tmp_path / "marts.duckdb",
        reports_dir=tmp_path / "reports",
    )
