from datetime import date, timedelta

import polars as pl
import pytest

from creatorlens.transforms.pricing import (
    cost_efficiency,
    price_per_post,
    rate_cards_in_force,
    unusable_rate_cards,
)

D = date(2026, 3, 10)
DEFAULTS = pl.DataFrame(
    {"platform": ["instagram"], "tier": ["micro"], "price_per_post_usd": [300.0]}
)
FX = pl.DataFrame(
    {
        "currency": ["EUR", "EUR", "DKK"],
        "usd_per_unit": [1.10, 1.20, 0.15],
        "valid_from": [date(2026, 1, 1), D, date(2026, 1, 1)],
    }
)


def creators(tier: str | None = "micro", as_of: date = D) -> pl.DataFrame:
    return pl.DataFrame(
        {"as_of_date": [as_of], "platform": ["instagram"], "account_id": ["a"], "tier": [tier]},
        schema_overrides={"tier": pl.String},
    )


def cards(*rows: tuple[float, str, date]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"platform": "instagram", "account_id": "a", "price_per_post": p, "currency": c, "valid_from": v}
            for p, c, v in rows
        ],
        schema={
            "platform": pl.String, "account_id": pl.String, "price_per_post": pl.Float64,
            "currency": pl.String, "valid_from": pl.Date,
        },
    )  # fmt: skip


def priced(rate_cards: pl.DataFrame, fx: pl.DataFrame = FX, **creator) -> tuple:
    who = creators(**creator)
    in_force = rate_cards_in_force(who, rate_cards, fx)
    return (
        price_per_post(who, in_force, DEFAULTS).select("price_per_post_usd", "price_source").row(0)
    )


def test_a_card_starting_on_d_is_in_force_and_one_starting_the_day_after_is_not():
    both = cards(
        (100.0, "USD", date(2026, 1, 1)), (200.0, "USD", D), (999.0, "USD", D + timedelta(days=1))
    )
    assert priced(both) == (200.0, "rate_card")


def test_fx_rate_in_force_on_d_converts_and_a_change_on_d_applies():
    eur = cards((100.0, "EUR", date(2026, 2, 1)))
    assert priced(eur) == (pytest.approx(120.0), "rate_card")
    assert priced(eur, as_of=D - timedelta(days=1)) == (pytest.approx(110.0), "rate_card")


def test_a_card_without_an_fx_rate_in_force_is_not_used_and_is_reported():
    gbp = cards((100.0, "GBP", date(2026, 2, 1)))
    assert priced(gbp) == (300.0, "tier_default")
    in_force = rate_cards_in_force(creators(), gbp, FX)
    assert unusable_rate_cards(in_force).select("currency", "valid_from").rows() == [
        ("GBP", date(2026, 2, 1))
    ]


def test_fx_rate_starting_after_d_is_not_in_force():
    late_fx = pl.DataFrame(
        {"currency": ["SEK"], "usd_per_unit": [0.1], "valid_from": [D + timedelta(days=1)]}
    )
    assert priced(cards((100.0, "SEK", date(2026, 2, 1))), late_fx) == (300.0, "tier_default")


def test_no_card_uses_the_tier_default_and_no_tier_has_no_price():
    assert priced(cards()) == (300.0, "tier_default")
    assert priced(cards(), tier=None) == (None, None)


def efficiency(**columns) -> dict:
    base = {"price_per_post_usd": 300.0, "posts_30d": 3, "engagements_30d": 600, "views_30d": 6000,
            "posts_with_views_30d": 2, "followers": 10_000}  # fmt: skip
    frame = pl.DataFrame([{**base, **columns}], schema_overrides={"followers": pl.Int64})
    return frame.select(cost_efficiency()).row(0, named=True)


def test_cost_per_engagement_view_and_thousand_followers():
    assert efficiency() == {
        "cpe_usd": pytest.approx(300 / (600 / 3)),
        "cpv_usd": pytest.approx(300 / (6000 / 2)),
        "cost_per_1k_followers_usd": pytest.approx(300 * 1000 / 10_000),
    }


@pytest.mark.parametrize(
    ("columns", "nulls"),
    [
        ({"posts_30d": 0, "engagements_30d": 0}, {"cpe_usd"}),
        ({"engagements_30d": 0}, {"cpe_usd"}),
        ({"posts_with_views_30d": 0, "views_30d": 0}, {"cpv_usd"}),
        ({"followers": 0}, {"cost_per_1k_followers_usd"}),
        ({"followers": None}, {"cost_per_1k_followers_usd"}),
        ({"price_per_post_usd": None}, {"cpe_usd", "cpv_usd", "cost_per_1k_followers_usd"}),
    ],
)
def test_nulls_where_a_ratio_has_nothing_to_divide_by(columns, nulls):
    result = efficiency(**columns)
    assert {name for name, value in result.items() if value is None} == nulls
