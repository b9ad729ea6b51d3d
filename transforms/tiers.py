"""Follower tiers under a tier scheme (lower bounds inclusive)."""

import polars as pl


def tier_expr(scheme: pl.DataFrame, followers: pl.Expr) -> pl.Expr:
    """The tier of a follower count under `scheme` (tier, min_followers); null when followers are.

    A count belongs to the tier with the highest min_followers it reaches.
    """
    expr = pl.lit(None, pl.String)
    for tier, min_followers in scheme.sort("min_followers").select("tier", "min_followers").rows():
        expr = pl.when(followers >= min_followers).then(pl.lit(tier)).otherwise(expr)
    return expr
