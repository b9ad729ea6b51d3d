"""What every task of the flows shares: its connection to the warehouse, and which errors it
retries."""

import logging
from contextlib import AbstractContextManager

import duckdb
from prefect.tasks import exponential_backoff

from creatorlens.errors import CreatorlensError
from creatorlens.settings import Settings
from creatorlens.warehouse import open_warehouse


def warehouse(
    settings: Settings, *, loading: bool = False
) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """The run's connection to the warehouse, within the settings' memory limit for loading
    or for the rest."""
    return open_warehouse(settings.warehouse, memory_limit=settings.duckdb_limit(loading=loading))


def is_transient(task, task_run, state) -> bool:
    """Retry a task on I/O errors (a busy disk, a network file system, a DuckDB file another
    process holds for a moment: WarehouseBusyError); never on other user errors or bugs."""
    return isinstance(state.result(raise_on_failure=False), OSError | duckdb.IOException)


IO_RETRIES = {
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_condition_fn": is_transient,
}


class _UserErrorLoggedOnce(logging.Filter):
    """Prefect's engine logs a failed flow's exception once more, with a traceback. A user
    error has been logged as its one line already (`failed`), so that record is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], CreatorlensError))


for _logger in ("prefect.flow_runs", "prefect.engine"):
    logging.getLogger(_logger).addFilter(_UserErrorLoggedOnce())
