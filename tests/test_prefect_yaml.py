"""Every deployment in prefect.yaml points at a real Prefect flow."""

from pathlib import Path

import yaml
from prefect.flows import Flow, load_flow_from_entrypoint

ROOT = Path(__file__).resolve().parent.parent


def test_every_entrypoint_loads_a_flow_with_a_utc_schedule():
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    names = set()
    for deployment in config["deployments"]:
        flow = load_flow_from_entrypoint(deployment["entrypoint"])
        assert isinstance(flow, Flow)
        assert flow.name == deployment["name"]
        names.add(deployment["name"])
        for schedule in deployment.get("schedules", []):
            assert schedule["timezone"] == "UTC"
    assert names == {"nightly", "backfill"}
