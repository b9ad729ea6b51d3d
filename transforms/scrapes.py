"""A scrape's rows as the landing layout's snapshots: counts as digits, times in UTC, a frame per
entity and snapshot day holding each key's latest row of that day."""

from dataclasses import dataclass
from datetime import date

import polars as pl

from creatorlens.schemas.scrapes import ScrapeColumn, ScrapeFormat, ScrapeKind

SCALES = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9}
ABBREVIATED = r"^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*([kmb]?)$"
LOCAL_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S%.f%#z"
UNIX_SECONDS = "unix_seconds"
"""How a time is written for a platform field that takes Unix seconds (else ISO with Z)."""
SNAPSHOT = "_snapshot_at"
DAY = "_snapshot_date"


def counts(value: pl.Expr) -> pl.Expr:
    """A count as digits, from plain (`1991`, `12,345`) or abbreviated (`304.9K`, `475.8m`)
    text; a value that is neither stays as delivered, for loading to quarantine."""
    text = value.str.strip_chars().str.replace_all(",", "").str.to_lowercase()
    number = text.str.extract(ABBREVIATED, 1).cast(pl.Float64)
    scale = text.str.extract(ABBREVIATED, 2).replace_strict(SCALES, default=None)
    digits = (number * scale).round(0).cast(pl.Int64).cast(pl.String)
    return pl.coalesce(digits, value)


def times(value: pl.Expr, kind: ScrapeKind, time_zone: str | None) -> pl.Expr:
    """A time in UTC (null when unreadable): ISO with its offset, or local time without one
    in `time_zone`."""
    if kind == ScrapeKind.ISO_TIME:
        return value.str.strip_chars().str.to_datetime(ISO_FORMAT, strict=False, time_zone="UTC")
    local = pl.coalesce(
        value.str.strip_chars().str.to_datetime(f, strict=False) for f in LOCAL_FORMATS
    )
    return local.dt.replace_time_zone(
        time_zone, ambiguous="earliest", non_existent="null"
    ).dt.convert_time_zone("UTC")


def _written(column: ScrapeColumn, time_zone: str | None, unix: set[str]) -> pl.Expr:
    """A column as the platform API delivers its field (text; unreadable values as they were)."""
    value = pl.col(column.source)
    if column.kind == ScrapeKind.COUNT:
        value = counts(value)
    elif column.kind in (ScrapeKind.LOCAL_TIME, ScrapeKind.ISO_TIME):
        at = times(value, column.kind, time_zone)
        text = (
            at.dt.epoch("s").cast(pl.String)
            if column.target in unix
            else at.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        value = pl.coalesce(text, value)
    return value.alias(column.target)


@dataclass
class Snapshots:
    """A scrape split into the landing layout: a frame per (entity, snapshot day), and the rows
    left out because their snapshot time could not be read."""

    frames: dict[tuple[str, date], pl.DataFrame]
    unplaced: int


def snapshots(
    rows: pl.DataFrame,
    scrape: ScrapeFormat,
    *,
    time_zone: str | None,
    day: date | None,
    unix: set[str],
) -> Snapshots:
    """The landing layout's frames of a scrape's rows (all text): each day's latest row per key
    of each entity, the day being the UTC date of the row's snapshot time, or `day` for a
    scrape of one undated snapshot. `unix`: the target fields written as Unix seconds."""
    if scrape.snapshot_time is None:
        placed = rows.with_columns(pl.lit(None, pl.Datetime("us", "UTC")).alias(SNAPSHOT))
        placed = placed.with_columns(pl.lit(day).alias(DAY))
    else:
        at = times(pl.col(scrape.snapshot_time.source), scrape.snapshot_time.kind, time_zone)
        placed = rows.with_columns(at.alias(SNAPSHOT)).with_columns(
            pl.col(SNAPSHOT).dt.date().alias(DAY)
        )
    unplaced = placed.filter(pl.col(DAY).is_null()).height
    placed = placed.filter(pl.col(DAY).is_not_null()).with_row_index("_row")
    frames = {}
    for entity, columns in scrape.entities.items():
        key = columns[0].target
        table = (
            placed.select(DAY, SNAPSHOT, "_row", *(_written(c, time_zone, unix) for c in columns))
            .sort(DAY, SNAPSHOT, "_row", nulls_last=False)
            .unique([DAY, key], keep="last", maintain_order=True)
            .sort(DAY, "_row")
        )
        for (snapshot_day,), frame in table.partition_by(DAY, as_dict=True).items():
            frames[(entity, snapshot_day)] = frame.drop(DAY, SNAPSHOT, "_row")
    return Snapshots(frames, unplaced)
