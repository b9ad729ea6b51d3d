"""What the CLI prints for people: run summaries, validation, status, rankings."""

from __future__ import annotations  # the type-only imports below

from datetime import date
from typing import TYPE_CHECKING

import polars as pl
from rich.console import Console
from rich.table import Table

from creatorlens.compute.dates import span
from creatorlens.errors import CreatorlensError
from creatorlens.formatting import coverage_lines
from creatorlens.settings import Settings
from creatorlens.warehouse import open_marts, query_frame

if TYPE_CHECKING:  # `status` and `top` stay quick: no loader (pandera) to import
    import duckdb

    from creatorlens.cli.explain import Explanation
    from creatorlens.flows.pipeline import RunSummary
    from creatorlens.ingest.report import LoadReport

RANKING_COLUMNS = {
    "rank": "#",
    "creator": "creator",
    "niche": "niche",
    "country": "country",
    "followers": "followers",
    "engagement_rate_30d": "ER 30d",
    "cpe_usd": "CPE",
    "price_per_post_usd": "price",
    "price_source": "price from",
    "authenticity_score": "authentic",
}
"""A ranking's columns as the tables show them (machine-readable output keeps the names)."""

FORMATS = {"ER 30d": "{:.2%}", "CPE": "${:.3f}", "price": "${:,.0f}", "authentic": "{:.0f}"}


def _table(title: str, frame: pl.DataFrame, formats: dict[str, str] | None = None) -> Table:
    """A rich table of a polars frame, numbers right-aligned; only long reasons fold."""
    formats = formats or {}
    table = Table(title=title, title_justify="left")
    for name, dtype in frame.schema.items():
        justify = "right" if dtype.is_numeric() else "left"
        table.add_column(name, justify=justify, no_wrap=name != "reason", overflow="fold")
    for row in frame.iter_rows(named=True):
        table.add_row(*[_format(row[name], formats.get(name)) for name in frame.columns])
    return table


def _format(value: object, pattern: str | None) -> str:
    if value is None:
        return ""
    if pattern:
        return pattern.format(value)
    if isinstance(value, float):
        return f"{value:,.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_summary(console: Console, summary: RunSummary, settings: Settings) -> None:
    """Files and rows loaded, what was written and published, and each platform's top
    creators per tier on the run's last as-of date (platforms without data are left out)."""
    loads = summary.loads
    platforms = f" ({', '.join(summary.platforms)})" if summary.platforms else ""
    console.print(
        f"\n[bold]creatorlens {summary.flow}[/] {summary.run_id} as of "
        f"[bold]{span(summary.start, summary.end)}[/]{platforms}\n"
        f"  files: {loads.count('loaded')} loaded, {loads.count('unchanged')} unchanged, "
        f"{loads.count('rejected')} rejected\n"
        f"  rows:  {loads.rows_loaded:,} loaded, {loads.rows_quarantined:,} quarantined "
        f"({loads.quarantine_share:.3%}), "
        f"{sum(f.rows_duplicate for f in loads.files):,} duplicates dropped\n"
        f"  marts: {summary.rows_computed:,} creator rows computed, {summary.rows_written:,} "
        f"mart rows written; {settings.marts} holds {summary.rows_published:,} rows",
        highlight=False,
    )
    with open_marts(settings.marts) as con:  # once: each opening reads the file's catalog
        top = query_frame(
            con, "reports/top_creators_all_platforms", as_of_date=summary.end, per_tier=3
        )
        coverage = query_frame(con, "reports/price_and_roster", as_of_date=summary.end)
        for line in coverage_lines(coverage.row(0, named=True)):
            console.print(f"  {line}", highlight=False)
        for (platform,), rows in top.group_by("platform", maintain_order=True):
            if summary.platforms and platform not in summary.platforms:
                continue
            title = f"Top {platform} creators per tier by cost per engagement, {summary.end}"
            console.print(_ranking_table(title, rows.drop("platform")))
        if top.is_empty():
            console.print(f"No creator is ranked on {summary.end}.")
        tiers = query_frame(con, "reports/campaign_tiers")
        if tiers.height:
            title = "Campaign results by tier, all campaigns (`creatorlens campaigns` for creators)"
            console.print(_campaign_table(title, tiers))
            flagged = query_frame(con, "reports/campaign_authenticity")
            console.print(_campaign_table(AUTHENTICITY_TITLE, flagged))
        _print_first_brief(console, con, summary.end)
    print_legend(console, ABBREVIATIONS | (CAMPAIGN_ABBREVIATIONS if tiers.height else {}))
    if summary.report:
        console.print(f"report: {summary.report}", highlight=False, soft_wrap=True)


