"""Importing a scrape: read a scraping tool's file, split it into the landing layout (a CSV per
platform, entity and day, in the platform API's field names) and write those files into the
exports folder, where the next run loads them with every check."""

import gzip
import os
import zoneinfo
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from creatorlens.errors import CreatorlensError
from creatorlens.schemas.platforms import ADAPTERS, Kind
from creatorlens.schemas.scrapes import SCRAPE_FORMATS, ScrapeFormat, ScrapeKind
from creatorlens.transforms.scrapes import snapshots


@dataclass
class ImportedScrape:
    """What an import wrote: the files, the days, rows per entity, rows left out."""

    files: list[Path]
    days: list[date]
    rows: dict[str, int]
    unplaced: int


def scrape_format(name: str) -> ScrapeFormat:
    """The declared scrape format `name`, or a one-line error listing the known ones."""
    if name not in SCRAPE_FORMATS:
        known = ", ".join(SCRAPE_FORMATS)
        raise CreatorlensError(f"--format {name}: no such scrape format; use one of {known}")
    return SCRAPE_FORMATS[name]


def import_scrape(
    path: Path,
    scrape: ScrapeFormat,
    exports_dir: Path,
    *,
    time_zone: str | None,
    day: date | None,
) -> ImportedScrape:
    """Split the scrape at `path` into the landing layout under `exports_dir`. A day's file
    that is already there (an earlier scrape of that day) keeps its rows, the new scrape's
    rows replacing those of the same key: the next run loads it as a restatement."""
    _check_options(scrape, time_zone, day)
    rows = _read(path, scrape)
    unix = {
        f.source
        for entity in scrape.entities
        for f in ADAPTERS[scrape.platform].entity(entity).fields
        if f.kind == Kind.UNIX_SECONDS
    }
    split = snapshots(rows, scrape, time_zone=time_zone, day=day, unix=unix)
    files = []
    counts = dict.fromkeys(scrape.entities, 0)
    for (entity, snapshot_day), frame in sorted(split.frames.items(), key=lambda i: i[0][::-1]):
        target = exports_dir / scrape.platform / str(snapshot_day) / f"{entity}.csv"
        _write(target, frame, key=scrape.entities[entity][0].target)
        files.append(target)
        counts[entity] += frame.height
    days = sorted({d for _, d in split.frames})
    return ImportedScrape(files, days, counts, split.unplaced)


def _check_options(scrape: ScrapeFormat, time_zone: str | None, day: date | None) -> None:
    if ScrapeKind.LOCAL_TIME in scrape.kinds and time_zone is None:
        raise CreatorlensError(
            f"--time-zone: the {scrape.name} format's times carry no offset; give the time zone "
            "the scraper ran in (such as Asia/Ho_Chi_Minh), or set CREATORLENS_SCRAPE_TIME_ZONES"
        )
    if time_zone is not None:
        try:
            zoneinfo.ZoneInfo(time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise CreatorlensError(
                f"--time-zone {time_zone}: no such time zone; give an IANA name such as "
                "Europe/Berlin or Asia/Ho_Chi_Minh"
            ) from None
    if scrape.snapshot_time is None and day is None:
        raise CreatorlensError(
            f"--date: a {scrape.name} file is one undated snapshot; give the day it was scraped"
        )
    if scrape.snapshot_time is not None and day is not None:
        raise CreatorlensError(
            f"--date: a {scrape.name} file dates each row by {scrape.snapshot_time.source}; "
            "leave --date out"
        )


def _read(path: Path, scrape: ScrapeFormat) -> pl.DataFrame:
    """The scrape's rows, every value as text (a BOM, CRLF and quoted newlines allowed)."""
    try:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        rows = pl.read_csv(data, infer_schema=False)
    except OSError as error:
        raise CreatorlensError(f"{path}: cannot be read ({error.strerror or error})") from None
    except (pl.exceptions.PolarsError, UnicodeDecodeError, EOFError) as error:
        reason = str(error).splitlines()[0]
        raise CreatorlensError(f"{path}: not a CSV file ({reason}); export it as CSV") from None
    needed = {c.source for cs in scrape.entities.values() for c in cs}
    needed |= {scrape.snapshot_time.source} if scrape.snapshot_time else set()
    missing = sorted(needed - set(rows.columns))
    if missing:
        raise CreatorlensError(
            f"{path}: lacks the {scrape.name} format's column(s) {', '.join(missing)}; check "
            "--format (`creatorlens import-scrape --help` lists the formats)"
        )
    return rows


def _write(target: Path, frame: pl.DataFrame, key: str) -> None:
    """Write a day's file whole (a temporary file renamed over it), merged with the rows of
    the one already there."""
    others = [p for p in target.parent.glob(f"{target.stem}.*") if p != target]
    if others:
        raise CreatorlensError(
            f"{others[0]}: already delivered for that day; a scrape cannot be merged into it. "
            "Import the scrape into another exports folder, or move that file away"
        )
    if target.exists():
        earlier = pl.read_csv(target, infer_schema=False)
        frame = pl.concat([earlier, frame], how="diagonal").unique(
            key, keep="last", maintain_order=True
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.importing")
    frame.write_csv(partial)
    os.replace(partial, target)
