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


def brief_ranking(
    con: duckdb.DuckDBPyConnection,
    brief_id: str,
    *,
    platform: str | None,
    as_of_date: date | None,
    limit: int,
) -> tuple[str, date, pl.DataFrame]:
    """(the brief's brand, the as-of date, its ranked creators on it: one platform or all),
    by lowest cost per targeted engagement."""
    if platform is not None:
        check_platforms([platform])
    choices = query_frame(con, "reports/brief_choices")
    briefs = choices["brief_id"].unique().sort().to_list()
    if brief_id not in briefs:
        known = ", ".join(briefs) or "none (deliver briefs.csv, then run)"
        raise CreatorlensError(f"--brief {brief_id}: no such brief published; briefs: {known}")
    mine = choices.filter(pl.col("brief_id") == brief_id)
    dates = mine["as_of_date"].to_list()
    if as_of_date is not None and as_of_date not in dates:
        raise CreatorlensError(
            f"--date {as_of_date}: brief {brief_id} is not published for that date; "
            f"published as-of dates: {spans(dates)}"
        )
    as_of_date = as_of_date or dates[-1]
    ranked = query_frame(
        con,
        "reports/brief_ranking",
        brief_id=brief_id,
        platform=platform,
        as_of_date=as_of_date,
        limit=limit,
    )
    if ranked.is_empty():
        where = f"{platform} " if platform else ""
        raise CreatorlensError(
            f"--brief {brief_id}: no {where}creator is ranked for it on {as_of_date} (none "
            "passes its filters with an audience snapshot of the last 30 days)"
        )
    return mine["brand"][0], as_of_date, ranked
