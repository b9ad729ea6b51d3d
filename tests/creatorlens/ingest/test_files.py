"""Reading JSON Lines: the vectorised reader gives exactly the careful reader's rows, or
leaves the file to it."""

import json
from datetime import date
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from creatorlens.ingest.files import ExportFile
from creatorlens.ingest.rows import INFER_LINES, _jsonl_careful, _jsonl_fast

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


CHANNELS = ExportFile(Path("creators.jsonl"), "youtube/2026-03-10/creators.jsonl", "creators",
                      "jsonl", False, "youtube", date(2026, 3, 10))  # fmt: skip


def read_fields(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns the file's declaration reads (the row checks ignore the others)."""
    declared = {f.source for f in CHANNELS.spec.fields} | {"source_row"}
    return frame.select(sorted(set(frame.columns) & declared))


def test_a_field_or_type_first_seen_after_the_lines_polars_infers_from_is_read_all_the_same():
    """The fast reader infers fields and types from the first INFER_LINES lines: what comes
    later must still read as the careful path reads it, or go to it."""
    first = [
        {"id": f"UC{i}", "snippet": {"title": f"t{i}"}, "statistics": {"subscriberCount": str(i)}}
        for i in range(INFER_LINES + 5)
    ]
    late = len(first) - 3
    variants = {
        "a declared field in a known object": ("statistics", {"hiddenSubscriberCount": True}),
        "a declared object": ("kind", None),
        "a field nobody reads": ("snippet", {"description": "hello"}),
        "a number where text was": ("statistics", {"subscriberCount": 12}),
        "a dotted key beside its object": ("snippet.title", "Literal"),
    }
    for name, (key, change) in variants.items():
        rows = [json.loads(json.dumps(row)) for row in first]
        if name == "a declared object":
            for row in rows:
                del row["statistics"]
            rows[late]["statistics"] = {"subscriberCount": "7"}
        elif isinstance(change, str):
            rows[late][key] = change
        else:
            rows[late][key] |= change
        text = lines(rows, "\n")
        fast = _jsonl_fast(CHANNELS, text.encode())
        careful = _jsonl_careful(CHANNELS, text)
        if fast is not None:
            assert_frame_equal(read_fields(fast), read_fields(careful), check_column_order=False)
    # read in full (not dropped, nor left to the careful path)
    rows = [json.loads(json.dumps(row)) for row in first]
    rows[late]["statistics"]["hiddenSubscriberCount"] = True
    fast = _jsonl_fast(CHANNELS, lines(rows, "\n").encode())
    assert fast["statistics.hiddenSubscriberCount"].to_list()[late - 1 : late + 2] == [
        None,
        "true",
        None,
    ]
