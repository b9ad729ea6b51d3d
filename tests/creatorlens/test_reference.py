"""Tier schemes and their default prices are data, complete for every platform and tier."""

import polars as pl
import pytest

from creatorlens.errors import CreatorlensError
from creatorlens.reference import REFERENCE_DIR, tier_scheme
from creatorlens.schemas.platforms import ADAPTERS
from creatorlens.transforms.tiers import tier_expr

SCHEMES = (
    pl.read_csv(REFERENCE_DIR / "tier_schemes.csv")["scheme"].unique(maintain_order=True).to_list()
)


def test_there_are_the_default_and_at_least_two_more_schemes():
    assert SCHEMES[0] == "default" and {"micro_2k_50k", "denmark"} <= set(SCHEMES)


@pytest.mark.parametrize("name", SCHEMES)
def test_each_scheme_starts_at_zero_and_prices_every_tier_on_every_platform(name):
    scheme = tier_scheme(name)
    assert scheme.tiers["min_followers"].min() == 0
    assert scheme.tiers["min_followers"].is_unique().all()
    priced = set(scheme.default_prices.select("platform", "tier").iter_rows())
    assert priced == {(p, t) for p in ADAPTERS for t in scheme.tiers["tier"]}
    assert (scheme.default_prices["price_per_post_usd"] > 0).all()


def test_the_default_scheme_carries_the_design_price_table():
    prices = tier_scheme("default").default_prices
    instagram = dict(
        prices.filter(pl.col("platform") == "instagram").select("tier", "price_per_post_usd").rows()
    )
    assert instagram == {
        "emerging": 10,
        "nano": 55,
        "micro": 300,
        "mid": 2750,
        "macro": 7500,
        "mega": 15000,
    }


@pytest.mark.parametrize(
    ("name", "followers", "tier"),
    [("micro_2k_50k", 1_999, "emerging"), ("micro_2k_50k", 2_000, "micro"), ("micro_2k_50k", 49_999, "micro"),
     ("denmark", 19_999, "micro"), ("denmark", 20_000, "macro"), ("denmark", 100_000, "mega")],
)  # fmt: skip
def test_scheme_bounds(name, followers, tier):
    frame = pl.DataFrame({"followers": [followers]})
    assert (
        frame.select(tier_expr(tier_scheme(name).tiers, pl.col("followers")).alias("t"))["t"][0]
        == tier
    )


def test_an_unknown_scheme_names_the_setting_and_the_choices():
    with pytest.raises(
        CreatorlensError,
        match="CREATORLENS_TIER_SCHEME: unknown tier scheme 'x'; use one of default",
    ):
        tier_scheme("x")
