"""Reference data kept as files (see README.md here): tier schemes and default prices."""

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from creatorlens.errors import CreatorlensError

REFERENCE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class TierScheme:
    """A tier scheme: its tiers' lower bounds and each tier's default price per platform."""

    name: str
    tiers: pl.DataFrame  # tier, min_followers
    default_prices: pl.DataFrame  # platform, tier, price_per_post_usd


def tier_scheme(name: str) -> TierScheme:
    """Scheme `name` from tier_schemes.csv and default_prices.csv."""
    schemes = pl.read_csv(
        REFERENCE_DIR / "tier_schemes.csv", schema_overrides={"min_followers": pl.Int64}
    )
    tiers = schemes.filter(pl.col("scheme") == name)
    if tiers.is_empty():
        known = ", ".join(schemes["scheme"].unique(maintain_order=True))
        raise CreatorlensError(
            f"CREATORLENS_TIER_SCHEME: unknown tier scheme '{name}'; use one of {known}"
        )
    prices = pl.read_csv(
        REFERENCE_DIR / "default_prices.csv", schema_overrides={"price_per_post_usd": pl.Float64}
    ).filter(pl.col("scheme") == name)
    return TierScheme(
        name,
        tiers.select("tier", "min_followers"),
        prices.select("platform", "tier", "price_per_post_usd"),
    )
