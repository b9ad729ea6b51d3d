"""The report people look at: one self-contained HTML file of charts and tables per as-of
date, made from the published marts (what BI sees). Plotly's script is inlined, so the file
works offline: no external scripts, fonts or images.

The charts are Plotly.js figures written as plain JSON (traces and a layout), drawn by
`Plotly.newPlot` in the page: building them through plotly's Python figure classes validated
every value and cost about a second a run.
"""

import html
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from creatorlens.errors import CreatorlensError
from creatorlens.formatting import coverage_lines
from creatorlens.publish.charts import (
    FLAGGED,
    PALETTE,
    SCATTER_POINTS,
    TOP,
    benchmarks_chart,
    brief_chart,
    campaigns_chart,
    cost_chart,
    flagged_section,
    html_table,
    plotly_js,
    quality_chart,
    scatter_chart,
    scatter_sample,
    top_tables,
    trends_chart,
)
from creatorlens.warehouse import open_marts, query_frame

REPORT_PREFIX = "creatorlens-"


def write_report(
    marts_path: Path,
    reports_dir: Path,
    as_of: date | None,
    name: str = "",
    *,
    warehouse: Path | None = None,
    kept: int | None = None,
) -> Path:
    """Write the report of `as_of` (default: the latest published as-of date) under
    `reports_dir`, keeping the newest `kept` reports there (none: all); returns its path. The
    follower curves and posts of flagged creators come from `warehouse` (the published marts
    hold neither), when it can be read."""
    with open_marts(marts_path) as con:
        dates = [r[0] for r in con.sql("select distinct as_of_date from marts.tier_benchmarks")
                 .fetchall()]  # fmt: skip
        if not dates:
            raise CreatorlensError(f"{marts_path}: no as-of date published yet; run first")
        if as_of is None:
            as_of = max(dates)
        elif as_of not in dates:
            raise CreatorlensError(
                f"--date {as_of}: not published; published as-of dates run "
                f"{min(dates)} to {max(dates)}"
            )
        page = _page(con, as_of, warehouse)
    reports_dir.mkdir(parents=True, exist_ok=True)
    path = reports_dir / f"{REPORT_PREFIX}{as_of.isoformat()}{'-' + name if name else ''}.html"
    staged = path.with_name(f".{path.name}.tmp")
    staged.write_text(page, encoding="utf-8")
    staged.replace(path)
    if kept is not None:
        keep_newest(reports_dir, kept)
    return path


def keep_newest(reports_dir: Path, kept: int) -> list[Path]:
    """Delete all but the newest `kept` reports in `reports_dir` (only the files creatorlens
    writes there, `creatorlens-*.html`); returns those deleted."""
    reports = sorted(
        reports_dir.glob(f"{REPORT_PREFIX}*.html"),
        key=lambda p: (p.stat().st_mtime_ns, p.name),
        reverse=True,
    )
    for old in reports[kept:]:
        old.unlink(missing_ok=True)  # another run may have deleted it first
    return reports[kept:]


