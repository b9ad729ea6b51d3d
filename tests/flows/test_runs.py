"""Run records: ops.runs, the ops copies BI reads, and each run's Prefect artifacts."""

import asyncio
import json
import re
from datetime import date

import duckdb
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from creatorlens.errors import CreatorlensError
from creatorlens.flows.backfill import backfill
from creatorlens.flows.nightly import nightly
from tests.flows.test_nightly import D, write_hand_export

pytestmark = pytest.mark.usefixtures("prefect_harness")


def published(settings, query: str) -> list[tuple]:
    con = duckdb.connect()
    try:
        con.execute("attach ? as bi (read_only)", [str(settings.marts)])
        con.execute("use bi")
        return con.execute(query).fetchall()
    finally:
        con.close()


async def artifacts_of(run_id: str) -> dict:
    async with get_client() as client:
        found = await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
    return {a.key: a for a in found}


def test_a_good_run_then_a_failed_one_are_recorded_and_published_for_bi(settings):
    write_hand_export(settings.exports_dir)
    good = nightly(run_date=D, settings=settings)
    marts_before = published(settings, "select * from marts.creator_daily_metrics order by all")
    (settings.exports_dir / "tiktok" / "2026-03-12").mkdir(parents=True)
    (settings.exports_dir / "tiktok" / "2026-03-12" / "posts.csv").write_bytes(b"")
    with pytest.raises(CreatorlensError, match=r"posts\.csv: rejected"):
        nightly(run_date=D, settings=settings)

    runs = published(
        settings,
        "select run_id, flow, parameters, status, rows_loaded, rows_quarantined, rows_published, "
        "failure_reason, finished_at >= started_at from ops.runs order by started_at",
    )
    assert runs[0][0] == good.run_id
    assert [(r[1], r[3]) for r in runs] == [("nightly", "completed"), ("nightly", "failed")]
    assert json.loads(runs[0][2]) == {"allow_partial": False, "run_date": "2026-03-10"}
    assert runs[0][4:7] == (good.loads.rows_loaded, 0, good.rows_published)
    assert runs[1][6] is None and "tiktok/2026-03-12/posts.csv: rejected (empty file" in runs[1][7]
    assert all(r[8] for r in runs)
    # the failed run left the marts as they were, but BI sees its loads and its failure
    assert (
        published(settings, "select * from marts.creator_daily_metrics order by all")
        == marts_before
    )
    assert ("tiktok/2026-03-12/posts.csv", "rejected") in published(
        settings, "select file, status from ops.loads"
    )


@pytest.mark.parametrize("flow", ["nightly", "backfill"])
def test_each_run_leaves_a_markdown_summary_and_a_quarantine_table(settings, flow):
    write_hand_export(settings.exports_dir)
    (settings.exports_dir / "tiktok" / "2026-03-10" / "creators.csv").write_text(
        "username,follower_count\nzero,0\nbad,many\n"
    )
    if flow == "nightly":
        summary = nightly(run_date=D, allow_partial=True, settings=settings)
    else:
        summary = backfill(start=D, end=D, allow_partial=True, settings=settings)
    artifacts = asyncio.run(artifacts_of(summary.run_id))
    markdown = artifacts["creatorlens-run-summary"].data
    assert "## Files loaded" in markdown and "## Rows quarantined" in markdown
    assert (
        "| tiktok/2026-03-10/creators.csv | follower_count | non_negative_integer | 1 |" in markdown
    )
    assert "## Top creators as of 2026-03-10" in markdown
    assert re.search(
        r"\| \d+\.\d\d% \| \$\d+\.\d\d \| \$[\d,]+\.\d\d \|", markdown
    )  # ER, CPE, price
    assert "## Freshness" in markdown and "| instagram | creators | 2026-03-10 |" in markdown
    assert summary.report.exists() and summary.report.name.startswith("creatorlens-2026-03-10-")
    assert f"]({summary.report.resolve().as_uri()})" in markdown  # a link to the HTML report
    table = json.loads(artifacts["creatorlens-quarantine"].data)
    assert table == [
        {
            "file": "tiktok/2026-03-10/creators.csv",
            "field": "follower_count",
            "rule": "non_negative_integer",
            "rows": 1,
        }
    ]


def test_a_run_whose_process_died_is_marked_failed_by_the_next(settings):
    write_hand_export(settings.exports_dir)
    nightly(run_date=D, settings=settings)
    con = duckdb.connect(str(settings.warehouse))
    con.execute(
        "insert into ops.runs (run_id, flow, started_at, status) values ('dead', 'backfill', now(), 'running')"
    )
    con.close()
    nightly(run_date=date(2026, 3, 11), settings=settings)
    assert published(
        settings, "select status, failure_reason from ops.runs where run_id = 'dead'"
    ) == [("failed", "abandoned: the process ended before the run finished")]


def test_a_rerun_after_the_fix_completes_with_the_loaded_data_kept_and_no_duplicates(settings):
    # the hand export's YouTube days end three days before its Instagram ones: not the point
    settings = settings.model_copy(update={"freshness_error_after_days": 30})
    write_hand_export(settings.exports_dir)
    broken = settings.exports_dir / "instagram" / "2026-03-12" / "creators.jsonl"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"id": "100", "followers_count": 2100}\n{"id": "200", "followers_count": \n')
    with pytest.raises(CreatorlensError, match="line 2 is not JSON"):
        nightly(settings=settings)
    broken.write_text(
        '{"id": "100", "followers_count": 2100}\n{"id": "200", "followers_count": 510}\n'
    )
    again = nightly(settings=settings)
    assert [f.file for f in again.loads.files if f.status == "loaded"] == [
        "instagram/2026-03-12/creators.jsonl"
    ]
    assert again.end == date(2026, 3, 12)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        duplicated_loads = con.execute(
            "select file, count(*) from ops.loads where status = 'loaded' group by file having count(*) > 1"
        ).fetchall()
        duplicated_rows = con.execute(
            "select platform, post_id, snapshot_date, count(*) from staging.stg_post_snapshots "
            "group by all having count(*) > 1"
        ).fetchall()
    finally:
        con.close()
    assert duplicated_loads == [] and duplicated_rows == []
