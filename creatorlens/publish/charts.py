"""The report's charts and tables, as HTML fragments: plotly figures inlined, each drawn from the
frames the report reads."""

import html
import json
import math
from collections.abc import Iterator
from datetime import date, timedelta
from importlib.resources import files
from itertools import count
from pathlib import Path

import duckdb
import polars as pl

from creatorlens.errors import CreatorlensError
from creatorlens.formatting import cell, header
from creatorlens.warehouse import connect, query_frame, registered

DAY_MS = 86_400_000
MANY_DAYS = 14
"""Dates on an axis beyond which Plotly's own ticks (weeks, months) read better than days."""
PALETTE = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#9D755D"]
PLOT_CONFIG = {"displaylogo": False, "responsive": True}
TOP = 10
FLAGGED = 6
"""Flagged creators the report draws (the lowest scores)."""
EVENT_COLOURS = {
    "follower_burst": "#E45756",
    "follower_drip": "#F58518",
    "engagement_lag": "#B279A2",
    "purge_drop": "#4C78A8",
}
MONEY_AXIS = {"tickformat": "$,.2f"}
"""An axis of USD: $0.25, $1.40, $1,200.00 (d3's currency format)."""
MONEY_LOG_AXIS = MONEY_AXIS | {"type": "log", "dtick": "D2"}
"""A log axis of USD, labelled at 1, 2 and 5 of each power of ten (not at every digit)."""
SCATTER_POINTS = 5_000
"""Creators drawn per platform in the scatter (a fixed sample beyond that keeps the file small;
the tier medians always use every creator)."""


def scatter_sample(creators: pl.DataFrame) -> pl.DataFrame:
    """At most SCATTER_POINTS creators per platform, the same ones for the same data."""
    return creators.sort("platform", "creator").filter(
        pl.int_range(pl.len()).shuffle(seed=0).over("platform") < SCATTER_POINTS
    )


def plotly_js() -> str:
    """Plotly.js itself, as the plotly package ships it (inlined: the page works offline)."""
    return (files("plotly") / "package_data" / "plotly.min.js").read_text(encoding="utf-8")


_CHART_IDS = count(1)


def _figure(traces: list[dict], layout: dict, height: int = 420) -> str:
    """A chart: a div and the script that draws `traces` with `layout` in it."""
    layout = {
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "legend": {"orientation": "h", "y": -0.25},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        **layout,
    }
    chart = f"chart-{next(_CHART_IDS)}"
    figure = json.dumps([traces, layout, PLOT_CONFIG], default=str, separators=(",", ":"))
    figure = figure.replace("<", "\\u003c")  # a handle holding "</script>" stays text
    return (
        f'<div id="{chart}" class="plotly-graph-div" style="height:{height}px; width:100%;">'
        f"</div><script>Plotly.newPlot({json.dumps(chart)}, ...{figure})</script>"
    )


def _subplots(titles: list[str], axes: dict, shared_y: bool = False) -> dict:
    """The layout of one row of subplots, one per title, each axis styled with `axes`
    ({'x': {...}, 'y': {...}, 'y1': {...}} for the first y axis only)."""
    gap, n = 0.06, len(titles)
    width = (1 - gap * (n - 1)) / n
    layout: dict = {"annotations": []}
    for column, title in enumerate(titles, start=1):
        suffix = "" if column == 1 else str(column)
        left = (column - 1) * (width + gap)
        layout[f"xaxis{suffix}"] = {
            **axes.get("x", {}), "domain": [left, left + width], "anchor": f"y{suffix}",
        }  # fmt: skip
        y_axis = {**axes.get("y", {}), **(axes.get("y1", {}) if column == 1 else {})}
        layout[f"yaxis{suffix}"] = {**y_axis, "anchor": f"x{suffix}"}
        if shared_y and column > 1:
            layout[f"yaxis{suffix}"] |= {"matches": "y", "showticklabels": False}
        layout["annotations"].append({
            "text": title, "x": left + width / 2, "y": 1.0, "xref": "paper", "yref": "paper",
            "xanchor": "center", "yanchor": "bottom", "showarrow": False, "font": {"size": 14},
        })  # fmt: skip
    return layout


