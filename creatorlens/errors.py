"""The one exception type for errors a user can cause and fix."""


class CreatorlensError(Exception):
    """A bad file, option or setting: the message names it and says what to do."""


class WarehouseBusyError(CreatorlensError, OSError):
    """Another process holds a DuckDB file's lock: transient, so tasks retry it with backoff."""


class StaleSourcesError(CreatorlensError):
    """A run published, but a platform's snapshots lag its date past the error limit: the run
    must not look green. Carries the run's summary, which still stands."""

    def __init__(self, message: str, summary: object = None) -> None:
        super().__init__(message)
        self.summary = summary
