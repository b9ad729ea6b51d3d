"""The export landing folder: which files it holds, and where each belongs (its rows as
delivered: creatorlens.ingest.rows)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from creatorlens.errors import CreatorlensError
from creatorlens.schemas.platforms import (
    ADAPTERS,
    AGENCY_SPECS,
    DATED_SPECS,
    ENTITIES,
    FUTURE_DAYS,
    EntitySpec,
)

FORMATS = {"csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl"}
AGENCY_FILES = tuple(f"{name}.csv" for name in AGENCY_SPECS)


class RejectedFileError(CreatorlensError):
    """A file that cannot be read at all; nothing of it loads."""

    def __init__(self, relative: str, reason: str) -> None:
        super().__init__(f"{relative}: {reason}")
        self.relative = relative
        self.reason = reason


@dataclass(frozen=True)
class ExportFile:
    """One delivered file: where it is and what the landing layout says it holds."""

    path: Path
    relative: str
    entity: str
    format: str
    compressed: bool
    platform: str | None = None
    snapshot_date: date | None = None

    @property
    def spec(self) -> EntitySpec:
        """The declaration of the fields this file holds."""
        if self.platform is None:
            return AGENCY_SPECS.get(self.entity) or DATED_SPECS[self.entity]
        return ADAPTERS[self.platform].entity(self.entity)

    @property
    def partition(self) -> tuple[str | None, str, date | None]:
        """What a newer file of the same partition replaces: (platform, entity, snapshot date)."""
        return (self.platform, self.entity, self.snapshot_date)


def _split_name(name: str) -> tuple[str, str, bool] | None:
    """(entity, format, compressed) of a file name like `posts.csv.gz`, or None."""
    compressed = name.endswith(".gz")
    stem = name.removesuffix(".gz")
    entity, dot, ext = stem.rpartition(".")
    if not dot or ext not in FORMATS:
        return None
    return entity, FORMATS[ext], compressed


def _folder_date(relative: str, folder: str) -> date:
    try:
        day = date.fromisoformat(folder)
    except ValueError:
        raise RejectedFileError(
            relative, f"folder '{folder}' is not a date; name snapshot folders YYYY-MM-DD"
        ) from None
    today = datetime.now(UTC).date()
    if day > today + timedelta(days=FUTURE_DAYS):
        raise RejectedFileError(
            relative,
            f"folder '{folder}' is dated after tomorrow (today is {today} UTC); rename it to "
            "the date of the snapshot it holds",
        )
    return day


def _snapshot_file(path: Path, exports_dir: Path) -> ExportFile:
    relative = path.relative_to(exports_dir).as_posix()
    platform, folder, name = path.relative_to(exports_dir).parts
    if platform in DATED_SPECS:
        return _dated_file(path, relative, platform, folder, name)
    if platform not in ADAPTERS:
        known = ", ".join(sorted(ADAPTERS))
        raise RejectedFileError(relative, f"unknown platform '{platform}'; expected one of {known}")
    snapshot_date = _folder_date(relative, folder)
    parts = _split_name(name)
    if parts is None or parts[0] not in ENTITIES:
        raise RejectedFileError(
            relative,
            "unknown file; expected creators or posts as .csv, .jsonl or .ndjson (.gz), or "
            "audience as .jsonl or .ndjson (.gz)",
        )
    entity, fmt, compressed = parts
    if entity == "audience" and fmt != "jsonl":
        raise RejectedFileError(
            relative,
            "audience comes as JSON Lines, the platform API's own objects: "
            "deliver audience.jsonl or audience.ndjson (.gz)",
        )
    return ExportFile(path, relative, entity, fmt, compressed, platform, snapshot_date)


def _dated_file(path: Path, relative: str, entity: str, folder: str, name: str) -> ExportFile:
    """A file of one date that belongs to no platform: <entity>/<YYYY-MM-DD>/<entity>.<ext>."""
    snapshot_date = _folder_date(relative, folder)
    parts = _split_name(name)
    if parts is None or parts[0] != entity:
        raise RejectedFileError(
            relative, f"unknown file; expected {entity} as .csv, .jsonl or .ndjson (.gz)"
        )
    _, fmt, compressed = parts
    return ExportFile(path, relative, entity, fmt, compressed, None, snapshot_date)


def discover(exports_dir: Path) -> tuple[list[ExportFile], list[RejectedFileError]]:
    """Every export file under `exports_dir`, and the files whose place or name is not known."""
    found: list[ExportFile] = []
    rejected: list[RejectedFileError] = []
    root = exports_dir.resolve()
    for path in sorted(p for p in exports_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(exports_dir)
        if any(part.startswith(".") for part in relative.parts):
            continue
        try:
            if not path.resolve().is_relative_to(root):
                raise RejectedFileError(
                    relative.as_posix(),
                    "a link to a file outside the exports folder; copy the file in",
                )
            if len(relative.parts) == 1 and relative.name in AGENCY_FILES:
                found.append(ExportFile(path, relative.name, path.stem, "csv", False))
            elif len(relative.parts) == 3:
                found.append(_snapshot_file(path, exports_dir))
            else:
                raise RejectedFileError(
                    relative.as_posix(),
                    "not in the landing layout <platform>/<YYYY-MM-DD>/<entity>.<ext>",
                )
        except RejectedFileError as error:
            rejected.append(error)
    return _without_ambiguous_partitions(found, rejected)


def describe(path: Path) -> ExportFile:
    """A single export file, understood from its own place: <platform>/<YYYY-MM-DD>/<entity>.<ext>
    or an agency file by name."""
    path = path.resolve()
    if path.name in AGENCY_FILES:
        return ExportFile(path, path.name, path.stem, "csv", False)
    if len(path.parts) < 4:
        raise RejectedFileError(
            path.name, "not in the landing layout <platform>/<YYYY-MM-DD>/<entity>.<ext>"
        )
    return _snapshot_file(path, path.parents[2])


def _without_ambiguous_partitions(
    found: list[ExportFile], rejected: list[RejectedFileError]
) -> tuple[list[ExportFile], list[RejectedFileError]]:
    """Two files for one partition (say creators.csv and creators.jsonl) are both rejected."""
    by_partition: dict[tuple, list[ExportFile]] = {}
    for file in found:
        by_partition.setdefault(file.partition, []).append(file)
    kept = []
    for files in by_partition.values():
        if len(files) == 1:
            kept.extend(files)
            continue
        names = ", ".join(f.relative for f in files)
        rejected.extend(
            RejectedFileError(f.relative, f"several files for one partition ({names}); keep one")
            for f in files
        )
    return kept, rejected