def _axes(column: int) -> dict:
    """A trace's axes in subplot `column` of a row."""
    suffix = "" if column == 1 else str(column)
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}


def _platforms(frame: pl.DataFrame) -> list[str]:
    return sorted(frame.get_column("platform").unique().to_list())


def _by_platform_and_tier(frame: pl.DataFrame, colours: dict) -> Iterator[tuple]:
    """(subplot column, platform, tier, colour, the tier's rows, whether the tier shows in the
    legend here) for each platform's subplot and tier: a tier shows in the legend once, in the
    first subplot where it has rows."""
    legend: set[str] = set()
    for column, platform in enumerate(_platforms(frame), start=1):
        for tier, colour in colours.items():
            rows = frame.filter(platform=platform, tier=tier)
            first = tier not in legend and rows.height > 0
            legend |= {tier} if first else set()
            yield column, platform, tier, colour, rows, first


def scatter_chart(creators: pl.DataFrame, medians: pl.DataFrame, colours: dict) -> str:
    platforms = _platforms(creators)
    if not platforms:
        return "<p>(no creator with followers and an engagement rate)</p>"
    traces: list[dict] = []
    for column, platform, tier, colour, rows, first in _by_platform_and_tier(creators, colours):
        line = medians.filter(platform=platform, tier=tier)
        if rows.height:
            traces.append({
                "type": "scattergl", **_axes(column),
                "x": rows["followers"].to_list(), "y": rows["engagement_rate_30d"].to_list(),
                "text": rows["creator"].to_list(), "mode": "markers", "name": tier,
                "legendgroup": tier, "showlegend": first,
                "marker": {"color": colour, "size": 5, "opacity": 0.55},
                "hovertemplate": "%{text}<br>%{x:,} followers<br>%{y:.2%}<extra></extra>",
            })  # fmt: skip
        if line.height:
            low, high, median = line.row(0)[2:5]
            traces.append({
                "type": "scatter", **_axes(column),
                "x": [low, high], "y": [median, median], "mode": "lines",
                "name": f"{tier} median", "legendgroup": tier, "showlegend": False,
                "line": {"color": colour, "width": 3},
                "hovertemplate": f"{tier} median %{{y:.2%}}<extra></extra>",
            })  # fmt: skip
    layout = _subplots(platforms, {
        "x": {"type": "log", "dtick": 1, "title": {"text": "followers (log scale)"},
              "tickformat": "~s"},
        "y": {"tickformat": ".1%"},
        "y1": {"title": {"text": "engagement rate (30 days)"}},
    })  # fmt: skip
    return _figure(traces, layout, 460)


def benchmarks_chart(today: pl.DataFrame, colours: dict) -> str:
    traces = []
    for tier, colour in colours.items():
        rows = today.filter(tier=tier).drop_nulls("median_engagement_rate_30d")
        if not rows.height:
            continue
        median = rows["median_engagement_rate_30d"]
        traces.append({
            "type": "bar", "x": rows["platform"].to_list(), "y": median.to_list(),
            "name": tier, "marker": {"color": colour},
            "error_y": {"type": "data", "symmetric": False,
                        "array": (rows["p75_engagement_rate_30d"] - median).to_list(),
                        "arrayminus": (median - rows["p25_engagement_rate_30d"]).to_list()},
            "customdata": rows.select("p25_engagement_rate_30d", "p75_engagement_rate_30d",
                                      "creators").rows(),
            "hovertemplate": f"{tier}: median %{{y:.2%}}<br>quartiles %{{customdata[0]:.2%}} to "
            "%{customdata[1]:.2%}<br>%{customdata[2]:,} creators<extra></extra>",
        })  # fmt: skip
    yaxis = {"tickformat": ".1%", "title": {"text": "engagement rate"}}
    return _figure(traces, {"barmode": "group", "yaxis": yaxis})


