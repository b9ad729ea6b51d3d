"""Source freshness, in the spirit of dbt's: how many days each platform's snapshots lag the
run's date, against a warn and an error limit (settings freshness_warn_after_days and
freshness_error_after_days)."""

from datetime import date

import duckdb
import polars as pl

from creatorlens.warehouse import insert_frame, query_frame, transaction


def check(
    con: duckdb.DuckDBPyConnection, run_date: date, warn_after_days: int, error_after_days: int
) -> pl.DataFrame:
    """Each platform and entity's freshness against `run_date`, recorded in ops.freshness."""
    frame = query_frame(
        con,
        "int/int_freshness",
        run_date=run_date,
        warn_after_days=warn_after_days,
        error_after_days=error_after_days,
    )
    with transaction(con):
        con.execute("delete from ops.freshness")
        insert_frame(con, "ops.freshness", frame)
    return frame


def describe(row: dict) -> str:
    """One line for people: which source, how old, and against what."""
    behind = row["days_behind"]
    return (
        f"{row['platform']} {row['entity']}: latest snapshot {row['latest_snapshot_date']}, "
        f"{behind} day{'' if behind == 1 else 's'} behind {row['checked_on']} ({row['status']})"
    )
