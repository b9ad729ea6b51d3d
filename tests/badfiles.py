"""The bad-input catalog's building blocks: a good row of every platform file and agency
file, where each lands, how a row is written as CSV or JSON Lines, and the outcomes a case
expects (tests/creatorlens/ingest/test_bad_inputs.py and test_bad_input_runs.py)."""

import csv
import gzip
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime

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
