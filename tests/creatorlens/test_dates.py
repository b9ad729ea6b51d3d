"""No invented as-of dates: which ranges the loaded snapshots can support."""

from datetime import date, timedelta

import pytest

from creatorlens.dates import check_as_of_range
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
