"""The catalog of bad inputs: every kind, on every platform, entity and agency file, with
its outcome. A file is rejected whole (a message naming the file and the reason; nothing of
it loads), or a row is quarantined (field, rule and value; the file's good rows load), or the
input is accepted as it is. The README's "When input is bad" section lists the same outcomes.
"""

import csv
import gzip
import io
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from creatorlens import reference
from creatorlens.ingest.checks import TARGETS
from creatorlens.ingest.loading import load_exports
from creatorlens.warehouse import open_warehouse
from tests.clirun import creatorlens
from tests.computing import compute_marts
from tests.exportfiles import land
from tests.flows.marts_reader import published_marts

DAY = "2026-03-10"
TIKTOK_MORNING = str(int(datetime(2026, 3, 9, 10, tzinfo=UTC).timestamp()))

GOOD: dict[str, dict[str, str]] = {
    "instagram/creators": {"id": "1784", "username": "ana", "followers_count": "5400"},
    "instagram/posts": {
        "id": "p1",
        "owner.id": "1784",
        "timestamp": "2026-03-09T10:00:00+0000",
        "like_count": "120",
        "comments_count": "4",
    },
    "tiktok/creators": {"username": "bo", "follower_count": "8000"},
    "tiktok/posts": {
        "id": "v1",
        "username": "bo",
        "create_time": TIKTOK_MORNING,
        "like_count": "10",
        "comment_count": "1",
        "share_count": "0",
        "view_count": "400",
    },
    "youtube/creators": {
        "id": "UC1",
        "snippet.title": "Cee",
        "statistics.subscriberCount": "12000",
        "statistics.hiddenSubscriberCount": "false",
    },
    "youtube/posts": {
        "id": "yt1",
        "snippet.channelId": "UC1",
        "snippet.publishedAt": "2026-03-09T10:00:00Z",
        "statistics.viewCount": "900",
        "statistics.likeCount": "30",
    },
    "roster": {"platform": "tiktok", "account_id": "bo", "niche": "food", "country": "DK"},
    "rate_cards": {
        "platform": "tiktok",
        "account_id": "bo",
        "price_per_post": "150",
        "currency": "DKK",
        "valid_from": "2026-01-01",
    },
    "fx_rates": {"currency": "DKK", "usd_per_unit": "0.145", "valid_from": "2026-01-01"},
    "campaigns": {
        "campaign_id": "C1",
        "brand": "Glow Labs",
        "name": "Spring",
        "start_date": "2026-03-01",
        "end_date": "2026-03-14",
    },
    "campaign_creators": {
        "campaign_id": "C1",
        "platform": "tiktok",
        "account_id": "bo",
        "fee": "300",
        "currency": "DKK",
    },
    "results": {
        "campaign_id": "C1",
        "platform": "tiktok",
        "account_id": "bo",
        "clicks": "40",
        "signups": "5",
        "purchases": "2",
        "revenue": "90.5",
        "currency": "EUR",
    },
}
SECOND_KEY: dict[str, dict[str, str]] = {
    "instagram/creators": {"id": "1785"},
    "instagram/posts": {"id": "p2"},
    "tiktok/creators": {"username": "cy"},
    "tiktok/posts": {"id": "v2"},
    "youtube/creators": {"id": "UC2"},
    "youtube/posts": {"id": "yt2"},
    "roster": {"account_id": "cy"},
    "rate_cards": {"account_id": "cy"},
    "fx_rates": {"currency": "EUR"},
    "campaigns": {"campaign_id": "C2"},
    "campaign_creators": {"account_id": "cy"},
    "results": {"account_id": "cy"},
}
MEMBERS = "campaign_creators.csv"
"""Results are checked against the campaigns' creators: bo and cy of campaign C1."""


def where(kind: str, ext: str, day: str = DAY) -> str:
    """The landing path of a `kind` ('tiktok/posts', 'results' or 'roster') file with
    extension `ext`."""
    if kind == "results":
        return f"results/{day}/results.{ext}"
    if "/" not in kind:
        return f"{kind}.{ext}"
    platform, entity = kind.split("/")
    return f"{platform}/{day}/{entity}.{ext}"


