from datetime import date

import polars as pl
import pytest

from transforms.tiers import tier_expr, tier_history

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
