"""Price per post in USD (rate card and FX in force, else the tier default) and cost efficiency."""

import polars as pl

from creatorlens.transforms.followers import CREATOR

USD = "USD"


def rate_cards_in_force(
    creators: pl.DataFrame, rate_cards: pl.DataFrame, fx_rates: pl.DataFrame
) -> pl.DataFrame:
    """One row per creator per as-of date: the rate card in force (latest valid_from <= D), its
    currency's FX rate in force on D (USD is 1) and the card's price in USD (null without FX)."""
    cards = rate_cards.sort(*CREATOR, "valid_from")
    with_card = (
        creators.select("as_of_date", *CREATOR)
        .sort(*CREATOR, "as_of_date")
        .join_asof(
            cards,
            left_on="as_of_date",
            right_on="valid_from",
            by=CREATOR,
            strategy="backward",
            check_sortedness=False,
        )
    )
    with_fx = with_usd_per_unit(with_card, "as_of_date", fx_rates)
    return with_fx.with_columns(card_price_usd=pl.col("price_per_post") * pl.col("usd_per_unit"))


def with_usd_per_unit(frame: pl.DataFrame, on: str, fx_rates: pl.DataFrame) -> pl.DataFrame:
    """`frame` (rows in any order) with `usd_per_unit`: the FX rate of its `currency` in force
    on its date column `on` (latest valid_from <= that date; USD is 1; null when none is)."""
    rates = fx_rates.sort("currency", "valid_from").select(
        "currency", pl.col("valid_from").alias("fx_valid_from"), pl.col("usd_per_unit")
    )
    matched = frame.sort("currency", on).join_asof(
        rates,
        left_on=on,
        right_on="fx_valid_from",
        by="currency",
        strategy="backward",
        check_sortedness=False,
    )
    usd = pl.when(pl.col("currency") == USD).then(1.0).otherwise(pl.col("usd_per_unit"))
    return matched.with_columns(usd_per_unit=usd).drop("fx_valid_from")


def unusable_rate_cards(cards_in_force: pl.DataFrame) -> pl.DataFrame:
    """Rate cards in force on some as-of date whose currency has no FX rate in force then."""
    unusable = pl.col("price_per_post").is_not_null() & pl.col("card_price_usd").is_null()
    return cards_in_force.filter(unusable).select(*CREATOR, "valid_from", "currency").unique()


def price_per_post(
    creators: pl.DataFrame, cards_in_force: pl.DataFrame, default_prices: pl.DataFrame
) -> pl.DataFrame:
    """creators (as_of_date, platform, account_id, tier) with price_per_post_usd, price_source."""
    priced = creators.join(
        cards_in_force.select("as_of_date", *CREATOR, "card_price_usd"),
        on=["as_of_date", *CREATOR],
        how="left",
    ).join(default_prices, on=["platform", "tier"], how="left")
    from_card = pl.col("card_price_usd").is_not_null()
    from_default = pl.col("price_per_post_usd").is_not_null()
    return priced.with_columns(
        price_per_post_usd=pl.when(from_card)
        .then(pl.col("card_price_usd"))
        .otherwise(pl.col("price_per_post_usd")),
        price_source=pl.when(from_card)
        .then(pl.lit("rate_card"))
        .when(from_default)
        .then(pl.lit("tier_default")),
    ).drop("card_price_usd")


def cost_efficiency() -> list[pl.Expr]:
    """cpe_usd, cpv_usd and cost_per_1k_followers_usd from price and 30-day window columns."""
    price = pl.col("price_per_post_usd")
    engagements_per_post = pl.col("engagements_30d") / pl.col("posts_30d")
    views_per_post = pl.col("views_30d") / pl.col("posts_with_views_30d")
    return [
        pl.when(pl.col("posts_30d") > 0, pl.col("engagements_30d") > 0)
        .then(price / engagements_per_post)
        .alias("cpe_usd"),
        pl.when(pl.col("posts_with_views_30d") > 0, pl.col("views_30d") > 0)
        .then(price / views_per_post)
        .alias("cpv_usd"),
        pl.when(pl.col("followers") > 0)
        .then(price * 1000 / pl.col("followers"))
        .alias("cost_per_1k_followers_usd"),
    ]
