from datetime import UTC, date, datetime

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from creatorlens.schemas.kinds import parse_value, parsed_column, with_parsed
from creatorlens.schemas.platforms import INSTAGRAM, TIKTOK, YOUTUBE, EntitySpec, Kind, SourceField
from creatorlens.schemas.staging import StgCreatorSnapshots, StgPostSnapshots
from creatorlens.transforms.staging import ROW, keep_last_per_key, stage


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
    assert quick_parsed([text]) == [expected]  # a file of this one value: its quickest parse


def quick_parsed(values: list[str | None]) -> list:
    """Timestamps as with_parsed reads a file's column of them (the quickest parse that reads
    them all)."""
    raw = pl.DataFrame({"timestamp": values}, schema={"timestamp": pl.String})
    spec = EntitySpec((SourceField("timestamp", "published_at", Kind.ISO_TIMESTAMP),))
    return with_parsed(raw, spec)[parsed_column("timestamp", Kind.ISO_TIMESTAMP)].to_list()


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
    staged = stage(StgCreatorSnapshots, delivered, YOUTUBE.creators, "youtube", date(2026, 1, 2))
    assert staged["followers"].to_list() == [1200, None]
    assert staged["is_followers_hidden"].to_list() == [False, True]


def test_tiktok_username_is_both_key_and_handle():
    staged = stage(
        StgCreatorSnapshots,
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
    staged = stage(StgPostSnapshots, delivered, INSTAGRAM.posts, "instagram", date(2026, 3, 10))
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


def _two_digits(low: int, high: int, most_low: int, most_high: int):
    """Two digits, mostly in [most_low, most_high], sometimes just outside."""
    return st.one_of(st.integers(most_low, most_high), st.integers(low, high)).map(
        lambda n: f"{n:02d}"
    )


def timestamps_with(offsets) -> st.SearchStrategy[str]:
    """Timestamp-like text with the given offsets: mostly valid, sometimes just outside."""
    return st.builds(
        lambda year, month, day, sep, hour, minute, second, fraction, offset, pad: (
            f"{pad}{year}-{month}-{day}{sep}{hour}:{minute}:{second}{fraction}{offset}{pad}"
        ),
        st.sampled_from(["2026", "2027", "1970", "9999", "1969", "0001"]),
        _two_digits(0, 13, 1, 12),
        _two_digits(0, 32, 1, 28),
        st.sampled_from(["T", " ", "t"]),
        _two_digits(0, 25, 0, 23),
        _two_digits(0, 61, 0, 59),
        _two_digits(0, 61, 0, 59),
        st.sampled_from(["", "", "", ".5", ".123456", ".1234567"]),
        offsets,
        st.sampled_from(["", "", " "]),
    )


utc_offsets = st.sampled_from(["", "Z", "z", "+0000", "+00:00", "-0000", "-00:00"])
timestamps = timestamps_with(
    st.one_of(
        st.builds(
            lambda sign, hours, colon, minutes: f"{sign}{hours}{colon}{minutes}",
            st.sampled_from(["+", "-"]),
            _two_digits(0, 25, 0, 14),
            st.sampled_from(["", ":"]),
            st.one_of(st.sampled_from(["00", "30", "45"]), _two_digits(0, 61, 0, 59)),
        ),
        utc_offsets,
        st.sampled_from(["+0", "UTC", "+00:0"]),
    )
)


@given(st.lists(st.one_of(timestamps, timestamps, st.text(max_size=30), st.none()), max_size=40))
def test_the_quick_timestamp_parse_gives_what_the_general_one_gives(values):
    """with_parsed parses the common timestamp shape quickly and the rest the general way: the
    same values as parse_value, the definition, for any mix of shapes."""
    assert quick_parsed(values) == parsed(values, Kind.ISO_TIMESTAMP)


@given(st.lists(timestamps, min_size=1, max_size=40))
def test_the_quick_timestamp_parse_alone_gives_what_the_general_one_gives(values):
    """The same, when every value has a timestamp's shape (the quick parse alone decides)."""
    test_the_quick_timestamp_parse_gives_what_the_general_one_gives.hypothesis.inner_test(values)


@given(st.lists(timestamps_with(utc_offsets), min_size=1, max_size=40))
def test_the_quickest_timestamp_parse_alone_gives_what_the_general_one_gives(values):
    """The same, when every value has a timestamp's shape in UTC (the UTC parse decides)."""
    test_the_quick_timestamp_parse_gives_what_the_general_one_gives.hypothesis.inner_test(values)