def cost_chart(today: pl.DataFrame, colours: dict) -> str:
    return _bars_by_tier(
        today, "median_cpe_usd", colours, "$%{y:,.2f}", MONEY_AXIS | {"title": {"text": "USD"}},
    )  # fmt: skip


def _bars_by_tier(frame: pl.DataFrame, column: str, colours: dict, value: str, yaxis: dict) -> str:
    """Bars of `column` per platform, a bar per tier in the tier's colour."""
    traces = []
    for tier, colour in colours.items():
        rows = frame.filter(tier=tier).drop_nulls(column)
        if rows.height:
            traces.append({
                "type": "bar", "x": rows["platform"].to_list(), "y": rows[column].to_list(),
                "name": tier, "marker": {"color": colour},
                "hovertemplate": f"{tier}: {value}<extra></extra>",
            })  # fmt: skip
    return _figure(traces, {"barmode": "group", "yaxis": yaxis})


def trends_chart(benchmarks: pl.DataFrame, colours: dict) -> str:
    platforms = _platforms(benchmarks)
    if not platforms:
        return "<p>(no benchmarks)</p>"
    traces: list[dict] = []
    for column, _, tier, colour, rows, first in _by_platform_and_tier(benchmarks, colours):
        if rows.height:
            traces.append({
                "type": "scatter", **_axes(column),
                "x": [d.isoformat() for d in rows["as_of_date"]],
                "y": rows["median_engagement_rate_30d"].to_list(), "mode": "lines+markers",
                "name": tier, "legendgroup": tier, "showlegend": first,
                "line": {"color": colour}, "marker": {"size": 7 if rows.height == 1 else 4},
                "hovertemplate": f"{tier} %{{x}}: %{{y:.2%}}<extra></extra>",
            })  # fmt: skip
    layout = _subplots(platforms, {"x": _date_axis(benchmarks["as_of_date"]),
                                   "y": {"tickformat": ".1%"}}, shared_y=True)  # fmt: skip
    return _figure(traces, layout)


def _date_axis(dates: pl.Series) -> dict:
    """An axis of dates a day apart at least, a day wider than the dates on each side: with a
    single date Plotly would zoom to milliseconds."""
    first, last = dates.min(), dates.max()
    axis = {
        "type": "date",
        "tickformat": "%b %d",
        "range": [(first - timedelta(days=1)).isoformat(), (last + timedelta(days=1)).isoformat()],
    }
    return axis | ({"dtick": DAY_MS} if (last - first).days < MANY_DAYS else {})


def quality_chart(quality: pl.DataFrame) -> str:
    if not quality.height:
        return "<p>(no runs yet)</p>"
    traces = []
    for n, measure in enumerate(quality.get_column("measure").unique(maintain_order=True)):
        rows = quality.filter(measure=measure)
        traces.append({
            "type": "bar", "x": rows["run"].to_list(), "y": rows["amount"].to_list(),
            "name": measure, "marker": {"color": PALETTE[n % len(PALETTE)]},
            "text": rows["amount"].to_list(), "texttemplate": "%{y:,}", "textposition": "outside",
            "cliponaxis": False, "hovertemplate": f"{measure}: %{{y:,}}<extra></extra>",
        })  # fmt: skip
    # log: thousands of rows loaded beside a few quarantined; the axis starts at 1, so a bar of
    # one row shows, and each bar says its number
    top = math.log10(max(quality["amount"].max(), 10)) + 0.3
    yaxis = {"tickformat": ",", "type": "log", "dtick": "D2", "range": [-0.3, top]}
    layout = {"barmode": "group", "yaxis": yaxis}
    return _figure(traces, layout, 380)


