"""Late and restated data: a nightly run recomputes exactly the computed dates they change."""

import gzip
import io
from datetime import date, timedelta

import duckdb
import polars as pl
import pytest

from creatorlens.demo import DemoConfig
from creatorlens.flows.backfill import backfill
from creatorlens.flows.nightly import nightly
from creatorlens.settings import Settings
from tests.flows.folders import demo_exports, settings_in
from tests.flows.marts_reader import published_marts

pytestmark = pytest.mark.usefixtures("prefect_harness")

CONFIG = DemoConfig(creators=60, days=32, seed=23)
FIRST = CONFIG.start + timedelta(days=6)
RESTATED = CONFIG.end - timedelta(days=21)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    return demo_exports(tmp_path_factory, CONFIG)


def restate_tiktok_posts(exports, day) -> None:
    """Deliver the TikTok posts of `day` again, every like count doubled."""
    path = exports / "tiktok" / str(day) / "posts.csv.gz"
    posts = pl.read_csv(io.BytesIO(gzip.decompress(path.read_bytes())), infer_schema=False)
    doubled = posts.with_columns((pl.col("like_count").cast(pl.Int64) * 2).cast(pl.String))
    path.write_bytes(gzip.compress(doubled.write_csv().encode()))


def restate_roster(exports) -> None:
    """Move one creator of the roster to another niche."""
    path = exports / "roster.csv"
    roster = pl.read_csv(path, infer_schema=False)
    path.write_text(
        roster.with_columns(niche=pl.lit("knitting")).head(1).vstack(roster[1:]).write_csv()
    )


def last_run(settings: Settings) -> tuple:
    with duckdb.connect(str(settings.marts), read_only=True) as con:
        return con.execute(
            "select first_as_of_date, last_as_of_date, computed_dates from ops.runs "
            "order by started_at desc limit 1"
        ).fetchone()


def test_a_restated_old_file_is_recomputed_by_the_nightly_run_as_a_full_backfill_would(
    tmp_path, exports
):
    incremental = settings_in(tmp_path / "incremental", exports)
    backfill(start=FIRST, end=CONFIG.end, settings=incremental)
    before = published_marts(str(incremental.marts))
    restate_tiktok_posts(incremental.exports_dir, RESTATED)
    nightly(settings=incremental)

    full = settings_in(tmp_path / "full", exports)
    restate_tiktok_posts(full.exports_dir, RESTATED)
    backfill(start=FIRST, end=CONFIG.end, settings=full)
    after = published_marts(str(incremental.marts))
    assert after == published_marts(str(full.marts))
    assert after != before  # the restatement did change the marts

    first, last, why = last_run(incremental)
    assert (first, last) == (RESTATED, CONFIG.end)
    assert f"{RESTATED} to {CONFIG.end}: tiktok/{RESTATED}/posts.csv.gz loaded" in why
    unchanged = [row for row in before["creator_daily_metrics"] if row[0] < RESTATED]
    assert unchanged == [row for row in after["creator_daily_metrics"] if row[0] < RESTATED]

    nightly(settings=incremental)  # the change is recomputed once, not again
    assert last_run(incremental) == (CONFIG.end, CONFIG.end, f"{CONFIG.end}: run date")


def test_a_roster_change_reaches_every_computed_date(tmp_path, exports):
    settings = settings_in(tmp_path, exports)
    backfill(
        start=CONFIG.end - timedelta(days=9), end=CONFIG.end - timedelta(days=2), settings=settings
    )
    restate_roster(settings.exports_dir)
    nightly(settings=settings)
    first, last, why = last_run(settings)
    assert (first, last) == (CONFIG.end - timedelta(days=9), CONFIG.end)
    assert (
        f"{CONFIG.end - timedelta(days=9)} to {CONFIG.end - timedelta(days=2)}: roster.csv changed"
        in why
    )
    with duckdb.connect(str(settings.marts), read_only=True) as con:
        niches = con.execute(
            "select distinct as_of_date from marts.creator_daily_metrics where niche = 'knitting'"
        ).fetchall()
    assert len(niches) == 9  # the eight backfilled dates and the run date


