"""The same flows on a Dask cluster: shards run on its worker processes, the marts are the
in-process run's, cell for cell."""

import shutil
import socket
import time
from datetime import timedelta

import duckdb
import pytest
from distributed import Client, LocalCluster

from creatorlens.demo import DemoConfig
from creatorlens.flows.backfill import backfill
from creatorlens.flows.nightly import nightly
from tests.clirun import creatorlens
from tests.flows.folders import cli_environment, demo_exports, settings_in
from tests.flows.marts_reader import published_marts

pytestmark = pytest.mark.usefixtures("prefect_harness")

CONFIG = DemoConfig(creators=110, days=20, seed=12)
START = CONFIG.end - timedelta(days=5)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    return demo_exports(tmp_path_factory, CONFIG)


def shard_tasks_run(client: Client) -> int:
    """How many tasks the cluster's workers have finished (the Prefect task runs on them)."""
    return sum(client.run(lambda dask_worker: dask_worker.state.transition_counter).values())


@pytest.mark.soak  # a minute long: `make soak`, before each stop (CI's suite stays under ten)
def test_a_backfill_and_a_nightly_on_dask_equal_the_in_process_run(
    tmp_path, exports, prefect_api, monkeypatch
):
    monkeypatch.setenv("PREFECT_API_URL", prefect_api)  # the workers report to the test server
    here = settings_in(tmp_path / "here", exports)
    backfill(start=START, end=CONFIG.end - timedelta(days=1), settings=here)
    nightly(run_date=CONFIG.end, settings=here)
    expected = published_marts(str(here.marts))

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        on_dask = settings_in(tmp_path / "dask", exports).model_copy(
            update={"dask_address": cluster.scheduler_address, "buckets": 7}
        )
        backfill(start=START, end=CONFIG.end - timedelta(days=1), settings=on_dask)
        after_backfill = shard_tasks_run(client)
        nightly(run_date=CONFIG.end, settings=on_dask)
        after_nightly = shard_tasks_run(client)
    assert 0 < after_backfill < after_nightly
    assert len(expected["creator_daily_metrics"]) > 6 * 100
    assert published_marts(str(on_dask.marts)) == expected
    assert not on_dask.scratch.exists()  # the runs removed their shards


def test_an_unreachable_scheduler_fails_the_run_in_one_line_on_record(
    tmp_path, exports, prefect_api
):
    with socket.socket() as nothing_listens:  # a port bound but not listening: refused
        nothing_listens.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{nothing_listens.getsockname()[1]}"
        shutil.copytree(exports, tmp_path / "exports")
        env = cli_environment(tmp_path, prefect_api, dask_address=address)
        started = time.monotonic()
        run = creatorlens("run", cwd=tmp_path, **env)
        took = time.monotonic() - started
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr.startswith(f"error: CREATORLENS_DASK_ADDRESS {address}: no Dask scheduler")
    assert len(run.stderr.splitlines()) == 1, run.stderr
    assert took < 25  # not Dask's own 30 s of retries
    status = creatorlens("status", cwd=tmp_path, **env)
    assert "failed" in status.stdout and "no Dask scheduler answers" in status.stdout
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        recorded = con.execute("select status, failure_reason from ops.runs").fetchall()
    [(outcome, reason)] = recorded
    assert outcome == "failed" and reason.startswith(f"CREATORLENS_DASK_ADDRESS {address}: ")
    assert not (tmp_path / "warehouse.scratch").exists()
