"""The bad-input catalog of audience files and briefs (design section 10), each case with its
outcome: an audience line is the platform API's own object, so a bad bucket or value is a
quarantined row, a line of an unknown creator is quarantined whole, and briefs naming values
no platform uses are rejected whole."""

import json
from pathlib import Path

import polars as pl
import pytest

from creatorlens.ingest.loading import load_exports
from creatorlens.ingest.validation import validate_path
from creatorlens.warehouse import open_warehouse
from tests.exportfiles import land

DAY = "2026-03-10"
CREATORS = {f"tiktok/{DAY}/creators.csv": b"username,follower_count\nbo,8000\ncy,120\n"}


def tiktok(username: str = "bo", **changes) -> dict:
    line = {
        "username": username,
        "audience_countries": [{"country": "DK", "percentage": 0.6}, {"country": "US", "percentage": 0.4}],
        "audience_genders": [{"gender": "Female", "percentage": 0.7}, {"gender": "Male", "percentage": 0.3}],
        "audience_ages": [{"age": "18-24", "percentage": 0.5}, {"age": "25-34", "percentage": 0.5}],
    }  # fmt: skip
    return line | changes


def audience(*lines: dict) -> dict[str, bytes]:
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    return {**CREATORS, f"tiktok/{DAY}/audience.jsonl": data}


BRIEF = "brief_id,brand,countries,ages,genders,niches,platforms,min_followers,max_followers\n"


def briefs(*rows: str) -> dict[str, bytes]:
    return {"briefs.csv": (BRIEF + "".join(f"{row}\n" for row in rows)).encode()}


GOOD_BRIEF = "B1,Glow,DK;SE,18-24;25-34,female,beauty,,,"

CATALOG = {
    "shares that do not sum to 100%: loaded, normalised when matched": (
        audience(
            tiktok(
                audience_ages=[
                    {"age": "18-24", "percentage": 0.9},
                    {"age": "25-34", "percentage": 0.9},
                ]
            )
        ),
        ("loaded", 0, None),
    ),
    "a creator with only some dimensions: loaded, the others lacking": (
        audience(tiktok(audience_ages=[], audience_genders=None)),
        ("loaded", 0, None),
    ),
    "a negative value": (
        audience(tiktok(audience_countries=[{"country": "DK", "percentage": -0.2}])),
        ("loaded", 1, ("value", "greater_than_or_equal_to", "-0.2")),
    ),
    "a value that is not a number": (
        audience(tiktok(audience_countries=[{"country": "DK", "percentage": "lots"}])),
        ("loaded", 1, ("value", "number", "lots")),
    ),
    "an unknown country": (
        audience(tiktok(audience_countries=[{"country": "Atlantis", "percentage": 0.2}])),
        ("loaded", 1, ("bucket", "known_bucket", "ATLANTIS")),
    ),
    "an unknown age bucket": (
        audience(tiktok(audience_ages=[{"age": "16-20", "percentage": 0.2}])),
        ("loaded", 1, ("bucket", "known_bucket", "16-20")),
    ),
    "an unknown gender": (
        audience(tiktok(audience_genders=[{"gender": "Robot", "percentage": 0.2}])),
        ("loaded", 1, ("bucket", "known_bucket", "Robot")),
    ),
    "a line of a creator not in that day's creators file": (
        audience(tiktok(), tiktok("ghost")),
        ("loaded", 1, ("account_id", "in_creators", "ghost")),
    ),
    "a line without its creator's key": (
        audience(tiktok(), tiktok(None)),
        ("loaded", 1, ("account_id", "not_null", None)),
    ),
    "audience as CSV": (
        {**CREATORS, f"tiktok/{DAY}/audience.csv": b"username,country\nbo,DK\n"},
        ("rejected", "audience comes as JSON Lines"),
    ),
    "an audience line that is not JSON": (
        {**CREATORS, f"tiktok/{DAY}/audience.jsonl": json.dumps(tiktok()).encode() + b"\n{oops\n"},
        ("rejected", "line 2 is not JSON"),
    ),
    "a brief naming an unknown country code": (
        briefs(GOOD_BRIEF, "B2,Glow,DK;XX,,,,,,"),
        ("rejected", "brief B2: countries value 'XX' is not one of"),
    ),
    "a brief naming an unknown age bucket": (
        briefs(GOOD_BRIEF, "B2,Glow,,18-34,,,,,"),
        ("rejected", "brief B2: ages value '18-34' is not one of"),
    ),
    "a brief naming an unknown platform": (
        briefs("B2,Glow,,,,,myspace,,"),
        ("rejected", "brief B2: platforms value 'myspace' is not one of"),
    ),
    "a brief whose min is above its max": (
        briefs(GOOD_BRIEF, "B2,Glow,,,,,,50000,1000"),
        ("loaded", 1, ("max_followers", "min_at_most_max", "1000")),
    ),
}


def outcome_of(tmp_path: Path, files: dict[str, bytes]) -> tuple[list, list]:
    land(tmp_path / "exports", files)
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        report = load_exports(con, tmp_path / "exports", "run-1")
        quarantine = con.execute("select file, field, rule, value from ops.quarantine").fetchall()
    tested = [f for f in report.files if "creators" not in f.file]
    return tested, quarantine


@pytest.mark.parametrize(("files", "expected"), CATALOG.values(), ids=CATALOG.keys())
def test_bad_audience_or_brief(tmp_path: Path, files: dict[str, bytes], expected):
    (outcome,), quarantine = outcome_of(tmp_path, files)
    status, *rest = expected
    assert outcome.status == status, outcome
    if status == "rejected":
        assert rest[0] in outcome.message, outcome.message
        assert quarantine == []
        return
    lines, entry = rest
    assert outcome.rows_quarantined == lines
    if entry is None:
        assert quarantine == []
    else:
        assert (outcome.file, *entry) in quarantine, quarantine
    # validate says the same, and loads nothing
    report, would = validate_path(tmp_path / "exports")
    (checked,) = [f for f in report.files if f.file == outcome.file]
    assert (checked.status, checked.rows_quarantined) == ("valid", lines)
    assert would.filter(pl.col("file") == outcome.file).height == len(
        [q for q in quarantine if q[0] == outcome.file]
    )


def test_an_audience_file_is_checked_again_when_its_day_s_creators_change(tmp_path):
    """A line for a creator the day's creators file lacked is quarantined; delivered again with
    the creator, the unchanged audience file is checked again and the line loads."""
    exports = tmp_path / "exports"
    land(exports, audience(tiktok(), tiktok("dee")))
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        first = load_exports(con, exports, "run-1")
        land(exports, {f"tiktok/{DAY}/creators.csv": b"username,follower_count\nbo,8000\ndee,9\n"})
        second = load_exports(con, exports, "run-2")
        lines = con.execute(
            "select account_id from staging.stg_audience where dimension = 'line' order by 1"
        ).fetchall()
    assert [f.rows_quarantined for f in first.files if "audience" in f.file] == [1]
    assert [(f.status, f.rows_quarantined) for f in second.files if "audience" in f.file] == [
        ("loaded", 0)
    ]
    assert lines == [("bo",), ("dee",)]
