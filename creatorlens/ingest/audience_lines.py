"""Audience files: each line, the platform API's own object, laid out as rows of text by the
platform's declaration (schemas.audience), so they pass the same checks as every other file."""

import json
import math
import re
from functools import cache

import polars as pl

from creatorlens.ingest.files import ExportFile
from creatorlens.ingest.rows import json_object
from creatorlens.schemas.audience import AUDIENCES, LINE
from creatorlens.transforms.staging import ROW

AUDIENCE_COLUMNS = ("account_id", "dimension", "label", "gender_label", "value")


def audience_rows(file: ExportFile, text: str) -> pl.DataFrame:
    """An audience file's lines as rows of text, laid out by the platform's declaration
    (schemas.audience): one bucket-less row (dimension `line`) per line, then one row per
    bucket, each with the line's number as its source row."""
    spec = AUDIENCES[file.platform]
    columns: dict[str, list] = {name: [] for name in (*AUDIENCE_COLUMNS, ROW)}
    seen: dict[str, str] = {}  # one string object for each text repeated line after line
    # one append a column and a row, called by name (a loop over the columns cost twice as much)
    add_key, add_dimension, add_label, add_gender, add_value, add_row = (
        columns[name].append for name in (*AUDIENCE_COLUMNS, ROW)
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        value = json_object(file, number, line)  # the C decoder: a repeated key keeps its last
        key = _text(_at(value, spec.key))
        for add in (add_label, add_gender, add_value):
            add(None)
        add_key(key)
        add_dimension(LINE)
        add_row(number)
        for table in spec.tables:
            for item in _items(value, table.items):
                label = _text(_at(item, table.label))
                gender = _text(_at(item, table.gender)) if table.gender else None
                add_key(key)
                add_dimension(table.dimension)
                add_label(seen.setdefault(label, label) if label else label)
                add_gender(seen.setdefault(gender, gender) if gender else gender)
                add_value(_text(_at(item, table.value)))
                add_row(number)
    schema = dict.fromkeys(AUDIENCE_COLUMNS, pl.String) | {ROW: pl.Int64}
    return pl.DataFrame({name: pl.Series(name, values, dtype=schema[name])
                         for name, values in columns.items()})  # fmt: skip


@cache
def _parts(path: str) -> tuple[tuple[str, int | None], ...]:
    """A dotted path's keys, each with its list position when it is a number (parsed once)."""
    return tuple((part, int(part) if part.isdigit() else None) for part in path.split("."))


def _at(value: object, path: str) -> object:
    """The value at a dotted path of keys and list positions; None where there is none."""
    for part, position in _parts(path):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and position is not None and position < len(value):
            value = value[position]
        else:
            return None
    return value


@cache
def _steps(path: str) -> tuple[tuple[str, bool, tuple[str, str] | None], ...]:
    """An items path's steps (parsed once): a key, whether `[]` or `[key=value]` follows it,
    and that filter's key and value."""
    steps = []
    for name, bracket in re.findall(r"([^.\[]+)(\[[^\]]*\])?", path):
        wanted = tuple(bracket[1:-1].split("=", 1)) if "=" in bracket else None
        steps.append((name, bool(bracket), wanted))
    return tuple(steps)


def _items(value: object, path: str) -> list:
    """The elements a path of the audience declarations names (`a[].b[key.0=x].c[]`): `[]`
    takes every element of a list, `[key=value]` those whose key is that value."""
    found = [value]
    for name, listed, wanted in _steps(path):
        found = [item for item in (_at(item, name) for item in found) if item is not None]
        if listed:
            found = [element for item in found if isinstance(item, list) for element in item]
            if wanted:
                key, text = wanted
                found = [element for element in found if _text(_at(element, key)) == text]
    return found


def _text(value: object) -> str | None:
    """A JSON value as the text a CSV export would hold: as json.dumps writes it (whose numbers
    are their repr but for NaN and the infinities)."""
    kind = type(value)
    if value is None or kind is str:
        return value
    if kind is int or (kind is float and math.isfinite(value)):
        return repr(value)
    if kind is bool:
        return "true" if value else "false"
    return json.dumps(value)
