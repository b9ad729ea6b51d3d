"""The warehouse's helpers around DuckDB: errors come out as DuckDB raised them."""

import duckdb
import polars as pl
import pytest

from creatorlens.warehouse import (
    insert_frame,
    open_warehouse,
    registered,
    release_cache,
    transaction,
)


def test_an_error_in_a_transaction_is_raised_not_the_unregistering_it_refuses(tmp_path):
    """A failed statement aborts the transaction, which then refuses to unregister a frame:
    the failed statement's error is the one raised, not "Current transaction is aborted"."""
    frame = pl.DataFrame({"a": [1]})
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        with (
            pytest.raises(duckdb.CatalogException, match="no_such_table"),
            transaction(con),
            registered(con, "frame_a", frame),
        ):
            con.execute("select * from no_such_table")
        assert con.execute("select 1").fetchall() == [(1,)]  # rolled back, usable


def test_rows_inserted_in_a_transaction_are_those_of_the_frames(tmp_path):
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        con.execute("create table t (a integer, b varchar)")
        with transaction(con):
            for part in range(3):
                insert_frame(con, "t", pl.DataFrame({"b": [f"x{part}"], "a": [part]}))
        assert con.execute("select a, b from t order by a").fetchall() == [
            (0, "x0"),
            (1, "x1"),
            (2, "x2"),
        ]


def test_loading_and_the_rest_of_a_run_work_within_their_own_memory_limits(tmp_path):
    from creatorlens.flows.common import warehouse  # noqa: PLC0415 (Prefect: slow)
    from creatorlens.settings import load_settings  # noqa: PLC0415

    settings = load_settings(warehouse=tmp_path / "warehouse.duckdb")
    settings.duckdb_memory_limit, settings.duckdb_load_memory_limit = "100MB", "300MB"
    limits = {}
    for loading in (False, True):
        with warehouse(settings, loading=loading) as con:
            (limits[loading],) = con.execute("select current_setting('memory_limit')").fetchall()[0]
    assert limits == {False: "95.3 MiB", True: "286.1 MiB"}  # DuckDB's own reading of the sizes


@pytest.mark.slow
def test_releasing_the_cache_lets_go_of_what_was_read_and_keeps_the_limit(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with open_warehouse(path, migrate=True) as con:
        con.execute(
            "create table t as select range as a, md5(range::varchar) as b from range(3000000)"
        )

    def cached(con) -> int:
        query = "select memory_usage_bytes from duckdb_memory() where tag = 'BASE_TABLE'"
        return con.execute(query).fetchall()[0][0]

    with open_warehouse(
        path, memory_limit=("CREATORLENS_DUCKDB_LOAD_MEMORY_LIMIT", "300MB")
    ) as con:
        assert con.execute("select count(distinct b) from t").fetchall() == [(3000000,)]
        before = cached(con)
        release_cache(con)
        assert cached(con) < before / 10
        assert con.execute("select current_setting('memory_limit')").fetchall() == [("286.1 MiB",)]