def nested(row: dict[str, str | None]) -> dict:
    """Dotted field names as the nested objects a JSON export holds."""
    out: dict = {}
    for name, value in row.items():
        *parents, leaf = name.split(".")
        node = out
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = value
    return out


def encoded(relative: str, rows: list[dict]) -> bytes:
    if ".jsonl" in relative:
        data = "".join(json.dumps(nested(row)) + "\n" for row in rows).encode()
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(dict.fromkeys(k for r in rows for k in r)))
        writer.writeheader()
        writer.writerows(rows)
        data = buffer.getvalue().encode()
    return gzip.compress(data) if relative.endswith(".gz") else data


def good_file(kind: str, ext: str = "csv") -> dict[str, bytes]:
    relative = where(kind, ext)
    return {relative: encoded(relative, [GOOD[kind]])}


def with_bad_row(kind: str, ext: str, **bad: str | None) -> dict[str, bytes]:
    """A file of one good row and, second, a row with `bad` fields."""
    second = {**GOOD[kind], **SECOND_KEY[kind], **bad}
    relative = where(kind, ext)
    return {relative: encoded(relative, [GOOD[kind], second])}


def without_field(kind: str, ext: str, field: str) -> dict[str, bytes]:
    row = {k: v for k, v in GOOD[kind].items() if k != field}
    relative = where(kind, ext)
    return {relative: encoded(relative, [row])}


def raw(relative: str, data: bytes) -> dict[str, bytes]:
    return {relative: data}


def with_members(files: dict[str, bytes]) -> dict[str, bytes]:
    """A results file delivered with its campaign's creators (the file under test is the
    other one)."""
    members = [GOOD["campaign_creators"], {**GOOD["campaign_creators"], "account_id": "cy"}]
    return {MEMBERS: encoded(MEMBERS, members), **files}


@dataclass(frozen=True)
class Rejected:
    reason: str


@dataclass(frozen=True)
class Quarantined:
    field: str
    rule: str
    value: str | None


@dataclass(frozen=True)
class Accepted:
    loaded: int
    duplicates: int = 0


CSV_OF_CREATORS = b"username,follower_count\nbo,8000\ncy,120\n"

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


def test_results_are_checked_again_when_the_campaign_creators_change(tmp_path):
    """Results delivered before their campaign's creators are quarantined (in_campaign); once
    campaign_creators.csv arrives the unchanged results file is checked again, and its rows
    load. A creator dropped from the campaign later has its rows quarantined again."""
    exports = tmp_path / "exports"
    land(exports, with_bad_row("results", "csv"))

    def load(run_id: str) -> tuple[list, list]:
        with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
            report = load_exports(con, exports, run_id)
            staged = con.execute(
                "select account_id from staging.stg_campaign_results order by 1"
            ).fetchall()
            quarantined = con.execute(
                "select value from ops.quarantine where run_id = ? and rule = 'in_campaign'"
                " order by 1",
                [run_id],
            ).fetchall()
        outcome = next(f for f in report.files if f.file.startswith("results/"))
        return [
            (outcome.status, outcome.rows_loaded, outcome.rows_quarantined),
            staged,
        ], quarantined

    assert load("run-1") == ([("loaded", 0, 2), []], [("bo",), ("cy",)])
    land(exports, with_members({}))
    assert load("run-2") == ([("loaded", 2, 0), [("bo",), ("cy",)]], [])
    assert load("run-3")[0][0] == ("unchanged", 0, 0)  # nothing changed: nothing read
    (exports / MEMBERS).write_bytes(encoded(MEMBERS, [GOOD["campaign_creators"]]))
    assert load("run-4") == ([("loaded", 1, 1), [("bo",)]], [("cy",)])


