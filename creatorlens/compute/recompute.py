"""The computed as-of dates that late and restated data changed: what ops.changes records (the
loader writes it, creatorlens.ingest.changes) until a run recomputes them."""

import duckdb
import polars as pl

from creatorlens.warehouse import query_frame


def pending(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Recorded changes not yet recomputed, with the computed as-of dates each reaches."""
    return query_frame(con, "int/int_pending_changes")


def clear(con: duckdb.DuckDBPyConnection, load_ids: list[str]) -> None:
    """Forget changes whose as-of dates have been recomputed."""
    con.execute("delete from ops.changes where list_contains(?, load_id)", [load_ids])
