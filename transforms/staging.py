"""Raw text columns, as delivered, to typed staging rows (stg_ tables)."""

from datetime import date, datetime

import polars as pl

from schemas.platforms import EntitySpec, Kind

ROW = "source_row"
"""1-based record number of a row in its file, carried from reading to quarantine."""

ENGAGEMENT_COLUMNS = ("likes", "comments", "shares", "saves")

CREATOR_SNAPSHOT_FIELDS: dict[str, pl.DataType] = {
    "account_id": pl.String(),
    "handle": pl.String(),
    "followers": pl.Int64(),
    "is_followers_hidden": pl.Boolean(),
}
POST_SNAPSHOT_FIELDS: dict[str, pl.DataType] = {
    "post_id": pl.String(),
    "account_id": pl.String(),
    "published_at": pl.Datetime("us"),
    **{name: pl.Int64() for name in ENGAGEMENT_COLUMNS},
    "views": pl.Int64(),
}

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


def _typed_fields(
    raw: pl.DataFrame, spec: EntitySpec, fields: dict[str, pl.DataType]
) -> list[pl.Expr]:
    exprs = []
    for target, dtype in fields.items():
        field = spec.field(target)
        if field is None or field.source not in raw.columns:
            exprs.append(pl.lit(None, dtype).alias(target))
        else:
            value = parsed_value(raw.columns, field.source, field.kind)
            exprs.append(value.cast(dtype).alias(target))
    return exprs


def _partition_columns(platform: str, snapshot_date: date) -> list[pl.Expr]:
    return [pl.lit(platform).alias("platform"), pl.lit(snapshot_date).alias("snapshot_date")]


def stage_creator_snapshots(
    raw: pl.DataFrame, spec: EntitySpec, platform: str, snapshot_date: date
) -> pl.DataFrame:
    """One typed row per delivered creator row; followers null where the platform hides them."""
    typed = raw.select(
        *_partition_columns(platform, snapshot_date),
        *_typed_fields(raw, spec, CREATOR_SNAPSHOT_FIELDS),
        pl.col(ROW),
    )
    hidden = pl.col("is_followers_hidden").fill_null(False)
    return typed.with_columns(
        is_followers_hidden=hidden,
        followers=pl.when(hidden).then(None).otherwise(pl.col("followers")),
    )


def stage_post_snapshots(
    raw: pl.DataFrame, spec: EntitySpec, platform: str, snapshot_date: date
) -> pl.DataFrame:
    """One typed row per delivered post row, with its published UTC date."""
    typed = raw.select(
        *_partition_columns(platform, snapshot_date),
        *_typed_fields(raw, spec, POST_SNAPSHOT_FIELDS),
        pl.col(ROW),
    )
    return typed.with_columns(published_date=pl.col("published_at").dt.date())


def stage_agency_rows(
    raw: pl.DataFrame, spec: EntitySpec, fields: dict[str, pl.DataType]
) -> pl.DataFrame:
    """One typed row per delivered row of an agency file (roster, rate cards, FX)."""
    return raw.select(*_typed_fields(raw, spec, fields), pl.col(ROW))


ROSTER_FIELDS: dict[str, pl.DataType] = {
    "platform": pl.String(),
    "account_id": pl.String(),
    "niche": pl.String(),
    "country": pl.String(),
}
RATE_CARD_FIELDS: dict[str, pl.DataType] = {
    "platform": pl.String(),
    "account_id": pl.String(),
    "price_per_post": pl.Float64(),
    "currency": pl.String(),
    "valid_from": pl.Date(),
}
FX_RATE_FIELDS: dict[str, pl.DataType] = {
    "currency": pl.String(),
    "usd_per_unit": pl.Float64(),
    "valid_from": pl.Date(),
}


CAMPAIGN_FIELDS: dict[str, pl.DataType] = {
    "campaign_id": pl.String(),
    "brand": pl.String(),
    "campaign_name": pl.String(),
    "start_date": pl.Date(),
    "end_date": pl.Date(),
}
CAMPAIGN_CREATOR_FIELDS: dict[str, pl.DataType] = {
    "campaign_id": pl.String(),
    "platform": pl.String(),
    "account_id": pl.String(),
    "fee": pl.Float64(),
    "currency": pl.String(),
}
CAMPAIGN_RESULT_FIELDS: dict[str, pl.DataType] = {
    "campaign_id": pl.String(),
    "platform": pl.String(),
    "account_id": pl.String(),
    "clicks": pl.Int64(),
    "signups": pl.Int64(),
    "purchases": pl.Int64(),
    "revenue": pl.Float64(),
    "currency": pl.String(),
}


def stage_campaign_results(raw: pl.DataFrame, spec: EntitySpec, day: date) -> pl.DataFrame:
    """One typed row per delivered results row of the day `day`."""
    return raw.select(
        pl.lit(day).alias("result_date"),
        *_typed_fields(raw, spec, CAMPAIGN_RESULT_FIELDS),
        pl.col(ROW),
    )


def one_row_per_key(frame: pl.DataFrame, key: list[str]) -> bool:
    """Whether no two rows share a key, shown by their keys' hashes all differing: a third of
    the cost of an exact check. A collision answers False, so it only sends rows the general
    (sort and unique) way, never wrongly past it."""
    return frame.select(pl.struct(key).hash().n_unique()).item() == frame.height


def keep_last_per_key(frame: pl.DataFrame, key: list[str]) -> tuple[pl.DataFrame, int]:
    """The frame with only the last row (by source row) of each key, and how many were dropped."""
    if one_row_per_key(frame, key):  # as an export gives
        return frame, 0
    deduplicated = frame.sort(ROW).unique(subset=key, keep="last", maintain_order=True)
    return deduplicated, frame.height - deduplicated.height
