"""A run's report for Prefect artifacts: what it loaded, quarantined and published."""

from datetime import date
from pathlib import Path

import duckdb

from creatorlens.formatting import cell
from creatorlens.warehouse import query_frame


def _markdown_table(rows: list[dict]) -> list[str]:
    if not rows:
        return ["(none)"]
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c, row[c]) for c in header) + " |" for row in rows]
    return lines


def run_report(
    con: duckdb.DuckDBPyConnection, run_id: str, as_of: date | None, report: Path | None = None
) -> tuple[str, list[dict]]:
    """(markdown summary, quarantine counts by file, field and rule) of run `run_id`, linking
    to its HTML `report`."""
    run = query_frame(con, "reports/run_status", run_id=run_id).to_dicts()
    loads = query_frame(con, "reports/run_loads", run_id=run_id).to_dicts()
    quarantine = query_frame(con, "reports/run_quarantine", run_id=run_id).to_dicts()
    mart_rows = query_frame(con, "reports/mart_rows").to_dicts()
    lines = [f"# creatorlens run `{run_id}`", ""]
    if run:
        status = run[0]
        lines += [
            f"**{status['flow']}** {status['status']}"
            + (f": {status['failure_reason']}" if status["failure_reason"] else ""),
            "",
        ]
    if report is not None:
        url = report.resolve().as_uri()
        lines += [f"Report with charts: [{report.name}]({url}) (`{report.resolve()}`)", ""]
    lines += ["## Files loaded", "", *_markdown_table(loads), "", "## Rows quarantined", ""]
    lines += [*_markdown_table(quarantine), "", "## Marts", "", *_markdown_table(mart_rows), ""]
    fresh = con.sql(
        "select platform, entity, latest_snapshot_date, checked_on, days_behind, status"
        " from ops.freshness order by all"
    ).pl()
    lines += ["## Freshness", "", *_markdown_table(fresh.to_dicts()), ""]
    if as_of is not None:
        top = query_frame(
            con, "reports/top_creators_all_platforms", as_of_date=as_of, per_tier=3
        ).to_dicts()
        lines += [
            f"## Top creators as of {as_of} (lowest cost per engagement)",
            "",
            *_markdown_table(top),
        ]
    return "\n".join(lines), quarantine
