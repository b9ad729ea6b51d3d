"""The backfill flow: a range in bulk equals the nightly flow run day by day."""

import time
from datetime import timedelta

import duckdb
import pytest
from prefect import get_client
from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterFlowRunId

from creatorlens.compute.dates import range_plan
from creatorlens.demo import DemoConfig
from creatorlens.errors import CreatorlensError
from creatorlens.flows.backfill import backfill
from creatorlens.flows.nightly import nightly
from creatorlens.settings import Settings
from tests.flows.folders import demo_exports, settings_in
from tests.flows.marts_reader import published_marts

pytestmark = pytest.mark.usefixtures("prefect_harness")

CONFIG = DemoConfig(creators=110, days=20, seed=8)
START = CONFIG.end - timedelta(days=5)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    return demo_exports(tmp_path_factory, CONFIG)


def test_backfill_equals_nightly_day_by_day_and_a_rerun_is_identical(tmp_path, exports):
    bulk = settings_in(tmp_path / "bulk", exports)
    daily = settings_in(tmp_path / "daily", exports)
    summary = backfill(start=START, end=CONFIG.end, settings=bulk)
    for offset in range(6):
        nightly(run_date=START + timedelta(days=offset), settings=daily)
    marts = published_marts(str(bulk.marts))
    assert summary.rows_computed == len(marts["creator_daily_metrics"]) > 6 * 100
    assert {r[0] for r in marts["creator_daily_metrics"]} == {
        START + timedelta(days=i) for i in range(6)
    }
    assert marts == published_marts(str(daily.marts))
    backfill(start=START, end=CONFIG.end, settings=bulk)
    assert published_marts(str(bulk.marts)) == marts


def test_each_partition_is_a_task_run_of_the_backfill(tmp_path, exports):
    """A data engineer sees every shard of a range as a task run of the run itself (and
    Prefect retries each on its own)."""
    settings = settings_in(tmp_path, exports).model_copy(update={"buckets": 3})
    state = backfill(start=START, end=CONFIG.end, settings=settings, return_state=True)
    assert state.is_completed()
    only_this_run = TaskRunFilter(
        flow_run_id=TaskRunFilterFlowRunId(any_=[state.state_details.flow_run_id])
    )
    shards = []
    with get_client(sync_client=True) as client:
        for _ in range(60):  # task runs reach the server as events, a moment after the run
            runs = client.read_task_runs(task_run_filter=only_this_run)
            shards = [r for r in runs if r.name.startswith("compute_shard-")]
            if len(shards) >= 9 and all(r.state and r.state.is_completed() for r in shards):
                break
            time.sleep(0.5)
    assert len(shards) == 3 * 3  # three platforms, three buckets, one range of 6 dates
    assert all(r.state.is_completed() for r in shards)


def test_backfill_of_some_platforms_leaves_the_others(tmp_path, exports):
    settings = settings_in(tmp_path, exports)
    backfill(start=CONFIG.end, end=CONFIG.end, platforms=["youtube"], settings=settings)
    platforms = {r[1] for r in published_marts(str(settings.marts))["creator_daily_metrics"]}
    assert platforms == {"youtube"}
    backfill(start=CONFIG.end, end=CONFIG.end, platforms=["tiktok"], settings=settings)
    platforms = {r[1] for r in published_marts(str(settings.marts))["creator_daily_metrics"]}
    assert platforms == {"youtube", "tiktok"}


def test_a_range_ending_before_it_starts_fails_with_one_line_and_is_recorded(tmp_path, exports):
    settings = settings_in(tmp_path, exports)
    with pytest.raises(CreatorlensError, match=f"start {CONFIG.end} is after end {START}"):
        backfill(start=CONFIG.end, end=START, settings=settings)
    assert runs_of(settings) == [("backfill", "failed", None, None)]


def test_a_bad_parameter_fails_the_run_in_one_line_on_record(tmp_path, exports):
    """As a deployment run passes parameters: JSON, dates as text."""
    settings = settings_in(tmp_path, exports)
    with pytest.raises(
        CreatorlensError, match=r"^parameter platforms\.0 'myspace': Input should be 'instagram'"
    ):
        backfill(start=str(START), end=str(CONFIG.end), platforms=["myspace"], settings=settings)
    with pytest.raises(CreatorlensError, match=r"^parameter end '2026-02-30': Input should be"):
        backfill(start=str(START), end="2026-02-30", settings=settings.model_dump(mode="json"))
    assert runs_of(settings) == [("backfill", "failed", None, None)] * 2
    backfill(start=str(START), end=str(CONFIG.end), settings=settings.model_dump(mode="json"))
    assert runs_of(settings)[-1][:3] == ("backfill", "completed", START)


def runs_of(settings: Settings) -> list[tuple]:
    with duckdb.connect(str(settings.marts), read_only=True) as con:
        return con.execute(
            "select flow, status, first_as_of_date, rows_written from ops.runs order by started_at"
        ).fetchall()


REFUSED = [
    (
        CONFIG.end - timedelta(days=2),
        CONFIG.end + timedelta(days=25),
        f"the latest snapshot loaded is {CONFIG.end}",
    ),
    (
        CONFIG.start - timedelta(days=400),
        CONFIG.start - timedelta(days=300),
        f"the first snapshot loaded is {CONFIG.start}",
    ),
    (
        CONFIG.start - timedelta(days=3),
        CONFIG.start,
        f"the first snapshot loaded is {CONFIG.start}",
    ),
]
"""Ranges reaching past the loaded snapshots, each with the message that refuses it."""


def test_as_of_dates_the_data_cannot_support_are_refused_and_nothing_is_republished(
    tmp_path, exports
):
    """Each refused range on one published folder (a backfill each made this test three times
    as long): every refusal leaves the marts as they were, and is on record."""
    settings = settings_in(tmp_path, exports)
    done = backfill(start=START, end=CONFIG.end, settings=settings)
    marts = published_marts(str(settings.marts))
    for start, end, message in REFUSED:
        with pytest.raises(CreatorlensError, match=message):
            backfill(start=start, end=end, settings=settings)
        assert published_marts(str(settings.marts)) == marts
    with pytest.raises(CreatorlensError, match=f"the latest snapshot loaded is {CONFIG.end}"):
        nightly(run_date=CONFIG.end + timedelta(days=1), settings=settings)
    assert published_marts(str(settings.marts)) == marts
    assert runs_of(settings) == [
        ("backfill", "completed", START, done.rows_written),
        *[("backfill", "failed", None, None)] * len(REFUSED),
        ("nightly", "failed", None, None),
    ]


def test_a_plan_computes_consecutive_dates_in_chunks_without_overlap():
    plan = range_plan(START, START + timedelta(days=6), "backfill")
    assert plan.ranges(days=3) == [
        (START, START + timedelta(days=2)),
        (START + timedelta(days=3), START + timedelta(days=5)),
        (START + timedelta(days=6), START + timedelta(days=6)),
    ]
