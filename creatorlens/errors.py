"""The exception types for errors a user can cause and fix, and the one for a broken install."""

from pathlib import Path


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


class MachineError(CreatorlensError):
    """The machine around a run failed it (a full disk, a damaged or lost warehouse file): not
    transient, so never retried, and the run must not write or publish through the warehouse
    on its way out."""


class DiskFullError(MachineError):
    """A write found no space left on its file system."""


class WarehouseUnusableError(MachineError):
    """The warehouse file is damaged, or new while the published marts hold dates it lacks."""


class RunCancelledError(CreatorlensError):
    """A run stopped when asked (Ctrl-C, SIGTERM): recorded cancelled, nothing half-written."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class MissingPackageFileError(RuntimeError):
    """A file creatorlens ships (its SQL, reference data, prefect.yaml template) is missing:
    a broken install, so a bug with its traceback, never an I/O error that tasks retry."""


def package_file(path: Path) -> Path:
    """`path`, a file the package ships, or MissingPackageFileError when it is not there."""
    if not path.is_file():
        raise MissingPackageFileError(
            f"{path}: missing from the installed creatorlens; reinstall it"
        )
    return path
