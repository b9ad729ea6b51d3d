"""Each platform's adapter reads its own field names and quirks, in CSV and JSONL, plain or gzip."""

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from creatorlens.ingest.checks import validate_file
from creatorlens.ingest.files import discover
from creatorlens.ingest.rows import parse_rows, read_content
from tests.exportfiles import write_export

DAY = "2026-03-10"


def staged(exports: Path, relative: str) -> pl.DataFrame:
    files, rejected = discover(exports)
    assert rejected == []
    (file,) = [f for f in files if f.relative == relative]
    result = validate_file(file, parse_rows(file, read_content(file)))
    assert result.quarantine.is_empty()
    return result.rows


@pytest.mark.parametrize("name", ["creators.jsonl", "creators.csv.gz", "creators.ndjson.gz"])
def test_instagram_creators(tmp_path, name):
    write_export(
        tmp_path / "instagram" / DAY / name,
        [{"id": "178", "username": "anna", "followers_count": 2000, "follows_count": 10}],
    )
    rows = staged(tmp_path, f"instagram/{DAY}/{name}")
    assert rows.select("platform", "account_id", "handle", "followers", "snapshot_date").row(0) == (
        "instagram", "178", "anna", 2000, date(2026, 3, 10),
    )  # fmt: skip


def test_instagram_posts_nested_owner_and_optional_insights(tmp_path):
    write_export(
        tmp_path / "instagram" / DAY / "posts.jsonl.gz",
        [
            {"id": "p1", "owner": {"id": "178"}, "timestamp": "2026-03-09T18:10:00+0000",
             "like_count": 40, "comments_count": 2, "saved": 3, "shares": 1, "views": 900},
            {"id": "p2", "owner": {"id": "178"}, "timestamp": "2026-03-09T22:00:00-0500",
             "like_count": 10, "comments_count": 0},
        ],
    )  # fmt: skip
    rows = staged(tmp_path, f"instagram/{DAY}/posts.jsonl.gz").sort("post_id")
    assert rows.select("account_id", "likes", "comments", "saves", "shares", "views").rows() == [
        ("178", 40, 2, 3, 1, 900),
        ("178", 10, 0, None, None, None),
    ]
    assert rows["published_at"].to_list() == [
        datetime(2026, 3, 9, 18, 10),
        datetime(2026, 3, 10, 3, 0),
    ]
    assert rows["published_date"].to_list() == [date(2026, 3, 9), date(2026, 3, 10)]


def test_instagram_posts_as_flattened_csv(tmp_path):
    write_export(
        tmp_path / "instagram" / DAY / "posts.csv",
        [{"id": "p1", "owner.id": "178", "timestamp": "2026-03-09T18:10:00+0000", "like_count": "5",
          "comments_count": "1", "caption": 'multi\nline, "quoted"'}],
    )  # fmt: skip
    assert staged(tmp_path, f"instagram/{DAY}/posts.csv").select("account_id", "likes").row(0) == (
        "178",
        5,
    )


@pytest.mark.parametrize("name", ["creators.csv", "creators.jsonl"])
def test_tiktok_creators(tmp_path, name):
    write_export(
        tmp_path / "tiktok" / DAY / name, [{"username": "mia.cooks", "follower_count": "0"}]
    )
    rows = staged(tmp_path, f"tiktok/{DAY}/{name}")
    assert rows.select("account_id", "handle", "followers").row(0) == ("mia.cooks", "mia.cooks", 0)


@pytest.mark.parametrize("name", ["posts.csv.gz", "posts.jsonl"])
def test_tiktok_posts_with_unix_seconds(tmp_path, name):
    write_export(
        tmp_path / "tiktok" / DAY / name,
        [{"id": "7301", "username": "mia.cooks", "create_time": 1773099000, "like_count": 9,
          "comment_count": 1, "share_count": 2, "view_count": 300}],
    )  # fmt: skip
    rows = staged(tmp_path, f"tiktok/{DAY}/{name}")
    assert rows.select("post_id", "likes", "comments", "shares", "views").row(0) == (
        "7301",
        9,
        1,
        2,
        300,
    )
    assert rows["published_at"][0] == datetime(2026, 3, 9, 23, 30)


def test_youtube_channels_with_string_counts_and_hidden_subscribers(tmp_path):
    write_export(
        tmp_path / "youtube" / DAY / "creators.jsonl.gz",
        [
            {"id": "UCa", "snippet": {"title": "Café Ana"},
             "statistics": {"subscriberCount": "1200", "hiddenSubscriberCount": False}},
            {"id": "UCb", "snippet": {"title": "Hidden"}, "statistics": {"hiddenSubscriberCount": True}},
        ],
    )  # fmt: skip
    rows = staged(tmp_path, f"youtube/{DAY}/creators.jsonl.gz").sort("account_id")
    assert rows.select("account_id", "handle", "followers", "is_followers_hidden").rows() == [
        ("UCa", "Café Ana", 1200, False),
        ("UCb", "Hidden", None, True),
    ]


def test_youtube_videos_as_dotted_csv_with_hidden_like_count(tmp_path):
    write_export(
        tmp_path / "youtube" / DAY / "posts.csv",
        [{"id": "vid1", "snippet.channelId": "UCa", "snippet.publishedAt": "2026-03-09T15:00:00Z",
          "statistics.viewCount": "100", "statistics.likeCount": "", "statistics.commentCount": "7"}],
    )  # fmt: skip
    rows = staged(tmp_path, f"youtube/{DAY}/posts.csv")
    assert rows.select("account_id", "likes", "comments", "views").row(0) == ("UCa", None, 7, 100)


def test_bom_crlf_and_extra_columns_in_any_order(tmp_path):
    path = tmp_path / "tiktok" / DAY / "creators.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes("\ufeffextra,follower_count,username\r\nx,15,bo\r\n".encode())
    assert staged(tmp_path, f"tiktok/{DAY}/creators.csv").select("account_id", "followers").row(
        0
    ) == ("bo", 15)
