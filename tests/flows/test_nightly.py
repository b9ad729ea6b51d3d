"""The real nightly flow (Prefect test harness) on exports written to disk, into real DuckDB files."""

from datetime import date
from pathlib import Path

import duckdb
import pytest

from creatorlens.demo import DemoConfig, generate, write
from creatorlens.errors import CreatorlensError
from creatorlens.flows.nightly import nightly
from tests.exportfiles import write_export

D = date(2026, 3, 10)

pytestmark = pytest.mark.usefixtures("prefect_harness")


def published(settings, query: str, *params) -> list[tuple]:
    """Rows from the published marts, opened read-only the way a BI tool opens them."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as bi (read_only)", [str(settings.marts)])
        return con.execute(query.replace("marts.", "bi.marts."), list(params)).fetchall()
    finally:
        con.close()


def ig_post(post_id: str, owner: str, timestamp: str, **counts: int) -> dict:
    return {"id": post_id, "owner": {"id": owner}, "timestamp": timestamp, **counts}


def write_hand_export(exports: Path) -> None:
    """Three Instagram creators, a hidden YouTube channel and a zero-follower TikTok account."""
    ig = exports / "instagram"
    write_export(
        ig / "2026-03-03" / "creators.jsonl",
        [{"id": "300", "username": "gone", "followers_count": 800}],
    )
    write_export(
        ig / "2026-03-04" / "creators.jsonl",
        [{"id": "100", "username": "anna_old", "followers_count": 1900},
         {"id": "200", "username": "bo", "followers_count": 500}],
    )  # fmt: skip
    write_export(
        ig / "2026-03-10" / "creators.jsonl",
        [{"id": "100", "username": "anna", "followers_count": 2000}],
    )
    write_export(
        ig / "2026-03-10" / "posts.jsonl.gz",
        [
            ig_post("p1", "100", "2026-03-10T01:00:00+0000", like_count=50, comments_count=10),
            ig_post("p2", "100", "2026-03-04T12:00:00+0000", like_count=100, comments_count=20, saved=5,
                    shares=5, views=1000),
            ig_post("p3", "100", "2026-02-09T10:00:00+0000", like_count=40, comments_count=0),
            ig_post("p4", "100", "2026-02-08T10:00:00+0000", like_count=10, comments_count=0),
            ig_post("p5", "200", "2026-03-03T22:00:00-0500", like_count=25, comments_count=5),
        ],
    )  # fmt: skip
    # A later export must not leak into the as-of date.
    write_export(
        ig / "2026-03-11" / "posts.jsonl.gz",
        [ig_post("p1", "100", "2026-03-10T01:00:00+0000", like_count=5000, comments_count=10)],
    )
    write_export(
        exports / "youtube" / "2026-03-09" / "creators.jsonl",
        [
            {
                "id": "UCx",
                "snippet": {"title": "Hidden"},
                "statistics": {"hiddenSubscriberCount": True},
            }
        ],
    )
    write_export(
        exports / "youtube" / "2026-03-10" / "posts.csv",
        [{"id": "v1", "snippet.channelId": "UCx", "snippet.publishedAt": "2026-03-08T15:00:00Z",
          "statistics.viewCount": "100", "statistics.likeCount": "", "statistics.commentCount": "7"}],
    )  # fmt: skip
    write_export(
        exports / "tiktok" / "2026-03-10" / "creators.csv",
        [{"username": "zero", "follower_count": 0}],
    )
    write_export(
        exports / "tiktok" / "2026-03-10" / "posts.csv.gz",
        [{"id": "t1", "username": "zero", "create_time": 1773099000, "like_count": 3, "comment_count": 0,
          "share_count": 0, "view_count": 30}],
    )  # fmt: skip
    write_export(
        exports / "roster.csv",
        [{"platform": "instagram", "account_id": "100", "niche": "beauty", "country": "DK"}],
    )


COLUMNS = (
    "platform, account_id, handle, niche, country, followers, tier, posts_7d, posts_30d, posts_90d, "
    "engagements_30d, engagement_rate_7d, engagement_rate_30d, engagement_rate_90d, "
    "median_post_engagement_rate_30d, view_engagement_rate_30d"
)


def test_nightly_publishes_the_hand_worked_values(settings):
    write_hand_export(settings.exports_dir)
    summary = nightly(run_date=D, settings=settings)
    assert summary.end == D and summary.loads.count("rejected") == 0
    rows = published(
        settings,
        f"select {COLUMNS} from marts.creator_daily_metrics where as_of_date = ? order by 1, 2",
        D,
    )
    assert rows == [
        # anna: 2000 followers (03-10); 7d p1+p2 = 60+130; 30d adds p3 (D-29) = 230; 90d adds p4 (D-30).
        ("instagram", "100", "anna", "beauty", "DK", 2000, "nano", 2, 3, 4, 230,
         190 / 4000, 230 / 6000, 240 / 8000, 60 / 2000, 130 / 1000),
        # bo: snapshot on D-6 still counts; p5 is 22:00 at -05:00 on 03-03, i.e. 03-04 UTC, inside 7d.
        ("instagram", "200", "bo", None, None, 500, "emerging", 1, 1, 1, 30,
         30 / 500, 30 / 500, 30 / 500, 30 / 500, None),
        # zero followers: counts but no rates; views are there.
        ("tiktok", "zero", "zero", None, None, 0, "emerging", 1, 1, 1, 3, None, None, None, None, 3 / 30),
        # hidden subscribers: no followers, no tier, no rates; the hidden like count counts 0.
        ("youtube", "UCx", "Hidden", None, None, None, None, 1, 1, 1, 7, None, None, None, None, 7 / 100),
    ]  # fmt: skip


def test_nightly_defaults_to_the_latest_snapshot_and_a_rerun_changes_nothing(settings):
    write_hand_export(settings.exports_dir)
    first = nightly(settings=settings)
    again = nightly(settings=settings)
    assert first.end == date(2026, 3, 11)
    assert again.loads.count("unchanged") == len(again.loads.files)
    assert published(settings, "select count(*) from marts.creator_daily_metrics") == [
        (first.rows_computed,)
    ]


def test_a_rejected_file_fails_the_run_and_keeps_the_last_published_marts(settings):
    write_hand_export(settings.exports_dir)
    nightly(run_date=D, settings=settings)
    before = published(settings, "select * from marts.creator_daily_metrics order by all")
    broken = settings.exports_dir / "tiktok" / "2026-03-11" / "creators.csv"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"\xff\xfe not text")
    with pytest.raises(
        CreatorlensError, match=r"tiktok/2026-03-11/creators.csv: rejected \(not UTF-8"
    ):
        nightly(run_date=date(2026, 3, 11), settings=settings)
    assert published(settings, "select * from marts.creator_daily_metrics order by all") == before
    # the failed run's report is of the marts as they were, its data quality shows the rejection
    failed_report = max(settings.reports_dir.glob("*.html"), key=lambda p: p.stat().st_mtime)
    assert failed_report.name.startswith("creatorlens-2026-03-10-")
    assert "files rejected" in failed_report.read_text()


def test_nightly_on_a_generated_export_covers_all_platforms(settings):
    config = DemoConfig(creators=90, days=10, seed=3)
    write(generate(config), settings.exports_dir)
    summary = nightly(settings=settings)
    assert summary.end == config.end
    counts = dict(
        published(settings, "select platform, count(*) from marts.creator_daily_metrics group by 1")
    )
    assert set(counts) == {"instagram", "tiktok", "youtube"}
    assert sum(counts.values()) == summary.rows_computed == 90
    rated = published(
        settings,
        "select count(*) from marts.creator_daily_metrics where engagement_rate_30d between 0.001 and 0.5",
    )
    assert rated[0][0] > 70


def write_export_with_a_bad_row(exports: Path) -> None:
    write_hand_export(exports)
    write_export(
        exports / "tiktok" / "2026-03-10" / "creators.csv",
        [{"username": "zero", "follower_count": 0}, {"username": "bad", "follower_count": "many"}],
    )


def test_too_many_quarantined_rows_stop_the_publish(settings):
    write_export_with_a_bad_row(settings.exports_dir)
    with pytest.raises(
        CreatorlensError,
        match=r"quarantined, over the 1\.00% allowed.*tiktok/2026-03-10/creators.csv \(1\)",
    ):
        nightly(run_date=D, settings=settings)
    assert published(settings, "select count(*) from marts.creator_daily_metrics") == [(0,)]
    assert published(settings, "select flow, status from bi.ops.runs") == [("nightly", "failed")]


def test_unpublished_quarantined_rows_still_count_on_a_plain_rerun(settings):
    write_export_with_a_bad_row(settings.exports_dir)
    for _ in range(2):  # the second run finds every file unchanged, not the problem gone
        with pytest.raises(CreatorlensError, match=r"quarantined, over the 1\.00% allowed"):
            nightly(run_date=D, settings=settings)
    assert published(settings, "select count(*) from marts.creator_daily_metrics") == [(0,)]
    nightly(run_date=D, allow_partial=True, settings=settings)  # a person decided: publish
    summary = nightly(run_date=D, settings=settings)  # what is published no longer counts
    assert summary.loads.count("unchanged") == len(summary.loads.files)


def test_allow_partial_publishes_despite_quarantined_rows(settings):
    write_export_with_a_bad_row(settings.exports_dir)
    summary = nightly(run_date=D, allow_partial=True, settings=settings)
    assert summary.loads.rows_quarantined == 1
    assert published(settings, "select count(*) from marts.creator_daily_metrics") == [(4,)]


def test_an_empty_exports_folder_fails_with_what_to_do(settings):
    settings.exports_dir.mkdir(parents=True)
    with pytest.raises(CreatorlensError, match="no creator or post snapshots in"):
        nightly(settings=settings)


def test_the_tier_scheme_setting_changes_tiers_prices_and_rankings(settings):
    write_hand_export(settings.exports_dir)
    danish = settings.model_copy(update={"tier_scheme": "denmark"})
    nightly(run_date=D, settings=danish)
    tiers = published(
        settings,
        "select account_id, tier, price_per_post_usd from marts.creator_daily_metrics order by 1",
    )
    assert tiers == [
        ("100", "micro", 120.0),
        ("200", "micro", 120.0),
        ("UCx", None, None),
        ("zero", "micro", 35.0),
    ]
    # anna has 3 posts in 30 days and 230 engagements: cpe = 120 / (230 / 3); Danish micro is ranked
    assert published(
        settings, "select tier, rank, account_id, cpe_usd from marts.creator_rankings"
    ) == [("micro", 1, "100", pytest.approx(120 / (230 / 3)))]
