"""Stopping a run when asked (Ctrl-C, or SIGTERM from a scheduler) within seconds.

Python runs a signal's handler in the main thread between bytecodes, so a long DuckDB query
would hold a Ctrl-C until it ends. While a run holds `stoppable()`, the C-level handler also
writes the signal's number to a pipe (`signal.set_wakeup_fd`); a thread reading it interrupts
every open warehouse connection at once, and the main thread, back in Python, raises
KeyboardInterrupt (SIGINT) or the SIGTERM handler's exception. DuckDB rolls back what the
interrupted statement's transaction wrote: nothing is left half-written.
"""

import os
import signal
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

_OPEN: "weakref.WeakSet[duckdb.DuckDBPyConnection]" = weakref.WeakSet()
_STOPS = {signal.SIGINT, signal.SIGTERM}
_asked: list[signal.Signals] = []
_seen = threading.Event()


def asked() -> signal.Signals | None:
    """The stop signal received during the last `stoppable()` body, if any: what the run ends
    for, whatever exception the interrupted code raised."""
    _seen.wait(0.05)  # the watcher may not have read the pipe yet, the error already raised
    return _asked[0] if _asked else None


def register(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Let a stop interrupt `con`'s running query."""
    _OPEN.add(con)
    return con


def _interrupt_all() -> None:
    for con in list(_OPEN):
        try:
            con.interrupt()
        except duckdb.Error:  # closed meanwhile
            continue


def _watch(read_end: int) -> None:
    while True:
        try:
            received = os.read(read_end, 64)
        except OSError:
            return
        if not received:
            return
        stops = [signal.Signals(number) for number in received if number in _STOPS]
        if stops:
            _asked[:] = _asked or stops[:1]
            _seen.set()
            _interrupt_all()


@contextmanager
def stoppable() -> Iterator[None]:
    """While the body runs (in the main thread), a stop signal interrupts DuckDB at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _asked.clear()
    _seen.clear()
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    previous = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    watcher = threading.Thread(target=_watch, args=(read_end,), daemon=True, name="stopping")
    watcher.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous)
        os.close(write_end)
        watcher.join(timeout=1)
        os.close(read_end)
