import polars as pl
import pytest

from transforms.tiers import tier_expr

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