ABBREVIATIONS = {
    "ER 30d": "engagement rate: the last 30 days' engagements per post, over followers",
    "CPE": "cost per engagement: the price of a post over its engagements on average (USD)",
    "price from": "rate_card, the creator's own price; tier_default, the tier's typical price "
    "(reference data), when no rate card is in force",
    "authentic": "0-100, how real the audience's growth looks (blank: too little history)",
}
CAMPAIGN_ABBREVIATIONS = {
    "ROAS": "return on ad spend: revenue over fees",
    "CPA": "cost per acquisition: fee over purchases; CPC: fee over clicks (USD)",
}


def print_legend(console: Console, abbreviations: dict[str, str]) -> None:
    """The abbreviations of the tables above, explained once."""
    width = max(len(name) for name in abbreviations)
    for name, meaning in abbreviations.items():
        console.print(f"  {name:<{width}}  {meaning}", highlight=False)
    console.print("  (every column: docs/marts.md)", highlight=False)


BRIEF_SHOWN = 8


def _print_first_brief(console: Console, con: duckdb.DuckDBPyConnection, day: date) -> None:
    """The first brief's best creators over all platforms, by cost per targeted engagement,
    beside their plain cost per engagement (`creatorlens top --brief` for each brief)."""
    briefs = con.sql(
        "select brief_id, any_value(brand) from marts.brief_matches"
        " where as_of_date = $day and rank is not null group by 1 order by 1",
        params={"day": day},
    ).fetchall()
    if not briefs:
        return
    brief, brand = briefs[0]
    ranked = query_frame(con, "reports/brief_ranking", brief_id=brief, platform=None,
                         as_of_date=day, limit=BRIEF_SHOWN)  # fmt: skip
    best = ranked.sort("cost_per_targeted_engagement_usd").head(BRIEF_SHOWN)
    others = ", ".join(b for b, _ in briefs[1:])
    title = (
        f"Brief {brief} ({brand}): the best creators by cost per engagement from its audience, "
        f"{day}; # by CPE is their place by plain cost per engagement"
        + (f" (`creatorlens top --brief` for {others})" if others else "")
    )
    console.print(brief_table(title, best))


CAMPAIGN_COLUMNS = {
    "fee_usd": "fee",
    "revenue_usd": "revenue",
    "roas": "ROAS",
    "median_cpa_usd": "median CPA",
    "median_cpc_usd": "median CPC",
    "cpa_usd": "CPA",
    "cpc_usd": "CPC",
    "expected_cpe_usd": "expected CPE",
    "cpe_usd": "CPE",
    "results_through": "results to",
    "median_expected_cpe_usd": "median expected CPE",
    "median_cpe_usd": "median CPE",
    "median_conversion_rate": "median conversion",
}
"""Campaign columns as the tables show them."""
CAMPAIGN_FORMATS = {
    "fee": "${:,.0f}",
    "revenue": "${:,.0f}",
    "ROAS": "{:.2f}x",
    "median CPA": "${:,.2f}",
    "median CPC": "${:,.2f}",
    "CPA": "${:,.2f}",
    "CPC": "${:,.2f}",
    "expected CPE": "${:.3f}",
    "CPE": "${:.3f}",
    "median expected CPE": "${:.3f}",
    "median CPE": "${:.3f}",
    "median conversion": "{:.2%}",
}
AUTHENTICITY_TITLE = (
    "Campaign creators by authenticity (suspicious_growth on their latest as-of date): what "
    "engagement promised and what a purchase cost"
)


def _campaign_table(title: str, frame: pl.DataFrame) -> Table:
    shown = frame.rename({k: v for k, v in CAMPAIGN_COLUMNS.items() if k in frame.columns})
    return _table(title, shown, CAMPAIGN_FORMATS)


