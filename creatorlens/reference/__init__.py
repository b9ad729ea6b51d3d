"""Reference data kept as files (see README.md here): tier schemes, default prices and the
low-engagement lines of the authenticity assessment."""

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from creatorlens.errors import CreatorlensError, package_file
from creatorlens.schemas.authenticity_rules import DECLARED

REFERENCE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class TierScheme:
    """The reference data computing the marts applies: a tier scheme (its tiers' lower bounds
    and each tier's default price per platform), and the authenticity assessment's
    low-engagement lines and threshold (CREATORLENS_MIN_AUTHENTICITY)."""

    name: str
    tiers: pl.DataFrame  # tier, min_followers
    default_prices: pl.DataFrame  # platform, tier, price_per_post_usd
    low_engagement: pl.DataFrame  # platform, min_followers, low_engagement_per_follower
    min_authenticity: float


def low_engagement_lines() -> pl.DataFrame:
    """low_engagement.csv: platform, min_followers, low_engagement_per_follower."""
    return pl.read_csv(
        package_file(REFERENCE_DIR / "low_engagement.csv"),
        schema_overrides={"min_followers": pl.Int64, "low_engagement_per_follower": pl.Float64},
    )


def tier_scheme(name: str, min_authenticity: float | None = None) -> TierScheme:
    """Scheme `name` from tier_schemes.csv and default_prices.csv, with the low-engagement
    lines and `min_authenticity` (default: the declared one)."""
    schemes = pl.read_csv(
        package_file(REFERENCE_DIR / "tier_schemes.csv"),
        schema_overrides={"min_followers": pl.Int64},
    )
    tiers = schemes.filter(pl.col("scheme") == name)
    if tiers.is_empty():
        known = ", ".join(schemes["scheme"].unique(maintain_order=True))
        raise CreatorlensError(
            f"CREATORLENS_TIER_SCHEME: unknown tier scheme '{name}'; use one of {known}"
        )
    prices = pl.read_csv(
        package_file(REFERENCE_DIR / "default_prices.csv"),
        schema_overrides={"price_per_post_usd": pl.Float64},
    ).filter(pl.col("scheme") == name)
    return TierScheme(
        name,
        tiers.select("tier", "min_followers"),
        prices.select("platform", "tier", "price_per_post_usd"),
        low_engagement_lines(),
        DECLARED.score["min_authenticity"] if min_authenticity is None else min_authenticity,
    )
