"""Why a creator is or is not flagged: its authenticity assessment on an as-of date and the
events behind it, from the published marts (`creatorlens explain`)."""

from datetime import date
from typing import NamedTuple

import duckdb
import polars as pl

from creatorlens.compute.dates import spans
from creatorlens.errors import CreatorlensError
from creatorlens.runs import check_platforms
from creatorlens.warehouse import query_frame


class Explanation(NamedTuple):
    """A creator's assessment on one as-of date and the events of its window."""

    platform: str
    account_id: str
    assessment: dict
    events: pl.DataFrame


def explain(
    con: duckdb.DuckDBPyConnection, platform: str, account_id: str, as_of_date: date | None
) -> Explanation:
    """The assessment of (platform, account_id) on `as_of_date` (default: its latest)."""
    check_platforms([platform])
    days = query_frame(con, "reports/explain_creator", platform=platform, account_id=account_id)
    if days.is_empty():
        raise CreatorlensError(
            f"--account {account_id}: no such {platform} creator in the published marts "
            "(the account id is the platform's key: Instagram/YouTube id, TikTok username)"
        )
    if as_of_date is not None and as_of_date not in days["as_of_date"].to_list():
        raise CreatorlensError(
            f"--date {as_of_date}: {platform} {account_id} has no row that day; its as-of "
            f"dates: {spans(days['as_of_date'].to_list())}"
        )
    row = days.filter(pl.col("as_of_date") == (as_of_date or days["as_of_date"].max())).row(
        0, named=True
    )
    events = query_frame(
        con,
        "reports/explain_events",
        platform=platform,
        account_id=account_id,
        as_of_date=row["as_of_date"],
    )
    return Explanation(platform, account_id, row, events)
