"""No invented as-of dates: which ranges the loaded snapshots can support."""

from datetime import date, timedelta

import polars as pl
import pytest

from creatorlens.compute.dates import check_as_of_range, nightly_plan, range_plan
from creatorlens.errors import CreatorlensError

FIRST, LATEST = date(2026, 11, 1), date(2026, 11, 20)
LOADED = [FIRST + timedelta(days=n) for n in range(5)] + [date(2026, 11, 19), LATEST]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (LATEST, LATEST),
        (FIRST, FIRST),
        (FIRST, LATEST),
        (date(2026, 11, 8), date(2026, 11, 12)),  # in a gap, but 11-05 is within 6 days of 11-08
    ],
)
def test_dates_within_the_loaded_snapshots_are_accepted(start, end):
    check_as_of_range(start, end, LOADED)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (
            date(2026, 11, 21),
            date(2026, 11, 21),
            "as-of date 2026-11-21: the latest snapshot loaded is 2026-11-20",
        ),
        (
            date(2026, 11, 15),
            date(2026, 12, 15),
            "as-of dates 2026-11-15 to 2026-12-15: the latest snapshot loaded is 2026-11-20",
        ),
        (
            date(2025, 1, 1),
            date(2025, 1, 31),
            "the first snapshot loaded is 2026-11-01 (the latest is 2026-11-20)",
        ),
        (
            date(2026, 10, 25),
            date(2026, 11, 3),
            "the first snapshot loaded is 2026-11-01 (the latest is 2026-11-20)",
        ),
        (
            date(2026, 11, 12),
            date(2026, 11, 18),
            "no snapshot loaded from 2026-11-06 to 2026-11-18 (the latest is 2026-11-20)",
        ),
    ],
)
def test_dates_the_snapshots_cannot_support_are_refused_naming_the_latest(start, end, message):
    with pytest.raises(
        CreatorlensError, match="choose as-of dates from 2026-11-01 to 2026-11-20"
    ) as refused:
        check_as_of_range(start, end, LOADED)
    assert message in str(refused.value)


def test_a_date_in_a_gap_sees_a_snapshot_up_to_six_days_old():
    check_as_of_range(date(2026, 11, 11), date(2026, 11, 11), LOADED)  # 11-05 is 6 days back
    with pytest.raises(CreatorlensError, match="no snapshot loaded from 2026-11-06 to 2026-11-12"):
        check_as_of_range(date(2026, 11, 12), date(2026, 11, 12), LOADED)


def test_nothing_loaded_says_how_to_deliver_exports():
    with pytest.raises(CreatorlensError, match="no creator or post snapshots loaded yet"):
        check_as_of_range(LATEST, LATEST, [])


def pending(*rows: tuple[str, str, date | None]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={"load_id": pl.String, "reason": pl.String, "as_of_date": pl.Date},
        orient="row",
    )


def test_a_nightly_plan_adds_the_computed_dates_changes_reach_and_says_why():
    plan = nightly_plan(
        LATEST,
        pending(
            ("a", "tiktok/2026-11-03/posts.csv loaded", date(2026, 11, 3)),
            ("a", "tiktok/2026-11-03/posts.csv loaded", date(2026, 11, 4)),
            ("a", "tiktok/2026-11-03/posts.csv loaded", date(2026, 11, 19)),
            ("b", "roster.csv changed", date(2026, 11, 4)),
            ("c", "youtube/2026-11-20/creators.csv loaded", None),
        ),
    )
    assert plan.dates == [date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 19), LATEST]
    assert plan.ranges() == [(date(2026, 11, 3), date(2026, 11, 4)), (date(2026, 11, 19), LATEST)]
    assert plan.why == (
        "2026-11-20: run date; 2026-11-03 to 2026-11-04, 2026-11-19: tiktok/2026-11-03/posts.csv "
        "loaded; 2026-11-04: roster.csv changed"
    )
    assert plan.changes == ["a", "b", "c"]


def test_a_backfill_settles_only_changes_that_reach_no_date_outside_its_range():
    plan = range_plan(
        date(2026, 11, 1),
        date(2026, 11, 10),
        "backfill",
        pending(
            ("inside", "x", date(2026, 11, 2)),
            ("outside", "y", date(2026, 11, 2)),
            ("outside", "y", date(2026, 11, 11)),
            ("nowhere", "z", None),
        ),
    )
    assert plan.changes == ["inside", "nowhere"]
    assert plan.ranges(days=4)[-1] == (date(2026, 11, 9), date(2026, 11, 10))
    assert plan.why == "2026-11-01 to 2026-11-10: backfill"
