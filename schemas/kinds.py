"""How a delivered value is read: every value arrives as text, and each kind of field (as the
adapters declare it, schemas.platforms) has one parse, a polars expression. The raw schemas
check that a value parses (schemas.raw); the staging transforms type it by the same parse."""

from datetime import datetime

import polars as pl

from creatorlens.schemas.platforms import EntitySpec, Kind

_COUNT_PATTERN = r"^\d+(\.0*)?$"
_AMOUNT_PATTERN = r"^-?\d+(\.\d*)?$"
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")
_EARLIEST, _LATEST = datetime(1970, 1, 1), datetime(9999, 12, 31, 23, 59, 59)
"""Timestamps outside these bounds are not readable: Python and BI tools cannot hold them."""


def _within_bounds(timestamp: pl.Expr) -> pl.Expr:
    return pl.when(timestamp.is_between(_EARLIEST, _LATEST)).then(timestamp)


def _iso_timestamp(text: pl.Expr) -> pl.Expr:
    """ISO 8601 text with an offset (`Z`, `+0000`, `-05:00`) or none (UTC), as naive UTC."""
    normal = (
        text.str.replace(r"^(\d{4}-\d\d-\d\d) ", "${1}T")
        .str.replace(r"[Zz]$", "+00:00")
        .str.replace(r"([+-]\d\d)(\d\d)$", "${1}:${2}")
    )
    aware = normal.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", strict=False, time_unit="us")
    naive = normal.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False, time_unit="us")
    utc = pl.coalesce(aware.dt.convert_time_zone("UTC").dt.replace_time_zone(None), naive)
    return _within_bounds(utc)


_SIMPLE_TIMESTAMP = r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d([Zz]|[+-]\d\d:?\d\d)?$"
"""The shape nearly every export's timestamps have: whole seconds and an offset (or none)."""


def _simple_iso_timestamp(text: pl.Expr) -> pl.Expr:
    """`_iso_timestamp` of a value of the common shape (_SIMPLE_TIMESTAMP), null for any other:
    fixed-width fields parse several times faster than the general format with its optional
    fraction and offset. Where both give a value they agree (a property test holds them to)."""
    local = _simple_clock(text)
    offset = text.str.slice(19)
    hours = offset.str.slice(1, 2).cast(pl.Int64, strict=False)
    minutes = offset.str.slice(-2).cast(pl.Int64, strict=False)
    sign = pl.when(offset.str.starts_with("-")).then(-1).otherwise(1)
    east = pl.when(offset.str.len_chars() <= 1).then(0).otherwise(sign * (hours * 60 + minutes))
    known = (offset.str.len_chars() <= 1) | ((hours < 24) & (minutes < 60))
    utc = local - pl.duration(minutes=east)
    return _within_bounds(pl.when(text.str.contains(_SIMPLE_TIMESTAMP) & known).then(utc))


def _simple_clock(text: pl.Expr) -> pl.Expr:
    """The date and time of day of a value of the common shape (_SIMPLE_TIMESTAMP)."""
    clock = text.str.slice(0, 19).str.replace(" ", "T", literal=True)  # the shape's one space
    return clock.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us")


UTC_OFFSETS = ("", "Z", "z", "+0000", "+00:00", "-0000", "-00:00")


def _utc_iso_timestamp(text: pl.Expr) -> pl.Expr:
    """`_iso_timestamp` of a value of the common shape written in UTC (UTC_OFFSETS), null for
    any other: about five times faster again than `_simple_iso_timestamp`, which reckons with
    any offset."""
    in_utc = text.str.contains(_SIMPLE_TIMESTAMP) & text.str.slice(19).is_in(UTC_OFFSETS)
    return _within_bounds(pl.when(in_utc).then(_simple_clock(text)))


def parse_value(column: str, kind: Kind) -> pl.Expr:
    """The typed value of a raw text column read as `kind`; null where it does not parse."""
    text = pl.col(column).str.strip_chars()
    match kind:
        case Kind.ID | Kind.TEXT:
            return pl.when(text != "").then(text)
        case Kind.LIST:
            items = text.fill_null("").str.split(";").list.eval(pl.element().str.strip_chars())
            return items.list.eval(pl.element().filter(pl.element() != ""))
        case Kind.COUNT:
            digits = text.str.replace(r"\.0*$", "")
            return pl.when(text.str.contains(_COUNT_PATTERN)).then(
                digits.cast(pl.Int64, strict=False)
            )
        case Kind.BOOLEAN:
            lower = text.str.to_lowercase()
            return pl.when(lower.is_in(_TRUE)).then(True).when(lower.is_in(_FALSE)).then(False)
        case Kind.AMOUNT:
            return pl.when(text.str.contains(_AMOUNT_PATTERN)).then(
                text.cast(pl.Float64, strict=False)
            )
        case Kind.DATE:
            return text.str.to_date("%Y-%m-%d", strict=False)
        case Kind.ISO_TIMESTAMP:
            return _iso_timestamp(text)
        case Kind.UNIX_SECONDS:
            seconds = pl.when(text.str.contains(r"^\d+$")).then(text.cast(pl.Int64, strict=False))
            return _within_bounds(pl.from_epoch(seconds, time_unit="s").cast(pl.Datetime("us")))
    raise ValueError(f"no parser for kind {kind!r}")


def parsed_column(source: str, kind: Kind) -> str:
    """The name of the column holding raw column `source` parsed as `kind` (`with_parsed`)."""
    return f"{source}\x1f{kind}"


def with_parsed(raw: pl.DataFrame, spec: EntitySpec) -> pl.DataFrame:
    """The raw rows with each field's value parsed once, beside its text: the raw checks
    (readable or not) and the typed staging rows both read that one parse."""
    parsed = {
        parsed_column(f.source, f.kind): parse_value(f.source, f.kind)
        for f in spec.fields
        if f.source in raw.columns and f.kind != Kind.ISO_TIMESTAMP
    }
    timestamps = {f.source for f in spec.fields if f.kind == Kind.ISO_TIMESTAMP}
    for source in sorted(timestamps & set(raw.columns)):
        parsed[parsed_column(source, Kind.ISO_TIMESTAMP)] = _iso_timestamp_of(raw, source)
    return raw.with_columns(expr.alias(name) for name, expr in parsed.items())


def _iso_timestamp_of(raw: pl.DataFrame, source: str) -> pl.Expr:
    """Raw column `source` parsed as an ISO timestamp by the cheapest parse that reads all its
    values: the common shape in UTC, the common shape with any offset, or else the general
    parse for the values the quick ones leave."""
    text = pl.col(source).str.strip_chars()
    for quick in (_utc_iso_timestamp, _simple_iso_timestamp):
        parsed = raw.select(quick(text)).to_series()
        if not raw.select(text.is_not_null() & pl.lit(parsed).is_null()).to_series().any():
            return pl.lit(parsed)
    return pl.coalesce(pl.lit(parsed), parse_value(source, Kind.ISO_TIMESTAMP))


def parsed_value(columns: list[str], source: str, kind: Kind) -> pl.Expr:
    """Raw column `source` as `kind`: its parse beside it when present, else parsed now."""
    name = parsed_column(source, kind)
    return pl.col(name) if name in columns else parse_value(source, kind)
