"""Reference data kept as files: tier schemes (and later default prices)."""

from pathlib import Path

import polars as pl

from creatorlens.errors import CreatorlensError

REFERENCE_DIR = Path(__file__).resolve().parent


def tier_scheme(name: str) -> pl.DataFrame:
    """The tiers (tier, min_followers) of scheme `name` from tier_schemes.csv."""
    schemes = pl.read_csv(
        REFERENCE_DIR / "tier_schemes.csv", schema_overrides={"min_followers": pl.Int64}
    )
    chosen = schemes.filter(pl.col("scheme") == name)
    if chosen.is_empty():
        known = ", ".join(schemes["scheme"].unique(maintain_order=True))
        raise CreatorlensError(
            f"CREATORLENS_TIER_SCHEME: unknown tier scheme '{name}'; use one of {known}"
        )
    return chosen.select("tier", "min_followers")
