"""Checking exports without loading them: what would be rejected or quarantined."""

from pathlib import Path

import polars as pl

from creatorlens.errors import CreatorlensError
from creatorlens.ingest.checks import validate_file
from creatorlens.ingest.files import (
    AGENCY_FILES,
    ExportFile,
    RejectedFileError,
    describe,
    discover,
)
from creatorlens.ingest.report import FileOutcome, LoadReport, half_days
from creatorlens.ingest.rows import parse_rows, read_content
from creatorlens.schemas.declared import QUARANTINE_ENTRY


def validate_path(path: Path) -> tuple[LoadReport, pl.DataFrame]:
    """Each file's outcome as if loaded, and the rows it would quarantine (file, row, field,
    rule, value); nothing is written anywhere."""
    if not path.exists():
        raise CreatorlensError(f"{path}: no such file or folder; give an export folder or file")
    if path.is_dir():
        files, rejected = discover(path)
    else:
        try:
            files, rejected = [describe(path)], []
        except RejectedFileError as error:
            files, rejected = [], [error]
    report = LoadReport([FileOutcome(e.relative, "rejected", message=e.reason) for e in rejected])
    folder = path if path.is_dir() else path.resolve().parent
    if not path.is_dir() and path.name not in AGENCY_FILES and len(folder.parents) >= 2:
        folder = folder.parents[1]  # <exports>/<platform or results>/<date>/<file>
    members = _campaign_members(folder)
    quarantined = []
    for file in files:
        try:
            creators = _creators_of_day(folder, file) if file.entity == "audience" else None
            result = validate_file(file, parse_rows(file, read_content(file)), members, creators)
        except RejectedFileError as error:
            report.files.append(FileOutcome(file.relative, "rejected", message=error.reason))
            continue
        quarantined.append(result.quarantine.with_columns(file=pl.lit(file.relative)))
        report.files.append(result.outcome(file, "valid"))
    if path.is_dir():
        found = pl.DataFrame(
            [(f.platform, f.entity, f.snapshot_date, f.relative, True) for f in files],
            schema={
                "platform": pl.String,
                "entity": pl.String,
                "snapshot_date": pl.Date,
                "file": pl.String,
                "unpublished": pl.Boolean,
            },
            orient="row",
        )
        report.half_days = half_days(found, [f.file for f in report.rejected])
    empty = pl.DataFrame(schema={"file": pl.String, **QUARANTINE_ENTRY})
    return report, pl.concat([empty, *[q.select(empty.columns) for q in quarantined]])


def _campaign_members(exports_dir: Path) -> pl.DataFrame | None:
    """The campaigns' creators that results files are checked against: the valid rows of the
    folder's campaign_creators.csv (none: every results row is outside a campaign)."""
    path = exports_dir / "campaign_creators.csv"
    if not path.is_file():
        return None
    file = describe(path)
    try:
        return validate_file(file, parse_rows(file, read_content(file))).rows
    except RejectedFileError:
        return None


def _creators_of_day(exports_dir: Path, audience: ExportFile) -> pl.DataFrame | None:
    """The creators an audience file is checked against: the valid rows of the creators file
    of its platform and day in the folder (none: every line is of an unknown creator)."""
    day = exports_dir / audience.platform / audience.snapshot_date.isoformat()
    found = sorted(day.glob("creators.*"))
    if len(found) != 1:
        return None
    file = describe(found[0])
    try:
        rows = validate_file(file, parse_rows(file, read_content(file))).rows
    except RejectedFileError:
        return None
    return rows.select("platform", "snapshot_date", "account_id")
