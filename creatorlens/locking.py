"""One writer at a time: a lock file next to the warehouse that every run holds while it writes."""

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def writer_lock(warehouse: Path, on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the warehouse's writer lock; if another run holds it, call `on_wait` and wait.

    An OS file lock works across processes whatever runs them (the CLI in Prefect's ephemeral
    mode, workers of a Prefect server) and is released by the OS if the holder dies.
    """
    path = warehouse.with_name(f"{warehouse.name}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