def print_campaigns(console: Console, con, campaign: str | None) -> None:
    """Each campaign's creators, best return on spend first (one campaign, or all)."""
    known = query_frame(con, "reports/campaign_ids")
    if known.is_empty():
        raise CreatorlensError(
            "no campaigns in the published marts; deliver campaigns.csv, campaign_creators.csv "
            "and results/<YYYY-MM-DD>/results.csv to the exports folder and run"
        )
    if campaign is not None and campaign not in known["campaign_id"].to_list():
        listed = ", ".join(known["campaign_id"].to_list())
        raise CreatorlensError(f"--campaign {campaign}: no such campaign; published: {listed}")
    creators = query_frame(con, "reports/campaign_creators", campaign=campaign)
    for about in known.iter_rows(named=True):
        if campaign is not None and about["campaign_id"] != campaign:
            continue
        rows = creators.filter(pl.col("campaign") == about["campaign_id"]).drop("campaign")
        named = " ".join(filter(None, (about["brand"], about["campaign_name"])))
        dates = (
            span(about["start_date"], about["end_date"])
            if about["start_date"]
            else "not in campaigns.csv"
        )
        title = f"{about['campaign_id']}: {named or '(no name)'}, {dates} (by return on spend)"
        console.print(_campaign_table(title, rows))
    if campaign is None:
        console.print(
            _campaign_table(AUTHENTICITY_TITLE, query_frame(con, "reports/campaign_authenticity"))
        )


def _ranking_table(title: str, ranking: pl.DataFrame) -> Table:
    shown = ranking.rename({k: v for k, v in RANKING_COLUMNS.items() if k in ranking.columns})
    return _table(title, shown, FORMATS)


def print_validation(console: Console, report: LoadReport, quarantined: pl.DataFrame) -> None:
    """Each file's outcome as if loaded, then the quarantine rules that would fire."""
    console.print(
        f"{report.count('valid')} files valid, {report.count('rejected')} rejected; "
        f"{report.rows_read:,} rows, {report.rows_quarantined:,} would be quarantined "
        f"({report.quarantine_share:.3%})",
        highlight=False,
    )
    rejected = pl.DataFrame(
        [{"file": f.file, "reason": f.message} for f in report.files if f.status == "rejected"],
        schema={"file": pl.String, "reason": pl.String},
    )
    with_quarantine = pl.DataFrame(
        [
            {"file": f.file, "rows": f.rows_read, "quarantined": f.rows_quarantined}
            for f in report.files
            if f.status != "rejected" and f.rows_quarantined
        ],
        schema={"file": pl.String, "rows": pl.Int64, "quarantined": pl.Int64},
    )
    if rejected.height:
        console.print(_table("Files that would be rejected", rejected))
    if with_quarantine.height:
        console.print(_table("Valid files with rows that would be quarantined", with_quarantine))
    if quarantined.height:
        rules = (
            quarantined.group_by("field", "rule")
            .agg(
                pl.len().alias("rows"),
                pl.col("file").n_unique().alias("files"),
                pl.col("value").first().alias("example"),
            )
            .sort("rows", descending=True)
        )
        console.print(_table("Rows that would be quarantined, by rule", rules))


def print_status(console: Console, con, limit: int) -> None:
    """Recent runs, loads by status, quarantine by rule, from the published ops tables."""
    console.print(_table("Recent runs", query_frame(con, "reports/status_runs", limit=limit)))
    console.print(_table("Loads", query_frame(con, "reports/status_loads")))
    console.print(_table("Quarantined rows by rule", query_frame(con, "reports/status_quarantine")))


def print_ranking(console: Console, ranking: pl.DataFrame, platform: str, tier: str) -> None:
    """A ranking table of one platform and tier."""
    title = f"{platform} {tier} creators by cost per engagement, {ranking['as_of_date'][0]}"
    console.print(_ranking_table(title, ranking.drop("as_of_date", "account_id", "handle")))


