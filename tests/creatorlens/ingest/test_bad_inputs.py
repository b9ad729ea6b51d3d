"""The catalog of bad inputs: every kind, on every platform, entity and agency file, with
its outcome. A file is rejected whole (a message naming the file and the reason; nothing of
it loads), or a row is quarantined (field, rule and value; the file's good rows load), or the
input is accepted as it is. The README's "When input is bad" section lists the same outcomes.
"""

import gzip
from pathlib import Path

import duckdb
import pytest

from creatorlens.ingest.checks import TARGETS
from creatorlens.ingest.loading import load_exports
from creatorlens.warehouse import open_warehouse
from tests.badfiles import (
    CSV_OF_CREATORS,
    DAY,
    GOOD,
    MEMBERS,
    Accepted,
    Quarantined,
    Rejected,
    encoded,
    good_file,
    raw,
    where,
    with_bad_row,
    with_members,
    without_field,
)
from tests.clirun import creatorlens
from tests.exportfiles import land
from tests.flows.marts_reader import published_marts

CATALOG: dict[str, tuple[dict[str, bytes], Rejected | Quarantined | Accepted]] = {
    # Files that cannot be read: rejected whole.
    "empty file": (raw(where("instagram/creators", "csv"), b""), Rejected("empty file")),
    "blank lines only": (raw(where("tiktok/posts", "jsonl"), b"\n \n"), Rejected("empty file")),
    "truncated gzip": (
        raw(where("youtube/posts", "jsonl.gz"), gzip.compress(b'{"id": "yt1"}\n' * 40)[:-12]),
        Rejected("truncated or corrupt gzip"),
    ),
    "not gzip despite .gz": (
        raw(where("tiktok/creators", "csv.gz"), CSV_OF_CREATORS),
        Rejected("truncated or corrupt gzip"),
    ),
    "binary garbage": (
        raw(where("instagram/posts", "csv"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00"),
        Rejected("binary content, not CSV text"),
    ),
    "NUL bytes in text": (
        raw(where("tiktok/creators", "jsonl"), b'{"username": "bo\x00", "follower_count": 1}\n'),
        Rejected("binary content, not JSONL text"),
    ),
    "invalid UTF-8 in a gzip member": (
        raw(where("instagram/creators", "csv.gz"), gzip.compress(b"id,followers_count\n\xff,1\n")),
        Rejected("not UTF-8 (byte 19)"),
    ),
    "not UTF-8 (Latin-1)": (
        raw(where("youtube/creators", "csv"), "id,snippet.title\nUC1,Café\n".encode("latin-1")),
        Rejected("not UTF-8 (byte 24)"),
    ),
    "invalid JSON line": (
        raw(
            where("instagram/posts", "jsonl"), b'{"id": "p1", "owner": {"id": "1"}}\n{"id": "p2",\n'
        ),
        Rejected("line 2 is not JSON"),
    ),
    "JSON array instead of JSONL": (
        raw(where("tiktok/creators", "jsonl"), b'[{"username": "bo", "follower_count": 1}]\n'),
        Rejected("a JSON array; expected JSON Lines"),
    ),
    "pretty-printed JSON array": (
        raw(where("youtube/posts", "jsonl"), b'[\n  {"id": "yt1"},\n  {"id": "yt2"}\n]\n'),
        Rejected("a JSON array; expected JSON Lines"),
    ),
    "JSON line that is not an object": (
        raw(where("instagram/creators", "jsonl"), b'{"id": "1", "followers_count": 3}\n"ana"\n'),
        Rejected("line 2 is a JSON str, not an object"),
    ),
    "semicolon delimiter": (
        raw(where("tiktok/creators", "csv"), b"username;follower_count\nbo;8000\n"),
        Rejected("the header looks ';'-separated"),
    ),
    "tab delimiter": (
        raw(where("instagram/creators", "csv"), b"id\tusername\tfollowers_count\n1\tana\t5\n"),
        Rejected("the header looks '\\t'-separated"),
    ),
    "row with more fields than the header": (
        raw(where("tiktok/creators", "csv"), b"username,follower_count\nbo,8000\ncy,1,200\n"),
        Rejected("not readable as CSV"),
    ),
    "unclosed quote": (
        raw(where("youtube/creators", "csv"), b'id,statistics.subscriberCount\n"UC1,5\nUC2,6\n'),
        Rejected("not readable as CSV"),
    ),
    "a lone carriage return (found by hypothesis)": (
        raw("fx_rates.csv", b"\r\x01"),
        Rejected("missing required field currency"),
    ),
    "column twice in the header": (
        raw(where("tiktok/creators", "csv"), b"username,follower_count,username\nbo,1,cy\n"),
        Rejected("column username appears twice"),
    ),
    "folder that is not a date": (
        raw("tiktok/latest/creators.csv", CSV_OF_CREATORS),
        Rejected("folder 'latest' is not a date"),
    ),
    "folder dated in the future (a typo)": (
        raw("tiktok/2062-11-20/creators.csv", CSV_OF_CREATORS),
        Rejected("folder '2062-11-20' is dated after tomorrow"),
    ),
    "results folder dated in the future": (
        raw("results/2062-11-20/results.csv", b"campaign_id\n"),
        Rejected("folder '2062-11-20' is dated after tomorrow"),
    ),
    "date that does not exist": (
        raw("youtube/2026-02-30/posts.csv", b"id\n"),
        Rejected("folder '2026-02-30' is not a date"),
    ),
    "unknown platform": (
        raw(f"vimeo/{DAY}/creators.csv", CSV_OF_CREATORS),
        Rejected("unknown platform 'vimeo'"),
    ),
    "unknown entity": (
        raw(f"instagram/{DAY}/stories.csv", b"id\n1\n"),
        Rejected("unknown file; expected creators or posts"),
    ),
    "unknown format": (
        raw(f"tiktok/{DAY}/posts.xlsx", b"PK\x03\x04"),
        Rejected("unknown file; expected creators or posts"),
    ),
    "outside the landing layout": (
        raw("tiktok/creators.csv", CSV_OF_CREATORS),
        Rejected("not in the landing layout"),
    ),
    "two files for one partition": (
        {**good_file("tiktok/creators"), **good_file("tiktok/creators", "jsonl")},
        Rejected("several files for one partition"),
    ),
    "instagram posts without owner.id": (
        without_field("instagram/posts", "jsonl", "owner.id"),
        Rejected("missing required field owner.id"),
    ),
    "youtube posts without viewCount": (
        without_field("youtube/posts", "csv.gz", "statistics.viewCount"),
        Rejected("missing required field statistics.viewCount"),
    ),
    "tiktok creators without follower_count": (
        without_field("tiktok/creators", "jsonl.gz", "follower_count"),
        Rejected("missing required field follower_count"),
    ),
    "roster without niche": (
        without_field("roster", "csv", "niche"),
        Rejected("missing required field niche"),
    ),
    "rate cards without currency": (
        without_field("rate_cards", "csv", "currency"),
        Rejected("missing required field currency"),
    ),
    "FX rates without usd_per_unit": (
        without_field("fx_rates", "csv", "usd_per_unit"),
        Rejected("missing required field usd_per_unit"),
    ),
    # Rows that break a rule: quarantined, the file's good rows load.
    "null id": (
        with_bad_row("instagram/creators", "jsonl", id=None),
        Quarantined("id", "not_null", None),
    ),
    "empty id": (with_bad_row("tiktok/posts", "csv", id=""), Quarantined("id", "not_null", None)),
    "blank id in JSON": (
        with_bad_row("youtube/creators", "jsonl", id="  "),
        Quarantined("id", "not_empty", "  "),
    ),
    "negative count": (
        with_bad_row("tiktok/posts", "csv", like_count="-3"),
        Quarantined("like_count", "non_negative_integer", "-3"),
    ),
    "non-numeric count": (
        with_bad_row("instagram/posts", "jsonl.gz", like_count="12k"),
        Quarantined("like_count", "non_negative_integer", "12k"),
    ),
    "abbreviated count, as scrapes write it": (
        with_bad_row("tiktok/creators", "csv", follower_count="304.9K"),
        Quarantined("follower_count", "non_negative_integer", "304.9K"),
    ),
    "fractional count": (
        with_bad_row("youtube/posts", "csv", **{"statistics.viewCount": "1.5"}),
        Quarantined("statistics.viewCount", "non_negative_integer", "1.5"),
    ),
    "negative followers": (
        with_bad_row("instagram/creators", "csv", followers_count="-1"),
        Quarantined("followers_count", "non_negative_integer", "-1"),
    ),
    "followers left out": (
        with_bad_row("tiktok/creators", "jsonl", follower_count=None),
        Quarantined("follower_count", "not_null", None),
    ),
    "hidden flag that is not a boolean": (
        with_bad_row("youtube/creators", "csv", **{"statistics.hiddenSubscriberCount": "maybe"}),
        Quarantined("statistics.hiddenSubscriberCount", "boolean", "maybe"),
    ),
    "unreadable ISO timestamp": (
        with_bad_row("instagram/posts", "csv", timestamp="yesterday"),
        Quarantined("timestamp", "iso_8601_timestamp", "yesterday"),
    ),
    "ISO timestamp where Unix seconds belong": (
        with_bad_row("tiktok/posts", "jsonl", create_time="2026-03-09T10:00:00Z"),
        Quarantined("create_time", "unix_seconds", "2026-03-09T10:00:00Z"),
    ),
    "timestamp past year 9999": (
        with_bad_row("tiktok/posts", "csv", create_time="999999999999"),
        Quarantined("create_time", "unix_seconds", "999999999999"),
    ),
    "post published after its snapshot date": (
        with_bad_row("youtube/posts", "jsonl", **{"snippet.publishedAt": "2026-03-11T00:30:00Z"}),
        Quarantined("published_date", "published_on_or_before_snapshot_date", "2026-03-11"),
    ),
    "roster row of an unknown platform": (
        with_bad_row("roster", "csv", platform="vine"),
        Quarantined("platform", "isin", "vine"),
    ),
    "roster row without an account id": (
        with_bad_row("roster", "csv", account_id=""),
        Quarantined("account_id", "not_null", None),
    ),
    "rate card priced zero": (
        with_bad_row("rate_cards", "csv", price_per_post="0"),
        Quarantined("price_per_post", "greater_than", "0.0"),
    ),
    "rate card priced negative": (
        with_bad_row("rate_cards", "csv", price_per_post="-50"),
        Quarantined("price_per_post", "greater_than", "-50.0"),
    ),
    "rate card price that is not a number": (
        with_bad_row("rate_cards", "csv", price_per_post="fifty"),
        Quarantined("price_per_post", "number", "fifty"),
    ),
    "rate card currency that is not a code": (
        with_bad_row("rate_cards", "csv", currency="kroner"),
        Quarantined("currency", "str_matches", "kroner"),
    ),
    "rate card valid_from that is not a date": (
        with_bad_row("rate_cards", "csv", valid_from="2026-13-01"),
        Quarantined("valid_from", "iso_date", "2026-13-01"),
    ),
    "FX rate zero": (
        with_bad_row("fx_rates", "csv", usd_per_unit="0"),
        Quarantined("usd_per_unit", "greater_than", "0.0"),
    ),
    "FX rate without a date": (
        with_bad_row("fx_rates", "csv", valid_from=""),
        Quarantined("valid_from", "not_null", None),
    ),
    # Accepted as delivered (rules that apply at compute: the last test).
    "duplicate keys (the last row wins)": (
        with_bad_row("instagram/creators", "csv", id="1784", followers_count="5500"),
        Accepted(loaded=1, duplicates=1),
    ),
    "duplicate post keys in JSONL": (
        with_bad_row("tiktok/posts", "jsonl.gz", id="v1"),
        Accepted(loaded=1, duplicates=1),
    ),
    "rate card in a currency without FX rates": (
        with_bad_row("rate_cards", "csv", currency="XYZ"),
        Accepted(loaded=2),
    ),
    # Campaign inputs (design section 8): the same rules, and results of campaign creators only.
    "results row of a creator not in the campaign": (
        with_members(with_bad_row("results", "csv", account_id="zed")),
        Quarantined("account_id", "in_campaign", "zed"),
    ),
    "results row of a campaign that has no such creator": (
        with_members(with_bad_row("results", "jsonl", campaign_id="C9")),
        Quarantined("account_id", "in_campaign", "cy"),
    ),
    "negative clicks": (
        with_members(with_bad_row("results", "csv", clicks="-3")),
        Quarantined("clicks", "non_negative_integer", "-3"),
    ),
    "fractional purchases": (
        with_members(with_bad_row("results", "jsonl.gz", purchases="1.5")),
        Quarantined("purchases", "non_negative_integer", "1.5"),
    ),
    "negative revenue": (
        with_members(with_bad_row("results", "csv", revenue="-20")),
        Quarantined("revenue", "greater_than_or_equal_to", "-20.0"),
    ),
    "revenue in a currency that is not a code": (
        with_members(with_bad_row("results", "csv", currency="euros")),
        Quarantined("currency", "str_matches", "euros"),
    ),
    "revenue without a currency": (
        with_members(with_bad_row("results", "csv", currency="")),
        Quarantined("currency", "given_with_revenue", None),
    ),
    "results file without a revenue field": (
        without_field("results", "csv", "revenue"),
        Rejected("missing required field revenue"),
    ),
    "results folder that is not a date": (
        raw("results/latest/results.csv", encoded("results.csv", [GOOD["results"]])),
        Rejected("is not a date"),
    ),
    "results folder holding another file": (
        raw(f"results/{DAY}/clicks.csv", encoded("clicks.csv", [GOOD["results"]])),
        Rejected("unknown file; expected results"),
    ),
    "campaign that ends before it starts": (
        with_bad_row("campaigns", "csv", end_date="2026-02-01"),
        Quarantined("end_date", "on_or_after_start_date", "2026-02-01"),
    ),
    "campaign without a start date": (
        with_bad_row("campaigns", "csv", start_date=""),
        Quarantined("start_date", "not_null", None),
    ),
    "fee of 0": (
        with_bad_row("campaign_creators", "csv", fee="0"),
        Quarantined("fee", "greater_than", "0.0"),
    ),
    "campaign creator of an unknown platform": (
        with_bad_row("campaign_creators", "csv", platform="vine"),
        Quarantined("platform", "isin", "vine"),
    ),
    "duplicate campaign id (the last row wins)": (
        with_bad_row("campaigns", "csv", campaign_id="C1", brand="Glow Labs EU"),
        Accepted(loaded=1, duplicates=1),
    ),
    "revenue in a currency without FX rates": (
        with_members(with_bad_row("results", "csv", currency="XYZ")),
        Accepted(loaded=2),
    ),
    "header only (no rows that day)": (
        raw(
            where("youtube/posts", "csv"),
            b"id,snippet.channelId,snippet.publishedAt,statistics.viewCount\r\n",
        ),
        Accepted(loaded=0),
    ),
}


def kind_of(relative: str) -> str:
    parts = relative.split("/")
    entity = parts[-1].split(".")[0]
    return entity if len(parts) == 1 or parts[0] == entity else f"{parts[0]}/{entity}"


def test_the_catalog_covers_every_platform_entity_and_reference_file():
    covered = {kind_of(name) for files, _ in CATALOG.values() for name in files}
    assert set(GOOD) <= covered
    assert len(CATALOG) >= 30


def staged_rows(con) -> int:
    return sum(
        con.execute(f"select count(*) from {target.table}").fetchall()[0][0]
        for target in TARGETS.values()
    )


@pytest.mark.parametrize(("files", "expected"), CATALOG.values(), ids=CATALOG.keys())
def test_bad_input(tmp_path: Path, files: dict[str, bytes], expected):
    exports = tmp_path / "exports"
    land(exports, files)
    context = 2 if MEMBERS in files and len(files) > 1 else 0  # the campaign creators load
    files = {name: data for name, data in files.items() if not (context and name == MEMBERS)}
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        report = load_exports(con, exports, "run-1")
        report.files = [f for f in report.files if not (context and f.file == MEMBERS)]
        staged = staged_rows(con) - context
        quarantine = con.execute(
            "select file, row_number, field, rule, value from ops.quarantine"
        ).fetchall()
        loads = con.execute(
            "select file, status, message from ops.loads where file <> ? order by file",
            [MEMBERS if context else ""],
        ).fetchall()
    match expected:
        case Rejected(reason):
            assert [(f.file, f.status) for f in report.files] == [
                (name, "rejected") for name in sorted(files)
            ]
            assert all(reason in f.message for f in report.files), report.files
            assert [(file, status) for file, status, _ in loads] == [
                (name, "rejected") for name in sorted(files)
            ]
            assert (staged, quarantine) == (0, [])  # nothing of a rejected file loads
        case Quarantined(field, rule, value):
            ((name, _),) = files.items()
            (outcome,) = report.files
            assert (outcome.status, outcome.rows_loaded, outcome.rows_quarantined) == (
                "loaded",
                1,
                1,
            )
            assert (name, 2, field, rule, value) in quarantine
            assert {row for _, row, *_ in quarantine} == {2}
            assert staged == 1  # the good row loads
        case Accepted(loaded, duplicates):
            (outcome,) = report.files
            assert (outcome.status, outcome.rows_loaded, outcome.rows_duplicate) == (
                "loaded",
                loaded,
                duplicates,
            )
            assert (staged, quarantine) == (loaded, [])


def test_the_cli_refuses_every_rejected_kind_in_one_line_and_keeps_the_published_marts(
    tmp_path, prefect_api
):
    """All the catalog's unreadable files land at once in a folder that has published: the run
    says so in one line, prints no traceback, and the published marts keep every row."""
    server = {"PREFECT_API_URL": prefect_api}
    assert creatorlens("demo", "--creators", "30", "--days", "4", cwd=tmp_path).returncode == 0
    assert creatorlens("run", cwd=tmp_path, **server).returncode == 0
    published = tmp_path / "data" / "creatorlens.duckdb"
    before = published_marts(str(published))
    assert len(before["creator_daily_metrics"]) == 30
    exports = tmp_path / "data" / "exports"
    rejected = [files for files, expected in CATALOG.values() if isinstance(expected, Rejected)]
    written = set()
    for day, files in enumerate(rejected, start=1):
        for name, data in files.items():
            relative = name.replace(DAY, f"2026-10-{day:02d}")  # one folder per kind
            land(exports, {relative: data})
            written.add(relative)
    result = creatorlens("run", "--verbose", cwd=tmp_path, **server)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"and {len(written) - 3} more" in errors[0], result.stderr
    assert all(relative in result.stdout + result.stderr for relative in written)  # run's log
    assert (
        published_marts(str(published)) == before
    )  # republished with the failed run in its ops tables
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True) as con:
        statuses = con.execute(
            "select file, list(distinct status) from ops.loads where run_id = ("
            " select run_id from ops.runs order by started_at desc limit 1) group by file"
        ).fetchall()
    assert {file for file, status in statuses if status == ["rejected"]} == written
