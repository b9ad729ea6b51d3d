"""The one exception type for errors a user can cause and fix."""


class CreatorlensError(Exception):
    """A bad file, option or setting: the message names it and says what to do."""


class WarehouseBusyError(CreatorlensError, OSError):
    """Another process holds a DuckDB file's lock: transient, so tasks retry it with backoff."""
