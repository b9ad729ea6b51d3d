"""Tasks retry transient I/O errors with backoff; user errors and bugs fail at once."""

import subprocess
import sys
import time

import duckdb
import pytest
from prefect.states import Failed

from creatorlens.errors import CreatorlensError, WarehouseBusyError
from creatorlens.flows.common import is_transient
from creatorlens.flows.nightly import nightly
from creatorlens.ingest.files import RejectedFileError
from tests.flows.test_nightly import D, write_hand_export

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (WarehouseBusyError("busy"), True),
        (OSError(5, "Input/output error"), True),
        (duckdb.IOException("disk"), True),
        (RejectedFileError("x.csv", "empty file"), False),
        (CreatorlensError("bad setting"), False),
        (ValueError("a bug"), False),
    ],
)
def test_only_transient_errors_are_retried(error, retried):
    assert is_transient(None, None, Failed(data=error)) is retried


def hold_warehouse(settings, seconds: float) -> subprocess.Popen:
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(settings.warehouse), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "holding"
    return holder


@pytest.mark.usefixtures("prefect_harness")
def test_a_warehouse_held_for_a_moment_by_another_process_is_waited_out(settings):
    write_hand_export(settings.exports_dir)
    holder = hold_warehouse(settings, 3)
    started = time.monotonic()
    summary = nightly(run_date=D, settings=settings)
    assert time.monotonic() - started >= 2  # it retried, with backoff, until the holder let go
    assert summary.rows_computed == 4
    holder.wait(timeout=10)


@pytest.mark.usefixtures("prefect_harness")
def test_a_warehouse_held_for_good_fails_the_run_with_one_line(settings):
    write_hand_export(settings.exports_dir)
    holder = hold_warehouse(settings, 60)
    try:
        with pytest.raises(WarehouseBusyError, match="another process holds this DuckDB file"):
            nightly(run_date=D, settings=settings)
    finally:
        holder.kill()