def _page(con: duckdb.DuckDBPyConnection, as_of: date, warehouse: Path | None) -> str:
    creators = scatter_sample(query_frame(con, "reports/report_creators", as_of_date=as_of))
    medians = query_frame(con, "reports/report_tier_medians", as_of_date=as_of)
    tiers = medians.sort("min_followers").get_column("tier").unique(maintain_order=True)
    colours = {tier: PALETTE[n % len(PALETTE)] for n, tier in enumerate(tiers)}
    benchmarks = query_frame(con, "reports/report_benchmarks", as_of_date=as_of)
    today = benchmarks.filter(pl.col("as_of_date") == as_of)
    top = query_frame(con, "reports/top_creators_all_platforms", as_of_date=as_of, per_tier=TOP)
    quality = query_frame(con, "reports/report_quality")
    freshness = query_frame(con, "reports/report_freshness", as_of_date=as_of)
    coverage = query_frame(con, "reports/price_and_roster", as_of_date=as_of).row(0, named=True)
    sections = [
        ("Engagement rate against followers", scatter_chart(creators, medians, colours),
         f"Each dot is a creator (up to {SCATTER_POINTS:,} per platform); lines are each tier's "
         "median over all of them. Engagement falls as followers grow: the case for "
         "micro-influencers."),
        ("Tier benchmarks", benchmarks_chart(today, colours),
         "Median 30-day engagement rate per tier; bars run from the first to the third "
         "quartile."),
        ("Cost per engagement by tier", cost_chart(today, colours),
         "Median cost per engagement (USD): what a brand pays for one like, comment, share or "
         "save."),
        ("Top creators", top_tables(top), f"The {TOP} cheapest engagements per platform and "
         "tier (eligible creators only)."),
        ("Tier medians over time", trends_chart(benchmarks, colours),
         "Median 30-day engagement rate per tier over the last 90 as-of dates."),
        ("Data quality", quality_chart(quality), "Files loaded or rejected, and rows "
         "quarantined by rule, over the last runs (a log scale: each bar says its number)."),
        ("Freshness", html_table(freshness), f"How far each platform's latest snapshot lags "
         f"{as_of}, the date of this report; and the last run's verdict, on its own date."),
    ]  # fmt: skip
    flagged = query_frame(con, "reports/report_flagged", as_of_date=as_of, limit=FLAGGED)
    sections.append(
        ("Flagged creators", flagged_section(con, as_of, flagged, warehouse),
         f"The {FLAGGED} lowest authenticity scores of the creators flagged (suspicious_growth) "
         "on this date: their follower counts and the engagement of each post over the 90 days "
         "the score is made of, side by side, with the events behind the flags marked. "
         "`creatorlens explain --platform P --account ID` prints the same for any creator.")
    )  # fmt: skip
    sections += _brief_sections(con, as_of)
    campaign_tiers = query_frame(con, "reports/campaign_tiers")
    if campaign_tiers.height:
        note = (
            "Revenue per dollar of fees over all campaigns (results to date, whatever the "
            "as-of date), by each creator's tier the day before the campaign started; "
            "`creatorlens campaigns` lists the creators."
        )
        chart = campaigns_chart(campaign_tiers, colours)
        sections.append(("Campaign return on spend by tier", chart, note))
        verdicts = html_table(query_frame(con, "reports/campaign_authenticity"))
        sections.append(
            ("Campaigns: flagged creators against the others", verdicts,
             "Campaign creators by their latest authenticity verdict: the cost per engagement "
             "the ranking promised against what each purchase cost. Bought followers engage "
             "cheaply on paper and buy little.")
        )  # fmt: skip
    body = "\n".join(
        f"<section><h2>{html.escape(title)}</h2><p class='note'>{html.escape(note)}</p>"
        f"{content}</section>"
        for title, content, note in sections
    )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    caveats = "".join(
        f"<p class='caveat'>{html.escape(line)}</p>" for line in coverage_lines(coverage)
    )
    return TEMPLATE.format(
        plotly=plotly_js(), as_of=as_of.isoformat(), generated=generated, body=caveats + body
    )


def _brief_sections(con: duckdb.DuckDBPyConnection, as_of: date) -> list[tuple[str, str, str]]:
    """A section per brief ranked on `as_of`: its creators' plain cost per engagement against
    the cost of an engagement from the brief's audience, and the top ones' audience shares."""
    briefs = con.sql(
        "select brief_id, any_value(brand) from marts.brief_matches"
        " where as_of_date = $day and rank is not null group by 1 order by 1",
        params={"day": as_of},
    ).fetchall()
    sections = []
    for brief, brand in briefs:
        ranked = query_frame(con, "reports/brief_ranking", brief_id=brief, platform=None,
                             as_of_date=as_of, limit=10_000)  # fmt: skip
        note = (
            f"{brand}'s brief: each ranked creator's cost per engagement against the cost of an "
            "engagement from the brief's own audience (cost per engagement over the share of "
            "the audience in the brief's countries, ages and genders). Far above the diagonal: "
            f"cheap engagement, little of it from the brief's audience. Then the top {TOP} per "
            "platform with their shares, and their place by plain cost per engagement."
        )
        sections.append((f"Brief {brief}", brief_chart(ranked), note))
    return sections


TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>creatorlens report, as of {as_of}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1180px;
        padding: 1.5rem; color: #222; }}
h1 {{ margin-bottom: 0.2rem; }}
h2 {{ border-bottom: 1px solid #ddd; padding-bottom: 0.3rem; margin-top: 2.2rem; }}
h3 {{ margin: 1.2rem 0 0.4rem; font-size: 1rem; }}
.note {{ color: #555; margin-top: 0; }}
.caveat {{ background: #fff6e0; border-left: 4px solid #F58518; padding: 0.4rem 0.8rem;
           margin: 0.4rem 0; }}
table {{ border-collapse: collapse; font-size: 0.85rem; margin-bottom: 0.6rem; }}
th, td {{ padding: 0.25rem 0.6rem; border-bottom: 1px solid #eee; text-align: left; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(720px, 1fr));
         gap: 0 1.5rem; }}
.grid > div {{ min-width: 0; overflow-x: auto; }}
</style>
<script>{plotly}</script>
</head>
<body>
<h1>creatorlens</h1>
<p class="note">As of {as_of} · generated {generated} · from the published marts</p>
{body}
</body>
</html>
"""
