"""A BI-like reader for tests: connects to the published marts read-only, again and again.

    python -m tests.flows.marts_reader MARTS_FILE STOP_FILE [HOLD_SECONDS]

Until STOP_FILE exists, it opens a fresh read-only connection and reads the as-of dates of every
dated mart, and reads them again through one connection held open the whole time (or opened
anew every HOLD_SECONDS). It counts reads, refusals (any error opening or querying) and inconsistent reads (marts of one connection
carrying different as-of dates), and how many published versions it saw, as JSON.
"""

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from creatorlens.schemas.declared import MARTS

ROOT = Path(__file__).resolve().parents[2]

DATED_MARTS = ("creator_daily_metrics", "creator_rankings", "tier_benchmarks")


def open_read_only(path: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("attach ? as bi (read_only)", [path])
    return con


def published_marts(path: str) -> dict[str, list[tuple]]:
    """Every mart of the published file, whole and sorted, read through one read-only connection."""
    con = open_read_only(path)
    try:
        return {
            t: con.execute(f"select * from bi.marts.{t} order by all").fetchall() for t in MARTS
        }
    finally:
        con.close()


def dates_of(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Each dated mart's as-of dates, as one connection sees them."""
    query = "select list(distinct as_of_date order by as_of_date) from bi.marts.{}"
    return [tuple(con.execute(query.format(t)).fetchall()[0][0] or ()) for t in DATED_MARTS]


def read(counts: dict, key: str, con: duckdb.DuckDBPyConnection | None, path: str) -> None:
    """One read through `con`, or through a fresh connection when `con` is None."""
    try:
        connection = con or open_read_only(path)
        dates = dates_of(connection)
        counts[key] += 1
        counts["inconsistent"] += any(d != dates[0] for d in dates)
        counts["versions"].add(dates[0])
        if con is None:
            connection.close()
    except duckdb.Error as error:
        counts["refused"] += 1
        counts["errors"] = [*counts["errors"][-4:], str(error).splitlines()[0]]


def main(path: str, stop: Path, hold: float | None = None) -> dict:
    """Read until `stop` exists; the held connection is opened anew every `hold` seconds (as a
    BI tool's pool recycles its connections), or kept the whole time."""
    counts = {
        "reads": 0,
        "held_reads": 0,
        "refused": 0,
        "inconsistent": 0,
        "versions": set(),
        "errors": [],
    }
    held, opened = open_read_only(path), time.monotonic()
    while not stop.exists():
        read(counts, "reads", None, path)
        read(counts, "held_reads", held, path)
        if hold is not None and time.monotonic() - opened > hold:
            held.close()
            held, opened = open_read_only(path), time.monotonic()
        time.sleep(0.005)  # a busy dashboard, not a busy loop that starves the writer of CPU
    held.close()
    return counts | {"versions": len(counts["versions"])}


@contextmanager
def reading(marts: Path, stop: Path, hold: float | None = None) -> Iterator[dict]:
    """This reader polling `marts` in a process of its own for as long as the block runs; its
    counts after it (the reader is stopped whatever happens in the block)."""
    held = [] if hold is None else [str(hold)]
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.flows.marts_reader", str(marts), str(stop), *held],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    counts: dict = {}
    try:
        time.sleep(1)  # connected before the block begins
        yield counts
    finally:
        stop.touch()
        counts.update(json.loads(reader.communicate(timeout=60)[0]))


if __name__ == "__main__":
    hold = float(sys.argv[3]) if len(sys.argv) > 3 else None
    print(json.dumps(main(sys.argv[1], Path(sys.argv[2]), hold)))
