from datetime import date, timedelta

import polars as pl
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from creatorlens.transforms.followers import latest_creator_snapshots

D = date(2026, 3, 10)


def snapshots(*rows: tuple[str, date, int | None]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "platform": "instagram",
                "account_id": a,
                "snapshot_date": d,
                "handle": f"h{a}",
                "followers": f,
            }
            for a, d, f in rows
        ],
        schema_overrides={"followers": pl.Int64},
    )


def test_staleness_window_is_d_minus_6_to_d():
    result = latest_creator_snapshots(
        snapshots(
            ("on_d", date(2026, 3, 10), 10),
            ("d_minus_6", date(2026, 3, 4), 20),
            ("d_minus_7", date(2026, 3, 3), 30),
            ("after_d", date(2026, 3, 11), 40),
        ),
        D,
        D,
    )
    assert sorted(result["account_id"].to_list()) == ["d_minus_6", "on_d"]


def test_latest_snapshot_wins_even_when_it_hides_followers():
    result = latest_creator_snapshots(
        snapshots(
            ("a", date(2026, 3, 5), 100),
            ("a", date(2026, 3, 9), None),
            ("a", date(2026, 3, 12), 300),
        ),
        D,
        D,
    )
    expected = pl.DataFrame(
        {
            "as_of_date": [D],
            "platform": ["instagram"],
            "account_id": ["a"],
            "handle": ["ha"],
            "followers": [None],
        },
        schema_overrides={"followers": pl.Int64},
    )
    assert_frame_equal(result, expected)


def test_a_range_of_dates_gives_each_date_its_own_latest_snapshot():
    result = latest_creator_snapshots(
        snapshots(("a", date(2026, 3, 1), 100), ("a", date(2026, 3, 3), 130)),
        date(2026, 3, 1),
        date(2026, 3, 10),
    )
    by_date = dict(result.select("as_of_date", "followers").rows())
    assert by_date == {
        date(2026, 3, 1): 100,
        date(2026, 3, 2): 100,
        **{date(2026, 3, d): 130 for d in range(3, 10)},
    }


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.sampled_from([-8, -7, -6, -1, 0, 1]) | st.integers(min_value=-10, max_value=2),
            st.none() | st.integers(min_value=0, max_value=10**6),
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda row: (row[0], row[1]),  # a creator has one snapshot a day
    )
)
def test_one_as_of_date_gives_what_a_range_gives_on_that_date(rows):
    """A single as-of date takes a path of its own (no as-of join): its rows must be the
    range's rows of that date (staleness edges, hidden counts, later snapshots)."""
    frame = snapshots(*((a, D + timedelta(days=days), f) for a, days, f in rows))
    one = latest_creator_snapshots(frame, D, D).sort("account_id")
    ranged = latest_creator_snapshots(frame, D - timedelta(days=2), D)
    assert_frame_equal(one, ranged.filter(pl.col("as_of_date") == D).sort("account_id"))
