"""The HTML report, as people open it: written by every run and by `creatorlens report`,
self-contained, and rendered by a real browser (Debian's Chromium) with no errors and no
network request."""

import json
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from creatorlens.publish.charts import FLAGGED, SCATTER_POINTS, scatter_sample
from tests.clirun import creatorlens

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`

CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def folder(tmp_path_factory, prefect_api) -> Path:
    """A demo export backfilled over nine days, then a nightly run: each wrote a report."""
    folder = tmp_path_factory.mktemp("report")
    demo = creatorlens(
        "demo", "--creators", "90", "--days", "20", "--seed", "9", "--bought-share", "0.3",
        cwd=folder,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    backfill = creatorlens(
        "backfill", "--start", "2026-11-11", "--end", "2026-11-19", cwd=folder,
        PREFECT_API_URL=prefect_api,
    )  # fmt: skip
    assert backfill.returncode == 0, backfill.stderr
    run = creatorlens("run", cwd=folder, PREFECT_API_URL=prefect_api)
    assert run.returncode == 0, run.stderr
    assert "report: data/reports/creatorlens-2026-11-20-" in run.stdout
    return folder


def test_every_run_and_the_report_command_write_one_self_contained_file(folder):
    written = sorted(p.name for p in (folder / "data" / "reports").glob("*.html"))
    assert len(written) == 2  # the backfill's (as of its end) and the nightly run's
    assert written[0].startswith("creatorlens-2026-11-19-")
    result = creatorlens("report", "--date", "2026-11-12", cwd=folder)
    assert result.returncode == 0, result.stderr
    path = folder / result.stdout.strip()
    assert path.name == "creatorlens-2026-11-12.html"
    page = path.read_text()
    assert "As of 2026-11-12" in page
    markup = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)  # Plotly's own code
    assert not re.search(r"<script[^>]+src|<link|<img|@import|url\(", markup)  # nothing fetched
    assert page.count("<script") >= 7  # Plotly's, inlined, and one per chart
    missing = creatorlens("report", "--date", "2026-10-01", cwd=folder)
    assert missing.returncode == 1
    assert missing.stderr.startswith("error: --date 2026-10-01: not published; published")


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed and could not be: `make browser` as root",
)
def test_the_report_renders_in_chromium_with_no_error_and_no_request(folder, tmp_path):
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    (report,) = (folder / "data" / "reports").glob("creatorlens-2026-11-20-*.html")
    errors, requests = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('.plotly-graph-div .main-svg').length")
        charts = page.eval_on_selector_all(
            ".plotly-graph-div",
            """charts => charts.map(chart => ({
                svgs: chart.querySelectorAll('svg.main-svg').length,
                marks: chart.querySelectorAll('.point, .bars path, .scatterlayer path').length,
                height: chart.getBoundingClientRect().height}))""",
        )
        tables = page.eval_on_selector_all("table", "tables => tables.length")
        screenshot = folder / "data" / "reports" / "report.png"
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    print(f"screenshot: {screenshot}")
    assert errors == []
    assert requests == [report.as_uri()]  # the page itself, nothing else
    # scatter, benchmarks, cost, trends, data quality, campaigns, each flagged creator's, and
    # each brief's
    assert len(charts) == 6 + min(len(flagged(folder)), FLAGGED) + len(briefs_ranked(folder))
    assert all(c["svgs"] >= 1 and c["marks"] > 0 and c["height"] > 200 for c in charts), charts
    assert tables > 10  # top creators per platform and tier, freshness
    assert screenshot.stat().st_size > 50_000


def flagged(folder: Path) -> list[tuple]:
    """The creators flagged on the nightly run's date, as BI reads them."""
    with duckdb.connect(str(folder / "data" / "creatorlens.duckdb"), read_only=True) as con:
        return con.execute(
            "select platform, account_id from marts.creator_daily_metrics"
            " where as_of_date = '2026-11-20' and suspicious_growth"
        ).fetchall()


def test_the_report_draws_the_flagged_creators_curves_and_posts_with_their_events(folder):
    (report,) = (folder / "data" / "reports").glob("creatorlens-2026-11-20-*.html")
    page = report.read_text()
    section = page[page.index("<h2>Flagged creators</h2>") :]
    section = section[: section.index("</section>")]
    drawn = min(len(flagged(folder)), FLAGGED)
    assert drawn >= 2
    assert section.count("<h3>") == drawn
    assert section.count('"text":"follower count"') == drawn  # a chart of counts and posts
    assert section.count('"type":"rect"') >= 2 * drawn  # its events, on both charts
    assert "could not read" not in section
    # written where the warehouse cannot be read, the report says so and still lists events
    elsewhere = creatorlens(
        "report", cwd=folder, CREATORLENS_WAREHOUSE=str(folder / "missing.duckdb")
    )
    assert elsewhere.returncode == 0, elsewhere.stderr
    page = (folder / elsewhere.stdout.strip()).read_text()
    assert "could not read" in page and page.count("follower_burst") >= 1


def test_the_scatter_draws_at_most_its_sample_of_creators_per_platform():
    creators = pl.DataFrame(
        {
            "platform": ["tiktok"] * (SCATTER_POINTS + 700) + ["youtube"] * 10,
            "creator": [f"c{n}" for n in range(SCATTER_POINTS + 710)],
        }
    )
    drawn = scatter_sample(creators)
    assert dict(drawn.group_by("platform").len().rows()) == {
        "tiktok": SCATTER_POINTS,
        "youtube": 10,
    }
    assert drawn.equals(scatter_sample(creators.reverse()))  # the same creators, whatever the order


def briefs_ranked(folder: Path) -> list[tuple]:
    """The briefs with ranked creators on the nightly run's date, and how many."""
    with duckdb.connect(str(folder / "data" / "creatorlens.duckdb"), read_only=True) as con:
        return con.execute(
            "select brief_id, count(*) from marts.brief_matches"
            " where as_of_date = '2026-11-20' and rank is not null group by 1 order by 1"
        ).fetchall()


def test_the_report_has_a_section_per_brief_with_its_creators_costs(folder):
    (report,) = (folder / "data" / "reports").glob("creatorlens-2026-11-20-*.html")
    page = report.read_text()
    briefs = briefs_ranked(folder)
    assert briefs
    for brief, ranked in briefs:
        section = page[page.index(f"<h2>Brief {brief}</h2>") :]
        section = section[: section.index("</section>")]
        assert "cost per engagement from the brief" in section  # the chart's axis
        assert section.count('"mode":"markers"') >= 1
        assert 1 < section.count("<tr>") <= ranked + 1  # the header, then the top creators


def test_the_newest_reports_are_kept_as_the_setting_says_and_other_files_are_left(folder, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "notes.html").write_text("mine")
    for day in ("2026-11-12", "2026-11-13", "2026-11-14"):
        made = creatorlens("report", "--date", day, "--reports-dir", str(reports), cwd=folder,
                           CREATORLENS_REPORTS_KEPT="2")  # fmt: skip
        assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in reports.iterdir()) == [
        "creatorlens-2026-11-13.html", "creatorlens-2026-11-14.html", "notes.html",
    ]  # fmt: skip


def figures(page: str) -> list[list]:
    """The Plotly figures of a page: [traces, layout, config] each."""
    calls = re.findall(r"Plotly\.newPlot\(\"chart-\d+\", \.\.\.(\[.*?\])\)</script>", page)
    return [json.loads(call) for call in calls]


def test_the_report_reads_as_people_read_it(folder, tmp_path):
    """Headers in words, money axes in dollars, a trend chart of one date in days, freshness
    counted from the report's own date, every bar of the data quality chart labelled."""
    made = creatorlens("report", "--date", "2026-11-11", "--reports-dir", str(tmp_path), cwd=folder)
    assert made.returncode == 0, made.stderr
    page = Path(made.stdout.strip()).read_text()
    headers = re.findall(r"<th>(.*?)</th>", page)
    assert "cost per engagement" in headers and "engagement rate (30 days)" in headers
    assert not [h for h in headers if "_" in h or h.endswith("usd")], headers
    layouts = [layout for _, layout, _ in figures(page)]
    money = [axis for layout in layouts for name, axis in layout.items()
             if name.startswith(("xaxis", "yaxis")) and "$" in str(axis.get("tickformat"))]  # fmt: skip
    assert money and all(axis["tickformat"] == "$,.2f" for axis in money)
    trends = next(layout for layout in layouts if layout.get("xaxis", {}).get("type") == "date")
    assert trends["xaxis"]["range"] == ["2026-11-10", "2026-11-12"]
    assert trends["xaxis"]["dtick"] == 86_400_000  # days, not milliseconds
    freshness = page.split("<h2>Freshness</h2>")[1].split("</table>")[0]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in freshness.split("<tr>")[2:]]
    assert len(rows) == 6  # platforms and entities
    assert {(latest, behind) for _, _, latest, behind, _ in rows} == {("2026-11-11", "0")}
    quality = next(
        t for t, layout, _ in figures(page) if layout.get("yaxis", {}).get("type") == "log"
    )
    assert all(trace["texttemplate"] == "%{y:,}" for trace in quality)
