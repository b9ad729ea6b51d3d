from datetime import UTC, date, datetime

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from creatorlens.platforms import INSTAGRAM, TIKTOK, YOUTUBE, Kind
from transforms.staging import (
    ROW,
    keep_last_per_key,
    parse_value,
    stage_creator_snapshots,
    stage_post_snapshots,
)


def parsed(values: list[str | None], kind: Kind) -> list:
    return (
        pl.DataFrame({"v": values}, schema={"v": pl.String})
        .select(parse_value("v", kind).alias("v"))["v"]
        .to_list()
    )


def test_counts_accept_digits_and_json_floats_and_refuse_the_rest():
    assert parsed(["12", " 7 ", "3.0", "-1", "1.5", "12k", "", None], Kind.COUNT) == [
        12, 7, 3, None, None, None, None, None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T18:10:00+0000", datetime(2026, 11, 20, 18, 10)),
        ("2026-11-20T15:00:00Z", datetime(2026, 11, 20, 15, 0)),
        ("2026-11-20T22:30:00-05:00", datetime(2026, 11, 21, 3, 30)),
        ("2026-11-21T01:30:00+0200", datetime(2026, 11, 20, 23, 30)),
        ("2026-11-20T15:00:00.250Z", datetime(2026, 11, 20, 15, 0, 0, 250000)),
        ("2026-11-20T15:00:00", datetime(2026, 11, 20, 15, 0)),
        ("2026-02-30T10:00:00Z", None),
        ("yesterday", None),
    ],
)
def test_iso_timestamps_become_naive_utc(text, expected):
    assert parsed([text], Kind.ISO_TIMESTAMP) == [expected]


def test_unix_seconds_and_booleans():
    moment = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
    assert parsed([str(int(moment.timestamp())), "x"], Kind.UNIX_SECONDS) == [
        moment.replace(tzinfo=None),
        None,
    ]
    assert parsed(["true", "False", "1", "maybe", None], Kind.BOOLEAN) == [
        True,
        False,
        True,
        None,
        None,
    ]


def test_timestamps_python_and_bi_tools_cannot_hold_are_unreadable():
    # year 10000 and beyond fit a polars datetime but not a Python one (found by hypothesis)
    assert parsed(["253402300799", "253402300800", "999999999999"], Kind.UNIX_SECONDS) == [
        datetime(9999, 12, 31, 23, 59, 59),
        None,
        None,
    ]
    assert parsed(["1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z"], Kind.ISO_TIMESTAMP) == [
        None,
        datetime(1970, 1, 1),
    ]


def raw(**columns: list) -> pl.DataFrame:
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    return frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(ROW))


def test_youtube_hidden_subscriber_count_means_no_followers():
    delivered = raw(
        **{
            "id": ["UCa", "UCb"],
            "snippet.title": ["A", "B"],
            "statistics.subscriberCount": ["1200", "900"],
            "statistics.hiddenSubscriberCount": ["false", "true"],
        }
    )
    staged = stage_creator_snapshots(delivered, YOUTUBE.creators, "youtube", date(2026, 1, 2))
    assert staged["followers"].to_list() == [1200, None]
    assert staged["is_followers_hidden"].to_list() == [False, True]


def test_tiktok_username_is_both_key_and_handle():
    staged = stage_creator_snapshots(
        raw(username=["mia.cooks"], follower_count=["5000"]),
        TIKTOK.creators,
        "tiktok",
        date(2026, 1, 2),
    )
    assert staged.select("account_id", "handle", "followers").row(0) == (
        "mia.cooks",
        "mia.cooks",
        5000,
    )


def test_posts_published_date_is_the_utc_date_and_absent_insights_are_null():
    delivered = raw(
        **{
            "id": ["p1"],
            "owner.id": ["17"],
            "timestamp": ["2026-03-03T22:00:00-0500"],
            "like_count": ["25"],
            "comments_count": ["5"],
        }
    )
    staged = stage_post_snapshots(delivered, INSTAGRAM.posts, "instagram", date(2026, 3, 10))
    expected = pl.DataFrame(
        {
            "published_date": [date(2026, 3, 4)],
            "likes": [25],
            "comments": [5],
            "shares": [None],
            "saves": [None],
            "views": [None],
        },
        schema_overrides={c: pl.Int64 for c in ("likes", "comments", "shares", "saves", "views")},
    )
    assert_frame_equal(staged.select(expected.columns), expected)


def test_duplicate_keys_keep_the_last_row_and_are_counted():
    frame = pl.DataFrame({"k": ["a", "b", "a", "a"], "v": [1, 2, 3, 4], ROW: [1, 2, 3, 4]})
    kept, dropped = keep_last_per_key(frame, ["k"])
    assert dropped == 2
    assert sorted(kept.select("k", "v").rows()) == [("a", 4), ("b", 2)]
