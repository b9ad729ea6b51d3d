"""Reading JSON Lines: the vectorised reader gives exactly the careful reader's rows, or
leaves the file to it."""

import json
from datetime import date
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from creatorlens.ingest.files import ExportFile, _jsonl_careful, _jsonl_fast

FILE = ExportFile(Path("creators.jsonl"), "tiktok/2026-03-10/creators.jsonl", "creators",
                  "jsonl", False, "tiktok", date(2026, 3, 10))  # fmt: skip

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
)
values = st.recursive(
    leaves,
    lambda inner: st.dictionaries(st.sampled_from(["x", "y", "a.b"]), inner, max_size=3),
    max_leaves=6,
)
objects = st.fixed_dictionaries(
    {"username": st.one_of(st.text(max_size=6), st.integers()), "follower_count": values},
    optional={"statistics": values, "extra": values, "a": values},
)


def lines(rows: list[dict], separator: str, separators: tuple[str, str] = (", ", ": ")) -> str:
    dumped = (json.dumps(row, ensure_ascii=False, separators=separators) for row in rows)
    return "".join(row + separator for row in dumped)


@given(
    st.lists(objects, min_size=1, max_size=6),
    st.sampled_from(["\n", "\r\n", "\n\n"]),
    st.sampled_from([(", ", ": "), (",", ":")]),
)
def test_the_fast_reader_agrees_with_the_careful_one_or_leaves_the_file_to_it(
    rows, separator, separators
):
    text = lines(rows, separator, separators)
    fast = _jsonl_fast(FILE, text.encode())
    if fast is not None:  # the same rows and values; nothing reads the order of the columns
        assert_frame_equal(fast, _jsonl_careful(FILE, text), check_column_order=False)


def test_plain_exports_take_the_fast_path_with_their_line_numbers():
    rows = [
        {"username": "ana", "follower_count": "900", "verified": True, "stats": {"likes": 3}},
        {"username": "bo", "follower_count": "12k", "verified": None, "stats": {"likes": None}},
    ]
    fast = _jsonl_fast(FILE, lines(rows, "\r\n").encode())
    assert fast is not None
    assert fast.to_dicts() == [
        {
            "username": "ana",
            "follower_count": "900",
            "verified": "true",
            "stats.likes": "3",
            "source_row": 1,
        },
        {
            "username": "bo",
            "follower_count": "12k",
            "verified": None,
            "stats.likes": None,
            "source_row": 2,
        },
    ]


def test_what_the_fast_reader_would_read_differently_goes_to_the_careful_one():
    for text in [
        '{"username": "a", "follower_count": 1}\n\n{"username": "b", "follower_count": 2}\n',
        '{"username": "a", "follower_count": 1.5}\n',
        '{"username": "a", "follower_count": "1"}\n{"username": "b", "follower_count": 100.0}\n',
        '{"username": "a", "follower_count": "1"}\n{"username": "b", "follower_count": {"x": "2"}}\n',
        '{"username": "a", "follower_count": [1]}\n',
        '{"username": "a", "follower_count": 1, "s": {"x": 1}}\n{"username": "b", "follower_count": 1, "s": null}\n',
        '{"username": "a"}\n',  # missing a field: the careful path's message lists what it found
        '{"username": "a", "follower_count": 1}\nnot json\n',
    ]:
        assert _jsonl_fast(FILE, text.encode()) is None, text


def test_a_repeated_key_keeps_its_first_value_on_both_paths():
    text = '{"username": "a", "follower_count": 1, "follower_count": 2}\n'
    expected = pl.DataFrame({"username": ["a"], "follower_count": ["1"], "source_row": [1]})
    assert_frame_equal(_jsonl_fast(FILE, text.encode()), expected)
    assert_frame_equal(_jsonl_careful(FILE, text), expected)
