from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from creatorlens.transforms.tiers import tier_expr, tier_history

DEFAULT = pl.DataFrame(
    {
        "tier": ["emerging", "nano", "micro", "mid", "macro", "mega"],
        "min_followers": [0, 1_000, 10_000, 50_000, 500_000, 1_000_000],
    }
)


@pytest.mark.parametrize(
    ("followers", "tier"),
    [
        (0, "emerging"),
        (999, "emerging"),
        (1_000, "nano"),
        (9_999, "nano"),
        (10_000, "micro"),
        (49_999, "micro"),
        (50_000, "mid"),
        (499_999, "mid"),
        (500_000, "macro"),
        (999_999, "macro"),
        (1_000_000, "mega"),
        (250_000_000, "mega"),
        (None, None),
    ],
)
def test_lower_bounds_are_inclusive(followers, tier):
    frame = pl.DataFrame({"followers": [followers]}, schema={"followers": pl.Int64})
    assert frame.select(tier_expr(DEFAULT, pl.col("followers")).alias("tier"))["tier"][0] == tier


def test_scheme_order_in_the_data_does_not_matter():
    shuffled = DEFAULT.reverse()
    frame = pl.DataFrame({"followers": [1_000]})
    assert frame.select(tier_expr(shuffled, pl.col("followers")).alias("tier"))["tier"][0] == "nano"


DENMARK = pl.DataFrame({"tier": ["micro", "macro", "mega"], "min_followers": [0, 20_000, 100_000]})


@pytest.mark.parametrize(
    ("followers", "tier"),
    [(0, "micro"), (19_999, "micro"), (20_000, "macro"), (99_999, "macro"), (100_000, "mega")],
)
def test_danish_scheme_boundaries(followers, tier):
    frame = pl.DataFrame({"followers": [followers]})
    assert frame.select(tier_expr(DENMARK, pl.col("followers")).alias("tier"))["tier"][0] == tier


def test_tier_history_stretches_end_the_day_before_the_next_and_the_last_is_current():
    days = [date(2026, 3, d) for d in (1, 2, 3, 5, 6, 7)]
    daily = pl.DataFrame(
        {
            "platform": ["tiktok"] * 6,
            "account_id": ["a"] * 6,
            "as_of_date": days,
            "tier": ["nano", "nano", "micro", None, "micro", "nano"],
        }
    )
    assert tier_history(daily).select("tier", "valid_from", "valid_to").rows() == [
        ("nano", date(2026, 3, 1), date(2026, 3, 2)),
        ("micro", date(2026, 3, 3), date(2026, 3, 6)),
        ("nano", date(2026, 3, 7), None),
    ]


def stretches_by_hand(rows: list[tuple]) -> list[tuple]:
    """tier_history, the plain way: each creator's dated tiers in order, a stretch per run of
    one tier, ending the day before the next run starts."""
    result = []
    for creator in sorted({row[:2] for row in rows}):
        known = sorted((day, tier) for *key, day, tier in rows if tuple(key) == creator and tier)
        runs = [
            (day, tier) for n, (day, tier) in enumerate(known) if n == 0 or known[n - 1][1] != tier
        ]
        for n, (day, tier) in enumerate(runs):
            end = runs[n + 1][0] - timedelta(days=1) if n + 1 < len(runs) else None
            result.append((*creator, tier, day, end))
    return result


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["tiktok", "youtube"]),
            st.sampled_from(["a", "b", "c"]),
            st.integers(min_value=0, max_value=20),
            st.sampled_from(["nano", "micro", None]),
        ),
        max_size=40,
        unique_by=lambda row: row[:3],  # a creator has one tier a day
    )
)
def test_tier_history_gives_the_stretches_by_hand(rows):
    dated = [(p, a, date(2026, 3, 1) + timedelta(days=d), t) for p, a, d, t in rows]
    daily = pl.DataFrame(
        dated,
        schema={
            "platform": pl.String,
            "account_id": pl.String,
            "as_of_date": pl.Date,
            "tier": pl.String,
        },
        orient="row",
    )
    assert tier_history(daily).rows() == stretches_by_hand(dated)