def test_rate_cards_without_an_fx_rate_in_force_are_reported_and_defaults_priced(tmp_path):
    """Accepted at load, the rule applies at compute: a card whose currency has no FX rate in
    force on the as-of date is not used, the default price applies, the card is reported."""
    exports = tmp_path / "exports"
    files = {
        **with_bad_row("tiktok/creators", "csv"),  # two good creators: bo and cy
        **with_bad_row("rate_cards", "csv", currency="XYZ"),  # no FX rates for XYZ at all
        **raw("fx_rates.csv", b"currency,usd_per_unit,valid_from\nDKK,0.145,2026-03-11\n"),
    }  # DKK's first rate starts the day after the as-of date: missing on the day
    land(exports, files)
    as_of = datetime.fromisoformat(DAY).date()
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        load_exports(con, exports, "run-1")
        compute_marts(con, reference.tier_scheme("default"), as_of, as_of, run_id="run-1")
        reported = con.execute(
            "select file, row_number, field, rule, value from ops.quarantine order by row_number"
        ).fetchall()
        prices = con.execute(
            "select account_id, price_source from marts.creator_daily_metrics order by 1"
        ).fetchall()
    assert reported == [
        ("rate_cards.csv", 1, "currency", "fx_rate_in_force", "DKK"),
        ("rate_cards.csv", 2, "currency", "fx_rate_in_force", "XYZ"),
    ]
    assert prices == [("bo", "tier_default"), ("cy", "tier_default")]


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


def test_a_folder_dated_in_the_future_never_becomes_the_date_a_run_computes(tmp_path, prefect_api):
    """A typo'd folder (2062) beside normal days is refused with its reason; published anyway
    (--allow-partial), the marts are as of the latest real day; a warehouse that loaded such a
    partition before it was refused does not compute it either."""
    server = {"PREFECT_API_URL": prefect_api}
    assert creatorlens("demo", "--creators", "30", "--days", "4", cwd=tmp_path).returncode == 0
    exports = tmp_path / "data" / "exports"
    latest = max(p.name for p in (exports / "tiktok").iterdir())
    typo = exports / "tiktok" / "2062-11-20"
    typo.mkdir()
    shutil.copy(exports / "tiktok" / latest / "creators.csv", typo / "creators.csv")
    refused = creatorlens("run", cwd=tmp_path, **server)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    (error,) = [line for line in refused.stderr.splitlines() if line.startswith("error:")]
    assert (
        "tiktok/2062-11-20/creators.csv: rejected (folder '2062-11-20' is dated after tomorrow"
        in error
    )
    published = creatorlens("run", "--allow-partial", cwd=tmp_path, **server)
    assert published.returncode == 0, published.stderr
    marts = tmp_path / "data" / "creatorlens.duckdb"
    with duckdb.connect(str(marts), read_only=True) as con:
        dates = con.execute("select max(as_of_date)::varchar from marts.creator_daily_metrics")
        assert dates.fetchall() == [(latest,)]
    shutil.rmtree(typo)
    with open_warehouse(
        tmp_path / "data" / "warehouse.duckdb", migrate=True
    ) as con:  # loaded by an older version
        con.execute(
            "insert into staging.stg_creator_snapshots select * replace ('2062-11-20'::date as"
            " snapshot_date) from staging.stg_creator_snapshots where snapshot_date = ?",
            [latest],
        )
    again = creatorlens("run", cwd=tmp_path, **server)
    assert again.returncode == 0, again.stderr
    assert f"as of {latest}" in again.stdout


def test_values_and_names_that_look_like_sql_are_only_data(tmp_path):
    """Values from files reach DuckDB as parameters or registered frames, never as SQL text."""
    exports = tmp_path / "exports"
    hostile = "x'); drop table staging.stg_creator_snapshots; --"
    files = {
        where("tiktok/creators", "csv"): encoded(
            "creators.csv", [{"username": hostile, "follower_count": "12"}]
        ),
        f"tiktok/{DAY}/posts'; drop table ops.loads; --.csv": b"id\n1\n",
        "youtube/2026-03-10'--/creators.csv": b"id\n1\n",
    }
    land(exports, files)
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        report = load_exports(con, exports, "run-1")
        handles = con.execute("select account_id, handle from staging.stg_creator_snapshots")
        assert handles.fetchall() == [(hostile, hostile)]
        recorded = con.execute("select file, status from ops.loads order by file").fetchall()
    assert sorted((f.file, f.status) for f in report.files) == recorded
    assert recorded == [
        (f"tiktok/{DAY}/creators.csv", "loaded"),
        (f"tiktok/{DAY}/posts'; drop table ops.loads; --.csv", "rejected"),
        ("youtube/2026-03-10'--/creators.csv", "rejected"),
    ]
