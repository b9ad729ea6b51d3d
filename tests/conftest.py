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


LONGEST_FIRST = (
    "test_deployments.py",
    "test_app.py",
    "test_late_data.py",
    "test_backfill.py",
    "test_stop_signals.py",
    "test_warehouse_faults.py",
    "test_disk_full.py",
    "test_dask.py",
)
"""The modules that take longest (a minute and more of `make test`), run first: two workers
given whole modules in order (--dist loadfile) otherwise ended with one of them alone on a
long module for minutes."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `slow` every test that runs flows (a Prefect fixture); tests that start CLI
    processes or servers are marked so in their module. Everything else is the fast lane
    (`make fast`), a new unit test included. The longest modules go first (LONGEST_FIRST)."""
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)
    rank = {name: number for number, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: order kept


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
    """One Prefect test server (temporary database) for the whole session. Flows run in the
    test process send no heartbeats, as runs in the terminal (creatorlens.cli.runs): their
    thread held the end of every flow run for up to a second (tests run hundreds)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings  # noqa: PLC0415
    from prefect.testing.utilities import prefect_test_harness  # noqa: PLC0415

    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    with (
        prefect_test_harness(server_startup_timeout=120),
        temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
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