def top_tables(top: pl.DataFrame) -> str:
    parts = [
        f"<div><h3>{html.escape(platform)} · {html.escape(tier)}</h3>"
        f"{html_table(rows.drop('platform', 'tier', 'price_source'))}</div>"
        for (platform, tier), rows in top.group_by("platform", "tier", maintain_order=True)
    ]
    return f"<div class='grid'>{''.join(parts)}</div>" if parts else "<p>(no eligible creators)</p>"


def html_table(frame: pl.DataFrame) -> str:
    if not frame.height:
        return "<p>(none)</p>"
    head = "".join(f"<th>{html.escape(header(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='{_align(row[c])}'>{html.escape(cell(c, row[c]))}</td>"
            for c in frame.columns
        )
        + "</tr>"
        for row in frame.iter_rows(named=True)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _align(value: object) -> str:
    return "num" if isinstance(value, int | float) and not isinstance(value, bool) else ""


def flagged_section(
    con: duckdb.DuckDBPyConnection, as_of: date, flagged: pl.DataFrame, warehouse: Path | None
) -> str:
    """A row of two charts per flagged creator: its follower counts and each post's
    engagements over [as_of - 89, as_of], the events of its window shaded on both."""
    if not flagged.height:
        return "<p>(no creator is flagged on this date)</p>"
    creators = flagged.select("platform", "account_id")
    with registered(con, "flagged", creators):
        events = con.sql(
            "select * from marts.authenticity_events semi join flagged using (platform, account_id)"
            " where start_date between $as_of - 89 and $as_of and last_seen_as_of_date >= $as_of",
            params={"as_of": as_of},
        ).pl()
    series = _flagged_series(warehouse, creators, as_of)
    parts = []
    if series is None:
        parts.append(
            "<p>(follower counts and posts are in the pipeline's warehouse, which this report "
            "could not read: write it where the pipeline runs, with no run writing)</p>"
        )
    for row in flagged.iter_rows(named=True):
        key = {"platform": row["platform"], "account_id": row["account_id"]}
        title = (
            f"{row['platform']} · {row['creator']}: score {row['authenticity_score']:.0f} "
            f"({row['flags']})"
        )
        own = events.filter(**key)
        parts.append(f"<h3>{html.escape(title)}</h3>")
        if series is not None:
            chart = _flagged_chart(series[0].filter(**key), series[1].filter(**key), own, as_of)
            parts.append(chart)
        shown = own.select(
            "flag", "start_date", "end_date", "followers_before", "followers_after",
            "gained_share", "engagement_per_follower_before", "engagement_per_follower_after",
            "explaining_post_id",
        )  # fmt: skip
        parts.append(html_table(shown))
    return "".join(parts)


def _flagged_series(
    warehouse: Path | None, creators: pl.DataFrame, as_of: date
) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """The flagged creators' follower counts and posts of the window, from the warehouse;
    None when it cannot be read (not here, or a run holds it)."""
    if warehouse is None or not warehouse.exists():
        return None
    try:
        con = connect(warehouse, "warehouse", read_only=True)
    except CreatorlensError:
        return None
    with con, registered(con, "flagged", creators):
        followers = query_frame(con, "reports/report_flagged_followers", as_of_date=as_of)
        posts = query_frame(con, "reports/report_flagged_posts", as_of_date=as_of)
    return followers, posts