def test_late_results_and_a_new_fee_reach_the_campaign_marts_in_the_next_nightly_run(
    tmp_path, exports
):
    """Campaign results are delivered late, a day is restated and a fee renegotiated: the next
    nightly run publishes the campaign marts a fresh full backfill would."""
    incremental = settings_in(tmp_path / "incremental", exports)
    days = sorted((incremental.exports_dir / "results").iterdir())
    late = days[2]
    held_back = tmp_path / "held-back"
    late.rename(held_back)
    backfill(start=FIRST, end=CONFIG.end, settings=incremental)
    before = published_marts(str(incremental.marts))

    held_back.rename(late)  # the late day arrives
    fees = incremental.exports_dir / "campaign_creators.csv"
    members = pl.read_csv(fees, infer_schema=False)
    fees.write_text(members.with_columns(fee=pl.lit("1234.50")).write_csv())
    nightly(settings=incremental)
    after = published_marts(str(incremental.marts))

    full = settings_in(tmp_path / "full", incremental.exports_dir)
    backfill(start=FIRST, end=CONFIG.end, settings=full)
    for mart in ("campaign_performance", "campaign_tier_summary"):
        assert after[mart] == published_marts(str(full.marts))[mart]
        assert after[mart] != before[mart]
    assert after["creator_daily_metrics"] == before["creator_daily_metrics"]  # nothing else


def test_a_late_audience_file_and_a_new_brief_reach_the_brief_matches_of_computed_dates(
    tmp_path, exports
):
    """Delivered late, an audience day reaches the brief matches of every computed date whose
    90 days hold it, and a changed briefs.csv those of every computed date; the nightly run
    recomputes only brief_matches for them, as a full backfill would."""
    week = [str(CONFIG.end - timedelta(days=n)) for n in range(3, 10)]
    late = sorted(
        p.relative_to(exports) for p in exports.glob("*/*/audience.*") if p.parent.name in week
    )
    incremental = settings_in(tmp_path / "incremental", exports)
    held_back = tmp_path / "held-back"
    for path in late:  # a week of audience files, delivered late
        (held_back / path).parent.mkdir(parents=True, exist_ok=True)
        (incremental.exports_dir / path).rename(held_back / path)
    backfill(start=FIRST, end=CONFIG.end, settings=incremental)
    before = published_marts(str(incremental.marts))

    for path in late:
        (held_back / path).rename(incremental.exports_dir / path)
    nightly(settings=incremental)
    with_late = published_marts(str(incremental.marts))
    full = settings_in(tmp_path / "full", exports)
    backfill(start=FIRST, end=CONFIG.end, settings=full)
    assert with_late == published_marts(str(full.marts))
    old, new = set(before["brief_matches"]), set(with_late["brief_matches"])
    changed = {row[0] for row in old ^ new}  # the dates whose matches the late day changed
    assert with_late["brief_matches"] != before["brief_matches"]
    assert with_late["creator_daily_metrics"] == before["creator_daily_metrics"]
    first, last, _ = last_run(incremental)
    assert (first, last) == (CONFIG.end, CONFIG.end)  # the creator metrics of one date only
    assert len(changed) > 1 and min(changed) >= date.fromisoformat(week[-1])

    briefs = incremental.exports_dir / "briefs.csv"
    briefs.write_text(briefs.read_text() + "B-ANY,Everyone,,,,,,,\n")
    nightly(settings=incremental)
    (full.exports_dir / "briefs.csv").write_text(briefs.read_text())
    backfill(start=FIRST, end=CONFIG.end, settings=full)
    after = published_marts(str(incremental.marts))
    assert after == published_marts(str(full.marts))
    dates = {row[0] for row in after["brief_matches"] if row[1] == "B-ANY"}
    assert min(dates) == FIRST and max(dates) == CONFIG.end  # every computed date
