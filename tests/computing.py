"""The flow's computing steps in this process, for tests of definitions on small data.

The flows run them as Prefect tasks (flows.compute.compute_marts: prepare the shards, compute
each on the shard runner, write them); the oracle tests run the flows themselves. Here they
run one after the other on one connection, so a test can compute a range in a second.
"""

import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb

from creatorlens.compute import shards
from creatorlens.compute.marts import MartRows, write_marts
from creatorlens.reference import TierScheme


def compute_marts(
    con: duckdb.DuckDBPyConnection,
    scheme: TierScheme,
    start: date,
    end: date,
    *,
    platforms: Sequence[str] | None = None,
    run_id: str = "",
    buckets: int = 0,
) -> MartRows:
    """Recompute every dated mart for as-of dates [start, end] (optionally some platforms) in
    the warehouse, shard by shard; returns the rows computed."""
    with tempfile.TemporaryDirectory(prefix=f"{start}-{end}-") as scratch:
        folder = Path(scratch)
        count = shards.bucket_count(con, start, end, buckets)
        only = list(platforms) if platforms is not None else None
        prepared = shards.prepare(con, folder, start, end, buckets=count, platforms=only)
        computed = prepared.shards
        rows = prepared.creator_snapshots + prepared.post_snapshots
        for group in shards.groups(computed, rows):
            shards.compute(folder, group, scheme, start, end)
        return write_marts(con, folder, computed, start, end, platforms=platforms, run_id=run_id)
