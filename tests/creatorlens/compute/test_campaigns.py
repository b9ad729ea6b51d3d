"""The campaign marts read each start's creator metrics from creator_daily_metrics where that
day is computed and current, and compute the others: the marts are the same either way."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from creatorlens import reference
from creatorlens.compute import campaigns, marts, recompute
from creatorlens.demo import DemoConfig, generate, write
from creatorlens.ingest.loading import load_exports
from creatorlens.warehouse import open_warehouse
from tests.computing import compute_marts

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`


CONFIG = DemoConfig(creators=90, days=40, seed=5)
SCHEME = reference.tier_scheme("default")


def campaign_marts(con) -> dict[str, list[tuple]]:
    return {
        table: con.execute(f"select * from marts.{table} order by all").fetchall()
        for table in ("campaign_performance", "campaign_tier_summary")
    }


def tiktok_start_day(con) -> date:
    """The day before the start of a campaign with TikTok creators, within the snapshots."""
    (day,) = con.execute(
        "select max(c.start_date) - 1 from staging.stg_campaigns c"
        " semi join (select * from staging.stg_campaign_creators where platform = 'tiktok')"
        " using (campaign_id)"
        " where c.start_date - 1 <= (select max(snapshot_date) from staging.stg_creator_snapshots)"
    ).fetchall()[0]
    return day


def multiply_followers(path: Path, factor: int) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    for row in rows:
        row["follower_count"] = str(int(row["follower_count"]) * factor)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue())


def test_start_metrics_are_read_from_the_marts_unless_a_change_waits_to_reach_them(
    tmp_path, monkeypatch
):
    exports = tmp_path / "exports"
    write(generate(CONFIG), exports)
    computing = []
    daily_metrics = marts.daily_metrics
    monkeypatch.setattr(
        marts,
        "daily_metrics",
        lambda *args, **kw: computing.append(args[2:4]) or daily_metrics(*args, **kw),
    )
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        load_exports(con, exports, "run-1")
        campaigns.compute_campaigns(con, SCHEME, "run-1")  # no marts yet: every day computed
        computed = campaign_marts(con)
        assert computing and computed["campaign_performance"]
        first, last = con.execute(
            "select min(snapshot_date), max(snapshot_date) from staging.stg_creator_snapshots"
        ).fetchall()[0]
        compute_marts(con, SCHEME, first, last)
        recompute.clear(con, recompute.pending(con)["load_id"].to_list())  # as a run does

        computing.clear()
        campaigns.compute_campaigns(con, SCHEME, "run-2")
        assert computing == []  # every start day read from the marts
        assert campaign_marts(con) == computed

        day = tiktok_start_day(con)
        multiply_followers(exports / "tiktok" / str(day) / "creators.csv", 1000)
        load_exports(con, exports, "run-3")  # the day's marts are now behind its snapshots
        campaigns.compute_campaigns(con, SCHEME, "run-3")
        assert computing == [(day, day)]  # that day alone is computed again
        restated = campaign_marts(con)
        assert restated != computed  # tiers at that start went up

        con.execute("delete from marts.creator_daily_metrics")
        campaigns.compute_campaigns(con, SCHEME, "run-4")  # every day from the snapshots
        assert campaign_marts(con) == restated
