"""Real-world quirks load as what they mean: encodings, line endings, quoting, compression,
column order, extra and missing fields, numbers as text, and counts that behave oddly."""

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from creatorlens import reference
from creatorlens.ingest.loading import load_exports
from creatorlens.warehouse import open_warehouse
from tests.computing import compute_marts
from tests.exportfiles import land

DAY = "2026-03-10"


def load(tmp_path: Path, files: dict[str, bytes], query: str) -> list[tuple]:
    """Land `files`, load them, and return `query` over the warehouse; nothing quarantined."""
    exports = tmp_path / "exports"
    land(exports, files)
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        report = load_exports(con, exports, "run-1")
        assert [f.status for f in report.files] == ["loaded"] * len(files), report.files
        assert report.rows_quarantined == 0
        return con.execute(query).fetchall()


def jsonl(*rows: dict) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()


CREATORS = "select account_id, handle, followers from staging.stg_creator_snapshots order by 1"
POSTS = (
    "select post_id, account_id, published_at::varchar, likes, comments, shares, saves, views"
    " from staging.stg_post_snapshots order by 1"
)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no BOM", "BOM"])
def test_utf8_with_and_without_a_byte_order_mark(tmp_path, bom):
    files = {
        f"youtube/{DAY}/creators.csv": bom
        + "id,snippet.title,statistics.subscriberCount\nUCé,Crème 🍰,4100\n".encode(),
        f"instagram/{DAY}/creators.jsonl": bom
        + jsonl({"id": "17", "username": "ngọc", "followers_count": 9}),
    }
    assert load(tmp_path, files, CREATORS) == [("17", "ngọc", 9), ("UCé", "Crème 🍰", 4100)]


def test_crlf_line_endings_in_csv_and_jsonl(tmp_path):
    files = {
        f"tiktok/{DAY}/creators.csv": b"username,follower_count\r\nbo,15\r\ncy,16\r\n",
        f"instagram/{DAY}/creators.jsonl": b'{"id": "1", "followers_count": 3}\r\n\r\n'
        b'{"id": "2", "followers_count": 4}\r\n',
    }
    assert load(tmp_path, files, CREATORS) == [
        ("1", None, 3),
        ("2", None, 4),
        ("bo", "bo", 15),
        ("cy", "cy", 16),
    ]


def test_newlines_commas_and_quotes_inside_quoted_csv_fields(tmp_path):
    files = {
        f"youtube/{DAY}/creators.csv": b"id,snippet.title,statistics.subscriberCount\n"
        b'UC1,"Cee, ""the chef""\nfrom Aarhus",1200\n'
        b'UC2,"plain",7\n'
    }
    assert load(tmp_path, files, CREATORS) == [
        ("UC1", 'Cee, "the chef"\nfrom Aarhus', 1200),
        ("UC2", "plain", 7),
    ]


def test_gzip_csv_and_jsonl_including_concatenated_gzip_members(tmp_path):
    files = {
        f"tiktok/{DAY}/creators.csv.gz": gzip.compress(b"username,follower_count\nbo,15\n"),
        f"instagram/{DAY}/creators.jsonl.gz": gzip.compress(
            jsonl({"id": "1", "followers_count": 3})
        )
        + gzip.compress(jsonl({"id": "2", "followers_count": 4})),  # as `cat a.gz b.gz` writes
    }
    assert load(tmp_path, files, CREATORS) == [
        ("1", None, 3),
        ("2", None, 4),
        ("bo", "bo", 15),
    ]


def test_columns_in_any_order_extra_fields_and_nested_extras(tmp_path):
    files = {
        f"tiktok/{DAY}/posts.csv": b"view_count,region,share_count,comment_count,like_count,"
        b"create_time,username,id\n400,DK,2,1,10,1773050400,bo,v1\n",
        f"instagram/{DAY}/posts.jsonl": jsonl(
            {
                "media_type": "REEL",
                "children": {"data": [{"id": "c1"}]},
                "hashtags": ["food", "cph"],
                "owner": {"id": "17", "username": "ana"},
                "comments_count": 4,
                "like_count": 120,
                "id": "p1",
                "timestamp": "2026-03-09T10:00:00+0000",
            }
        ),
    }
    assert load(tmp_path, files, POSTS) == [
        ("p1", "17", "2026-03-09 10:00:00", 120, 4, None, None, None),
        ("v1", "bo", "2026-03-09 10:00:00", 10, 1, 2, None, 400),
    ]


