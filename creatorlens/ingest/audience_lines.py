"""Audience files: each line, the platform API's own object, laid out as rows of text by the
platform's declaration (schemas.audience), so they pass the same checks as every other file."""

import json
import re

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
    add = [columns[name].append for name in (*AUDIENCE_COLUMNS, ROW)]
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        value = json_object(file, number, line)  # the C decoder: a repeated key keeps its last
        key = _text(_at(value, spec.key))
        for column, item in zip(add, (key, LINE, None, None, None, number), strict=True):
            column(item)
        for table in spec.tables:
            for item in _items(value, table.items):
                label = _text(_at(item, table.label))
                gender = _text(_at(item, table.gender)) if table.gender else None
                row = (
                    key,
                    table.dimension,
                    seen.setdefault(label, label) if label else label,
                    seen.setdefault(gender, gender) if gender else gender,
                    _text(_at(item, table.value)),
                    number,
                )
                for column, cell in zip(add, row, strict=True):
                    column(cell)
    schema = dict.fromkeys(AUDIENCE_COLUMNS, pl.String) | {ROW: pl.Int64}
    return pl.DataFrame({name: pl.Series(name, values, dtype=schema[name])
                         for name, values in columns.items()})  # fmt: skip


def _at(value: object, path: str) -> object:
    """The value at a dotted path of keys and list positions; None where there is none."""
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _items(value: object, path: str) -> list:
    """The elements a path of the audience declarations names (`a[].b[key.0=x].c[]`): `[]`
    takes every element of a list, `[key=value]` those whose key is that value."""
    found = [value]
    for name, bracket in re.findall(r"([^.\[]+)(\[[^\]]*\])?", path):
        found = [item for item in (_at(item, name) for item in found) if item is not None]
        if bracket:
            found = [element for item in found if isinstance(item, list) for element in item]
            if "=" in bracket:
                key, wanted = bracket[1:-1].split("=", 1)
                found = [element for element in found if _text(_at(element, key)) == wanted]
    return found


def _text(value: object) -> str | None:
    """A JSON value as the text a CSV export would hold."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)