BRIEF_COLUMNS = {
    "platform": "platform",
    "rank": "#",
    "creator": "creator",
    "followers": "followers",
    "target_share": "audience in brief",
    "country_share": "country",
    "age_share": "age",
    "gender_share": "gender",
    "cost_per_targeted_engagement_usd": "cost per targeted engagement",
    "cpe_usd": "CPE",
    "cpe_rank": "# by CPE",
}
BRIEF_FORMATS = {
    "audience in brief": "{:.1%}", "country": "{:.0%}", "age": "{:.0%}", "gender": "{:.0%}",
    "cost per targeted engagement": "${:,.3f}", "CPE": "${:,.3f}",
}  # fmt: skip


def brief_table(title: str, ranked: pl.DataFrame) -> Table:
    """A brief's ranked creators: their share of the brief's audience and what an engagement
    from it costs, beside their plain cost per engagement and the place it would give them."""
    shown = ranked.with_columns(creator=pl.coalesce("handle", "account_id"))
    shown = shown.select(c for c in BRIEF_COLUMNS if c in shown.columns).rename(BRIEF_COLUMNS)
    return _table(title, shown, BRIEF_FORMATS)


def print_brief(console: Console, brief: str, brand: str, day: date, ranked: pl.DataFrame) -> None:
    """One brief's ranking, a table per platform."""
    for (platform,), rows in ranked.group_by("platform", maintain_order=True):
        title = f"{brief} ({brand}): {platform} creators by cost per targeted engagement, {day}"
        console.print(brief_table(title, rows.drop("platform")))


EVENT_COLUMNS = {
    "flag": "event",
    "start_date": "from",
    "end_date": "to",
    "followers_before": "followers before",
    "followers_after": "after",
    "gained_share": "change",
    "engagement_per_follower_before": "eng/follower before",
    "engagement_per_follower_after": "after ",
    "explaining_post_id": "explained by post",
}
EVENT_FORMATS = {"change": "{:+.1%}", "eng/follower before": "{:.2%}", "after ": "{:.2%}"}


def print_explanation(console: Console, explained: Explanation, min_authenticity: float) -> None:
    """A creator's authenticity score and verdict, what each flag means, and each event of
    its window with its figures and the post that explains it, if one does."""
    from creatorlens.schemas.authenticity_rules import DECLARED  # noqa: PLC0415

    row = explained.assessment
    day = row["as_of_date"]
    name = f"{explained.platform} {explained.account_id}"
    if row["handle"] and row["handle"] != explained.account_id:
        name += f" ({row['handle']})"
    score = row["authenticity_score"]
    if score is None:
        verdict = "no score: fewer than 14 follower counts in its 90 days, so it is ranked"
    elif row["suspicious_growth"]:
        verdict = f"suspicious: below {min_authenticity:g}, left out of the rankings"
    else:
        verdict = f"not suspicious (at least {min_authenticity:g})"
    followers = f"{row['followers']:,} followers" if row["followers"] is not None else "hidden"
    shown = "" if score is None else f"{score:.0f} of 100, "
    console.print(
        f"[bold]{name}[/] as of [bold]{day}[/] ({followers}): authenticity {shown}{verdict}",
        highlight=False,
        soft_wrap=True,
    )
    for flag in row["authenticity_flags"] or []:
        console.print(f"  {flag}: {DECLARED[flag].meaning}", highlight=False, soft_wrap=True)
    events = explained.events
    if events.is_empty():
        console.print(f"No authenticity event in the 90 days to {day}.")
        return
    table = events.drop("last_seen_as_of_date").rename(EVENT_COLUMNS)
    console.print(_table(f"Events of the 90 days to {day}", table, EVENT_FORMATS))
    for event in events.iter_rows(named=True):
        if event["explaining_post_id"]:
            console.print(
                f"  the rise from {event['start_date']} ({event['gained_share']:+.1%}) is "
                f"explained by post {event['explaining_post_id']}: viral, and engagement per "
                "follower held up after it, so it does not count",
                highlight=False,
                soft_wrap=True,
            )
    later = events.filter(pl.col("last_seen_as_of_date") > day)
    if later.height:
        console.print(
            f"  (figures of {later.height} event(s) as of the latest date that shows them, "
            f"{later['last_seen_as_of_date'].max()})",
            highlight=False,
        )
