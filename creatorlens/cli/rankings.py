"""Reading a published ranking the way `creatorlens top` asks for it, with errors that list
what there is to ask for."""

from datetime import date

import duckdb
import polars as pl

from creatorlens.compute.dates import spans
from creatorlens.errors import CreatorlensError
from creatorlens.runs import check_platforms
from creatorlens.warehouse import query_frame

UNRANKED_TIER = "emerging"
"""The tier design section 4 leaves out of every ranking."""


def ranking(
    con: duckdb.DuckDBPyConnection,
    platform: str,
    tier: str,
    *,
    as_of_date: date | None,
    niche: str | None,
    country: str | None,
    limit: int,
) -> pl.DataFrame:
    """The ranked creators of one platform and tier on `as_of_date` (default: the latest)."""
    check_platforms([platform])
    choices = query_frame(con, "reports/ranking_choices", platform=platform)
    dates = choices["as_of_date"].unique().sort().to_list()
    if not dates:
        raise CreatorlensError(f"no ranked {platform} creators in the published marts")
    if as_of_date is not None and as_of_date not in dates:
        raise CreatorlensError(
            f"--date {as_of_date}: no {platform} ranking published for that date; "
            f"published as-of dates: {spans(dates)}"
        )
    as_of_date = as_of_date or dates[-1]
    tiers = choices.filter(pl.col("as_of_date") == as_of_date)["tier"].to_list()
    if tier not in tiers:
        why = (
            f"{UNRANKED_TIER} creators are never ranked"
            if tier == UNRANKED_TIER
            else f"no ranked {platform} creators in tier '{tier}' on {as_of_date}"
        )
        raise CreatorlensError(f"--tier {tier}: {why}; ranked tiers: {', '.join(tiers)}")
    ranked = query_frame(
        con,
        "reports/ranking",
        platform=platform,
        tier=tier,
        as_of_date=as_of_date,
        niche=niche,
        country=country,
        limit=limit,
    )
    if ranked.is_empty():
        only = " and ".join(f"{k} '{v}'" for k, v in (("niche", niche), ("country", country)) if v)
        raise CreatorlensError(
            f"no ranked {platform} {tier} creators of {only} on {as_of_date}; "
            "drop --niche/--country or try another tier"
        )
    return ranked
