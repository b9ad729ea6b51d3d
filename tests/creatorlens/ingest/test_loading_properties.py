"""Property tests: whatever a file holds, the loader ends it loaded or rejected, never crashes,
accounts for every row, and loading it again changes nothing."""

import gzip
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creatorlens.ingest.checks import TARGETS
from creatorlens.ingest.loading import load_exports
from creatorlens.schemas.platforms import ADAPTERS, AGENCY_SPECS, DATED_SPECS, ENTITIES
from creatorlens.warehouse import open_warehouse
from tests.exportfiles import write_export

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`


DAY = "2026-03-10"
SPECS = {
    **{
        f"{platform}/{DAY}/{entity}": adapter.entity(entity)
        for platform, adapter in ADAPTERS.items()
        for entity in ENTITIES
    },
    **{f"{entity}/{DAY}/{entity}": spec for entity, spec in DATED_SPECS.items()},
    **AGENCY_SPECS,
}
"""Every kind of file: each platform's creators and posts, the campaign results, and the
agency files."""
FORMATS = ["csv", "jsonl", "csv.gz", "jsonl.gz"]


def fields_of(kind: str) -> list[str]:
    return list(dict.fromkeys(f.source for f in SPECS[kind].fields))


def path_of(kind: str, ext: str) -> str:
    return f"{kind}.csv" if kind in AGENCY_SPECS else f"{kind}.{ext}"


text_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.sampled_from(
        [
            *["", " ", "1773099000", "12.0", "1e3", "NaN", "-0", "٣", "\ufeff7", "253402300800"],
            *["2026-03-09", "2026-03-09T10:00:00Z", "tiktok", "USD", "0.14", "true", "hidden"],
        ]
    ),
)


def load_twice(relative: str, write) -> tuple:
    """Load a folder holding one file twice; return both reports and the staged row counts."""
    with tempfile.TemporaryDirectory() as folder:
        exports = Path(folder) / "exports"
        write(exports / relative)
        with open_warehouse(Path(folder) / "warehouse.duckdb", migrate=True) as con:
            first = load_exports(con, exports, "run-1")
            staged = sum(
                con.execute(f"select count(*) from {target.table}").fetchall()[0][0]
                for target in TARGETS.values()
            )
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


@given(
    content=st.binary(max_size=400),
    kind=st.sampled_from(sorted(SPECS)),
    ext=st.sampled_from(FORMATS),
    compress=st.booleans(),
)
def test_arbitrary_bytes_never_crash_the_loader(content, kind, ext, compress):
    relative = path_of(kind, ext)
    data = gzip.compress(content) if compress and relative.endswith(".gz") else content

    def write(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    assert_accounted(*load_twice(relative, write))


@given(kind=st.sampled_from(sorted(SPECS)), ext=st.sampled_from(FORMATS), rows=st.data())
def test_arbitrary_rows_are_each_loaded_or_quarantined_and_loading_is_idempotent(kind, ext, rows):
    fields = fields_of(kind)
    row = st.fixed_dictionaries({}, optional={f: text_values for f in [*fields, "extra"]})
    drawn = rows.draw(st.lists(row, max_size=15))

    def write(path: Path) -> None:
        write_export(path, drawn, header=[*fields, "extra"])

    assert_accounted(*load_twice(path_of(kind, ext), write))
