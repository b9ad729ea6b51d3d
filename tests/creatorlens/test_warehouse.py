"""The warehouse's helpers around DuckDB: errors come out as DuckDB raised them."""

import duckdb
import polars as pl
import pytest

from creatorlens.warehouse import insert_frame, open_warehouse, registered, transaction


def test_an_error_in_a_transaction_is_raised_not_the_unregistering_it_refuses(tmp_path):
    """A failed statement aborts the transaction, which then refuses to unregister a frame:
    the failed statement's error is the one raised, not "Current transaction is aborted"."""
    frame = pl.DataFrame({"a": [1]})
    with open_warehouse(tmp_path / "warehouse.duckdb") as con:
        with (
            pytest.raises(duckdb.CatalogException, match="no_such_table"),
            transaction(con),
            registered(con, "frame_a", frame),
        ):
            con.execute("select * from no_such_table")
        assert con.execute("select 1").fetchall() == [(1,)]  # rolled back, usable


def test_rows_inserted_in_a_transaction_are_those_of_the_frames(tmp_path):
    with open_warehouse(tmp_path / "warehouse.duckdb") as con:
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
    from creatorlens.settings import load_settings  # noqa: PLC0415
    from flows.tasks import warehouse  # noqa: PLC0415 (Prefect: slow)

    settings = load_settings(warehouse=tmp_path / "warehouse.duckdb")
    settings.duckdb_memory_limit, settings.duckdb_load_memory_limit = "100MB", "300MB"
    limits = {}
    for loading in (False, True):
        with warehouse(settings, loading=loading) as con:
            (limits[loading],) = con.execute("select current_setting('memory_limit')").fetchall()[0]
    assert limits == {False: "95.3 MiB", True: "286.1 MiB"}  # DuckDB's own reading of the sizes