def _flagged_chart(
    followers: pl.DataFrame, posts: pl.DataFrame, events: pl.DataFrame, as_of: date
) -> str:
    explaining = set(events["explaining_post_id"].drop_nulls())
    marked = posts.with_columns(pl.col("post_id").is_in(list(explaining)).alias("explains"))
    traces = [
        {"type": "scatter", **_axes(1), "mode": "lines+markers", "name": "followers",
         "x": [d.isoformat() for d in followers["snapshot_date"]],
         "y": followers["followers"].to_list(), "line": {"color": "#222"},
         "marker": {"size": 3}, "showlegend": False,
         "hovertemplate": "%{x}: %{y:,} followers<extra></extra>"},
    ]  # fmt: skip
    for explains, rows in ((False, marked.filter(~pl.col("explains"))),
                           (True, marked.filter(pl.col("explains")))):  # fmt: skip
        if rows.height:
            traces.append({
                "type": "scatter", **_axes(2), "mode": "markers",
                "name": "explaining post" if explains else "post",
                "x": [d.isoformat() for d in rows["published_date"]],
                "y": rows["engagements"].to_list(), "text": rows["post_id"].to_list(),
                "marker": {"size": 12 if explains else 6, "symbol": "star" if explains else
                           "circle", "color": "#54A24B" if explains else "#4C78A8"},
                "hovertemplate": "%{text} (%{x}): %{y:,} engagements<extra></extra>",
            })  # fmt: skip
    layout = _subplots(
        ["follower count", "engagements of each post (by published date)"],
        {"y": {"tickformat": "~s", "rangemode": "tozero"}},
    )
    window = [(as_of - timedelta(days=89)).isoformat(), (as_of + timedelta(days=1)).isoformat()]
    for axis in ("xaxis", "xaxis2"):
        layout[axis]["range"] = window
    layout["shapes"] = [
        {"type": "rect", "xref": axis, "yref": f"{axis.replace('x', 'y')} domain",
         "x0": event["start_date"].isoformat(),
         "x1": (event["end_date"] + timedelta(days=1)).isoformat(), "y0": 0, "y1": 1,
         "fillcolor": EVENT_COLOURS.get(event["flag"], "#999"),
         "opacity": 0.12 if event["explaining_post_id"] else 0.3, "line": {"width": 0}}
        for event in events.iter_rows(named=True)
        for axis in ("x", "x2")
    ]  # fmt: skip
    return _figure(traces, layout, 300)


def campaigns_chart(tiers: pl.DataFrame, colours: dict) -> str:
    yaxis = {"ticksuffix": "x", "title": "revenue per dollar of fees"}
    return _bars_by_tier(tiers, "roas", colours, "%{y:.2f}x", yaxis) + html_table(tiers)


def brief_chart(ranked: pl.DataFrame) -> str:
    """A brief's ranked creators: plain cost per engagement against the cost of an engagement
    from the brief's audience (log axes, a point per creator, a colour per platform), then the
    top creators with their audience shares."""
    traces = [
        {
            "type": "scatter",
            "mode": "markers",
            "name": platform,
            "x": rows["cpe_usd"].to_list(),
            "y": rows["cost_per_targeted_engagement_usd"].to_list(),
            "text": rows["handle"].fill_null(rows["account_id"]).to_list(),
            "marker": {"color": PALETTE[n % len(PALETTE)], "size": 8},
            "hovertemplate": "%{text}<br>CPE $%{x:,.2f}<br>targeted $%{y:,.2f}<extra></extra>",
        }
        for n, ((platform,), rows) in enumerate(ranked.group_by("platform", maintain_order=True))
    ]
    layout = {
        "xaxis": {"title": {"text": "cost per engagement"}, **MONEY_LOG_AXIS},
        "yaxis": {"title": {"text": "cost per engagement from the brief's audience"},
                  **MONEY_LOG_AXIS},
    }  # fmt: skip
    shares = ["target_share", "country_share", "age_share", "gender_share"]
    top = ranked.filter(pl.col("rank") <= TOP).select(
        "platform", "rank", pl.coalesce("handle", "account_id").alias("creator"), "followers",
        *(pl.col(c).round(3) for c in shares), pl.col("cpe_usd").round(3),
        pl.col("cost_per_targeted_engagement_usd").round(3), "cpe_rank",
    )  # fmt: skip
    return _figure(traces, layout) + html_table(top)
