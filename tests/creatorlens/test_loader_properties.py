"""Property tests: whatever a file holds, the loader ends it loaded or rejected, never crashes,
accounts for every row, and loading it again changes nothing."""

import gzip
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from creatorlens.loader import load_exports
from creatorlens.warehouse import open_warehouse
from tests.exportfiles import write_export

DAY = "2026-03-10"
NAMES = ["creators.csv", "creators.jsonl", "posts.csv.gz", "posts.jsonl.gz"]
POST_FIELDS = [
    "id",
    "username",
    "create_time",
    "like_count",
    "comment_count",
    "share_count",
    "view_count",
]
CREATOR_FIELDS = ["username", "follower_count"]

text_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.sampled_from(
        ["", " ", "1773099000", "12.0", "1e3", "NaN", "-0", "٣", "\ufeff7", "253402300800"]
    ),
)


def load_twice(relative: str, write) -> tuple:
    """Load a folder holding one file twice; return both reports and the staged row counts."""
    with tempfile.TemporaryDirectory() as folder:
        exports = Path(folder) / "exports"
        write(exports / relative)
        with open_warehouse(Path(folder) / "warehouse.duckdb") as con:
            first = load_exports(con, exports, "run-1")
            staged = con.execute(
                "select (select count(*) from staging.stg_creator_snapshots)"
                " + (select count(*) from staging.stg_post_snapshots)"
            ).fetchall()[0][0]
            quarantined = con.execute(
                "select count(distinct row_number) from ops.quarantine"
            ).fetchall()[0][0]
            second = load_exports(con, exports, "run-2")
            loads = con.execute("select count(*) from ops.loads").fetchall()[0][0]
    return first, second, staged, quarantined, loads


def assert_accounted(first, second, staged: int, quarantined: int, loads: int) -> None:
    (outcome,) = first.files
    assert outcome.status in {"loaded", "rejected"}
    if outcome.status == "rejected":
        assert outcome.message and staged == 0 and quarantined == 0
        assert second.files[0].status == "rejected"  # re-checked every run, still nothing loaded
        return
    assert (
        outcome.rows_read == outcome.rows_loaded + outcome.rows_quarantined + outcome.rows_duplicate
    )
    assert (staged, quarantined) == (outcome.rows_loaded, outcome.rows_quarantined)
    assert [f.status for f in second.files] == ["unchanged"] and loads == 1


@given(content=st.binary(max_size=400), name=st.sampled_from(NAMES), compress=st.booleans())
def test_arbitrary_bytes_never_crash_the_loader(content, name, compress):
    data = gzip.compress(content) if compress and name.endswith(".gz") else content

    def write(path: Path) -> None:
        path.parent.mkdir(parents=True)
        path.write_bytes(data)

    assert_accounted(*load_twice(f"tiktok/{DAY}/{name}", write))


@given(
    entity=st.sampled_from(["creators", "posts"]),
    ext=st.sampled_from(["csv", "jsonl", "csv.gz", "jsonl.gz"]),
    rows=st.data(),
)
def test_arbitrary_rows_are_each_loaded_or_quarantined_and_loading_is_idempotent(entity, ext, rows):
    fields = POST_FIELDS if entity == "posts" else CREATOR_FIELDS
    row = st.fixed_dictionaries({}, optional={f: text_values for f in [*fields, "extra"]})
    drawn = rows.draw(st.lists(row, max_size=15))

    def write(path: Path) -> None:
        write_export(path, drawn, header=[*fields, "extra"])

    assert_accounted(*load_twice(f"tiktok/{DAY}/{entity}.{ext}", write))