def test_a_header_only_file_means_no_rows_that_day_and_replaces_the_partition(tmp_path):
    path = f"tiktok/{DAY}/creators.csv"
    assert load(tmp_path / "a", {path: b"username,follower_count\nbo,15\n"}, CREATORS) == [
        ("bo", "bo", 15)
    ]
    exports = tmp_path / "a" / "exports"
    (exports / path).write_bytes(b"username,follower_count\n")  # restated: nobody that day
    with open_warehouse(tmp_path / "a" / "warehouse.duckdb", migrate=True) as con:
        report = load_exports(con, exports, "run-2")
        assert [(f.status, f.rows_read) for f in report.files] == [("loaded", 0)]
        assert con.execute(CREATORS).fetchall() == []


def test_numbers_as_strings_json_numbers_and_whole_floats(tmp_path):
    files = {
        f"youtube/{DAY}/posts.jsonl": jsonl(
            {
                "id": "a",
                "snippet": {"channelId": "UC1", "publishedAt": "2026-03-09T10:00:00Z"},
                "statistics": {"viewCount": "900", "likeCount": "30", "commentCount": "2"},
            },
            {
                "id": "b",
                "snippet": {"channelId": "UC1", "publishedAt": "2026-03-09T10:00:00Z"},
                "statistics": {"viewCount": 900, "likeCount": 30.0, "commentCount": " 2 "},
            },
        ),
    }
    assert load(tmp_path, files, POSTS) == [
        ("a", "UC1", "2026-03-09 10:00:00", 30, 2, None, None, 900),
        ("b", "UC1", "2026-03-09 10:00:00", 30, 2, None, None, 900),
    ]


def test_fields_missing_on_some_rows_are_null(tmp_path):
    files = {
        f"instagram/{DAY}/posts.jsonl": jsonl(
            {"id": "p1", "owner": {"id": "17"}, "timestamp": "2026-03-09T10:00:00Z",
             "like_count": 5, "comments_count": 1, "saved": 3, "shares": 2, "views": 80},
            {"id": "p2", "owner": {"id": "17"}, "timestamp": "2026-03-09T11:00:00Z",
             "like_count": 6, "comments_count": 0},
        ),
        f"tiktok/{DAY}/posts.csv": b"id,username,create_time,like_count,comment_count,"
        b"share_count,view_count\nv1,bo,1773050400,10,,,400\nv2,bo,1773050400,3,1,0\n",
    }  # fmt: skip
    assert load(tmp_path, files, POSTS) == [
        ("p1", "17", "2026-03-09 10:00:00", 5, 1, 2, 3, 80),
        ("p2", "17", "2026-03-09 11:00:00", 6, 0, None, None, None),
        ("v1", "bo", "2026-03-09 10:00:00", 10, None, None, None, 400),
        ("v2", "bo", "2026-03-09 10:00:00", 3, 1, 0, None, None),
    ]


def test_odd_counts_load_and_mean_what_the_definitions_say(tmp_path):
    """Cumulative counts that go down (a platform removing spam likes), a post with no views
    but many likes, and a creator with zero followers all load; the marts read them as
    section 4 defines: the latest snapshot counts, and rates over zero are null."""
    header = b"id,username,create_time,like_count,comment_count,share_count,view_count\n"
    files = {
        "tiktok/2026-03-09/creators.csv": b"username,follower_count\nbo,1000\nzed,0\n",
        "tiktok/2026-03-10/creators.csv": b"username,follower_count\nbo,1000\nzed,0\n",
        "tiktok/2026-03-09/posts.csv": header + b"v1,bo,1773050400,100,10,0,5000\n",
        "tiktok/2026-03-10/posts.csv": header + b"v1,bo,1773050400,90,10,0,4800\n"
        b"v2,zed,1773050400,250,5,5,0\n",
    }
    as_of = date(2026, 3, 10)
    exports = tmp_path / "exports"
    land(exports, files)
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        report = load_exports(con, exports, "run-1")
        assert (report.rows_loaded, report.rows_quarantined) == (7, 0)
        compute_marts(con, reference.tier_scheme("default"), as_of, as_of)
        rows = con.execute(
            "select account_id, followers, engagements_30d, engagement_rate_30d,"
            " view_engagement_rate_30d from marts.creator_daily_metrics order by 1"
        ).fetchall()
    assert rows == [
        ("bo", 1000, 100, 100 / 1000, 100 / 4800),  # the later, lower counts
        ("zed", 0, 260, None, None),  # zero followers, zero views: no rate, no error
    ]
