"""Audience lines laid out as rows of text: a JSON number becomes the text json.dumps gives it,
as it would in a CSV export, whatever its form in the file."""

import json
from datetime import date
from pathlib import Path

from creatorlens.ingest.audience_lines import audience_rows
from creatorlens.ingest.files import ExportFile

FILE = ExportFile(
    path=Path("tiktok/2026-03-10/audience.jsonl"),
    relative="tiktok/2026-03-10/audience.jsonl",
    entity="audience",
    format="jsonl",
    compressed=False,
    platform="tiktok",
    snapshot_date=date(2026, 3, 10),
)

VALUES = [0.1, 1e-05, 1e22, 7, -0.0, 12345678901234567890, float("nan"), float("inf"), True, None,
          "0.25", [0.5], {"share": 0.5}]  # fmt: skip


def test_each_value_reads_as_the_text_json_dumps_gives_it():
    line = {
        "username": "bo",
        "audience_countries": [{"country": "DK", "percentage": v} for v in VALUES],
        "audience_ages": [{"age": 18, "percentage": 0.5}, {"age": False, "percentage": 0.5}],
    }
    rows = audience_rows(FILE, json.dumps(line) + "\n")
    countries = rows.filter(dimension="country")
    texts = [v if v is None or isinstance(v, str) else json.dumps(v) for v in VALUES]
    texts[VALUES.index(True)] = "true"
    assert countries["value"].to_list() == texts
    assert rows.filter(dimension="age")["label"].to_list() == ["18", "false"]
    assert rows.filter(dimension="line")["account_id"].to_list() == ["bo"]
