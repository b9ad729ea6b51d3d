"""Keep duckdb's benign interpreter-shutdown warnings out of a run's output."""

import atexit
import os
import sys


def _drop_stderr() -> None:
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)


def install() -> None:
    """After every exit handler registered later (Prefect's among them), silence stderr.

    duckdb 2.0's bindings (nanobind) print a wall of 'leaked instance' lines when the
    interpreter tears down after a Prefect run; they carry no information for a user.
    Call this early: exit handlers run last-registered first, so this one runs last.
    """
    atexit.register(_drop_stderr)
