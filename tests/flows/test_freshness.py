"""Source freshness: a platform whose exports stop arriving is heard, not published green."""

import shutil
import time
from datetime import UTC, datetime, timedelta

import duckdb
import httpx
import pytest

from creatorlens.demo import DemoConfig
from creatorlens.errors import StaleSourcesError
from creatorlens.flows.nightly import nightly
from tests.flows.folders import demo_exports, settings_in

pytestmark = pytest.mark.usefixtures("prefect_harness")

CONFIG = DemoConfig(creators=60, days=12, seed=3)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    return demo_exports(tmp_path_factory, CONFIG)


def stop_delivering(settings, platform: str, days: int) -> None:
    """Remove a platform's last `days` days of exports, as if it stopped delivering then."""
    for back in range(days):
        day = CONFIG.end - timedelta(days=back)
        shutil.rmtree(settings.exports_dir / platform / day.isoformat())


def freshness(settings) -> dict:
    with duckdb.connect(str(settings.marts), read_only=True) as con:
        rows = con.sql("select platform, entity, days_behind, status from ops.freshness")
        return {(p, e): (days, status) for p, e, days, status in rows.fetchall()}


def stale_events(api: str, since: str) -> list[dict]:
    body = {
        "filter": {
            "event": {"name": ["creatorlens.source.stale"]},
            "occurred": {"since": since},
        },
        "limit": 50,
    }
    return httpx.post(f"{api}/events/filter", json=body).json()["events"]


def wait_for_stale_events(api: str, since: str, platform: str, count: int = 1) -> list[dict]:
    """The stale events of `platform` since `since`, once there are `count` of them or after
    30 s (events are stored a moment after they are emitted)."""
    events = []
    for _ in range(60):
        events = [
            e
            for e in stale_events(api, since)
            if e["resource"]["prefect.resource.name"] == platform
        ]
        if len(events) >= count:
            return events
        time.sleep(0.5)
    return events


def test_a_platform_a_day_behind_is_a_warning_and_an_event(tmp_path, exports, prefect_api):
    settings = settings_in(tmp_path, exports)
    stop_delivering(settings, "tiktok", days=1)
    since = datetime.now(UTC).isoformat()
    summary = nightly(settings=settings)
    assert summary.end == CONFIG.end  # the other platforms' latest day
    seen = freshness(settings)
    assert seen[("tiktok", "posts")] == (1, "warn")
    assert seen[("instagram", "creators")] == (0, "fresh")
    events = wait_for_stale_events(prefect_api, since, "tiktok", count=2)
    assert {e["payload"]["entity"] for e in events} == {"creators", "posts"}
    assert {e["resource"]["prefect.resource.id"] for e in events} == {"creatorlens.platform.tiktok"}
    assert {e["payload"]["status"] for e in events} == {"warn"}
    everyone = stale_events(prefect_api, since)  # none for the fresh platforms
    assert sorted(e["id"] for e in everyone) == sorted(e["id"] for e in events)


def test_a_platform_three_days_behind_fails_the_run_after_publishing(
    tmp_path, exports, prefect_api
):
    settings = settings_in(tmp_path, exports)
    stop_delivering(settings, "youtube", days=3)
    with pytest.raises(StaleSourcesError, match=r"youtube creators: .* 3 days behind") as error:
        nightly(settings=settings)
    assert error.value.summary.end == CONFIG.end  # published all the same
    with duckdb.connect(str(settings.marts), read_only=True) as con:
        published = con.sql(
            "select platform, max(as_of_date) from marts.creator_daily_metrics group by 1"
        ).fetchall()
        (status,) = con.sql("select status from ops.runs").fetchall()
    assert dict(published)["tiktok"] == CONFIG.end
    assert status == ("completed",)
    assert freshness(settings)[("youtube", "posts")] == (3, "error")
