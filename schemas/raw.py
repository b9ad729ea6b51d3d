"""Raw layer: pandera schemas of delivered rows (every value text), built from the adapters."""

from itertools import groupby

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from creatorlens.schemas.kinds import parsed_value
from creatorlens.schemas.platforms import EntitySpec, Kind, SourceField

RULES = {
    Kind.ID: "not_empty",
    Kind.COUNT: "non_negative_integer",
    Kind.BOOLEAN: "boolean",
    Kind.AMOUNT: "number",
    Kind.DATE: "iso_date",
    Kind.ISO_TIMESTAMP: "iso_8601_timestamp",
    Kind.UNIX_SECONDS: "unix_seconds",
}


def _readable_as(kind: Kind) -> pa.Check:
    def check(data: PolarsData) -> pl.LazyFrame:
        columns = data.lazyframe.collect_schema().names()
        parsed = parsed_value(columns, data.key, kind)
        return data.lazyframe.select(pl.col(data.key).is_null() | parsed.is_not_null())

    return pa.Check(check, name=RULES[kind])


def _column(fields: list[SourceField]) -> pa.Column:
    kinds = {f.kind for f in fields} - {Kind.TEXT, Kind.LIST}
    return pa.Column(
        pl.String,
        nullable=all(f.nullable for f in fields),
        required=False,
        checks=[_readable_as(kind) for kind in sorted(kinds)],
    )


def raw_schema(spec: EntitySpec, name: str) -> pa.DataFrameSchema:
    """The row rules of one entity: keys present, counts, timestamps and flags readable."""
    by_source = sorted(spec.fields, key=lambda f: f.source)
    columns = {
        source: _column(list(fields)) for source, fields in groupby(by_source, lambda f: f.source)
    }
    return pa.DataFrameSchema(columns, name=name, strict=False)


def required_fields(spec: EntitySpec) -> list[str]:
    """Fields a file must have at all (as delivered names)."""
    return sorted({f.source for f in spec.fields if f.required})
