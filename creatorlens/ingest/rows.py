"""A delivered file's rows as delivered: text columns with dotted field names and the line
each came from, read by polars' vectorised readers where they read a file exactly as the careful
path would, and by the careful path (Python's csv and json) otherwise."""

import codecs
import csv
import gzip
import io
import json
import zlib

import polars as pl

from creatorlens.ingest.files import ExportFile, RejectedFileError
from creatorlens.schemas.raw import required_fields
from creatorlens.transforms.staging import ROW


def _decoded(file: ExportFile, content: bytes) -> bytes:
    """The file's text as UTF-8 bytes without a byte order mark; the readers take bytes, so
    the text is decoded only where it must be (to check non-ASCII text, or by the careful
    path)."""
    if file.compressed:
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError, zlib.error) as exc:
            raise RejectedFileError(file.relative, f"truncated or corrupt gzip ({exc})") from None
    if not content.strip():
        raise RejectedFileError(file.relative, "empty file; a file with no rows needs its header")
    if b"\x00" in content:
        raise RejectedFileError(
            file.relative, f"binary content, not {file.format.upper()} text; check the export"
        )
    if not content.isascii():
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RejectedFileError(
                file.relative, f"not UTF-8 (byte {exc.start}); re-export the file as UTF-8"
            ) from None
    return content.removeprefix(codecs.BOM_UTF8)


def _flatten(value: dict, prefix: str = "") -> dict[str, str | None]:
    """A JSON object as dotted field names and text values, the way CSV exports flatten it."""
    flat: dict[str, str | None] = {}
    for name, item in value.items():
        field = f"{prefix}{name}"
        if isinstance(item, dict):
            flat.update(_flatten(item, f"{field}."))
        elif item is None:
            flat[field] = None
        elif isinstance(item, bool):
            flat[field] = "true" if item else "false"
        elif isinstance(item, str):
            flat[field] = item
        else:
            flat[field] = json.dumps(item)
    return flat


def _jsonl_rows(file: ExportFile, data: bytes) -> pl.DataFrame:
    if data.lstrip().startswith(b"["):
        raise RejectedFileError(
            file.relative, "a JSON array; expected JSON Lines, one object per line"
        )
    fast = _jsonl_fast(file, data)
    return fast if fast is not None else _jsonl_careful(file, data.decode())


ODD_LINE_BREAKS = tuple(
    c.encode() for c in ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
)
"""Line breaks Python's splitlines knows (the careful path) and polars' reader does not; ASCII
text can hold only the first five (a search for each of the others took 5 ms a posts file)."""


class _Unsupported(Exception):
    """A value the fast reader would render differently from json.dumps (floats, lists, ...)."""


def _as_text(expr: pl.Expr, dtype: pl.DataType, name: str) -> list[pl.Expr]:
    """A column as the careful path renders it: dotted names for nested objects, text values."""
    if isinstance(dtype, pl.Struct) and dtype.fields:
        return [
            text
            for field in dtype.fields
            for text in _as_text(expr.struct.field(field.name), field.dtype, f"{name}.{field.name}")
        ]
    if dtype in (pl.String, pl.Boolean, pl.Int64, pl.Null):
        return [expr.cast(pl.String).alias(name)]
    raise _Unsupported(name)


INFER_LINES = 1000
"""Lines polars reads a JSON Lines file's fields and types from at first: inferring from every
line took about 70% of reading a posts file. When a field the file's declaration reads is not
among them but its key is in the file, or a later line does not fit, every line is read for
them (fields no declaration reads are of no use: the row checks ignore them)."""


def _ndjson_rows(data: bytes, infer: int | None) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """(the frame polars reads, its fields as text with dotted names), or None when polars
    cannot read it, or reads something the careful path reads differently."""
    try:
        frame = pl.read_ndjson(data, infer_schema_length=infer)
        columns = [c for name, t in frame.schema.items() for c in _as_text(pl.col(name), t, name)]
        if any(_nested_nulls(frame[name]) for name, t in frame.schema.items() if t == pl.Struct):
            return None  # {"a": null} beside {"a": {...}}: the careful path keeps a field "a"
        if not columns:
            return None
        return frame, frame.select(columns)
    except (pl.exceptions.PolarsError, _Unsupported, ValueError):
        return None


def _unread_fields(file: ExportFile, names: list[str], data: bytes) -> bool:
    """Whether a field the declaration reads is not in `names` while its key is in the file,
    or a dotted one is also a key of its own (the lines read for fields may not show the clash
    a full read would find)."""
    declared = {f.source for f in file.spec.fields}
    return any(
        f'"{source.rsplit(".", 1)[-1]}"'.encode() in data for source in declared - set(names)
    ) or any(f'"{source}"'.encode() in data for source in declared if "." in source)


def _jsonl_fast(file: ExportFile, data: bytes) -> pl.DataFrame | None:
    """The rows of a plain JSON Lines file read by polars' vectorised reader, exactly as the
    careful path reads them; None when the file has anything that reader treats differently
    (the careful path then reads it, and says what is wrong with it)."""
    breaks = ODD_LINE_BREAKS if not data.isascii() else ODD_LINE_BREAKS[:5]  # ASCII ones first
    if any(c in data for c in breaks) or (
        b"\r" in data and data.count(b"\r") != data.count(b"\r\n")
    ):
        return None
    read = _ndjson_rows(data, INFER_LINES)
    if read is None or _unread_fields(file, read[1].columns, data):
        read = _ndjson_rows(data, None)
        if read is None:
            return None
    frame, rows = read
    if rows.height != data.count(b"\n") + (not data.endswith(b"\n")) or _mixed(frame, rows, data):
        return None  # blank lines (line numbers would shift), or a field of several types
    names = rows.columns
    if len(set(names)) < len(names) or not set(required_fields(file.spec)) <= set(names):
        return None  # a dotted key clashing with a nested one; a missing field's message
    return (
        rows.with_row_index(ROW, offset=1)
        .with_columns(pl.col(ROW).cast(pl.Int64))
        .select(*names, ROW)
    )


def _text_leaves(schema: pl.Schema | pl.Struct, prefix: str = "") -> dict[str, str]:
    """Dotted names of the text fields of a frame or struct, with their own (last) key."""
    if isinstance(schema, pl.Struct):
        fields = [(field.name, field.dtype) for field in schema.fields]
    else:
        fields = list(schema.items())
    leaves: dict[str, str] = {}
    for name, dtype in fields:
        if isinstance(dtype, pl.Struct):
            leaves |= _text_leaves(dtype, f"{prefix}{name}.")
        elif dtype == pl.String:
            leaves[f"{prefix}{name}"] = name
    return leaves


def _mixed(frame: pl.DataFrame, rows: pl.DataFrame, data: bytes) -> bool:
    """Whether a text field also holds numbers, booleans, objects or lists on some rows (polars
    then gives their JSON text, which json.dumps may render differently, e.g. 100.0 as 100).
    Every text value of key k in the file reads `"k": "` (a quote inside a string is escaped), so
    when the file has fewer of those than the frame has values for k, some were not text."""
    leaves = _text_leaves(frame.schema)
    if not leaves:
        return False
    counts = rows.select(pl.col(name).count() for name in leaves).row(0)
    values: dict[str, int] = {}
    for key, count in zip(leaves.values(), counts, strict=True):
        values[key] = values.get(key, 0) + count
    separators = [s for s in (b'": "', b'":"') if s in data]  # most files use one of the two
    return any(
        sum(data.count(b'"' + key.encode() + s) for s in separators) != n
        for key, n in values.items()
    )


def _nested_nulls(column: pl.Series) -> bool:
    """Whether a struct column (or one nested in it) is null on some row."""
    if column.null_count():
        return True
    return any(
        _nested_nulls(column.struct.field(field.name))
        for field in column.dtype.fields
        if isinstance(field.dtype, pl.Struct)
    )


def json_object(file: ExportFile, number: int, line: str, **decoding: object) -> dict:
    """Line `number` of a JSON Lines file as the object it must be; the file is rejected when
    it is not."""
    try:
        value = json.loads(line, **decoding)
    except json.JSONDecodeError as exc:
        raise RejectedFileError(
            file.relative, f"line {number} is not JSON ({exc.msg}); fix or re-export the file"
        ) from None
    if not isinstance(value, dict):
        kind = type(value).__name__
        raise RejectedFileError(
            file.relative, f"line {number} is a JSON {kind}, not an object; expected JSONL"
        )
    return value


def _jsonl_careful(file: ExportFile, text: str) -> pl.DataFrame:
    records: list[dict[str, str | None]] = []
    line_numbers: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        value = json_object(file, number, line, object_pairs_hook=first_key_wins)
        records.append(_flatten(value))
        line_numbers.append(number)
    names = list(dict.fromkeys(name for record in records for name in record))
    rows = pl.DataFrame({ROW: pl.Series(line_numbers, dtype=pl.Int64)})  # objects may be empty
    return rows.with_columns(
        pl.Series(name, [record.get(name) for record in records], dtype=pl.String) for name in names
    ).select(*names, ROW)


def first_key_wins(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object whose key repeats keeps the first value, as polars' reader does."""
    value: dict = {}
    for key, item in pairs:
        value.setdefault(key, item)
    return value


def _csv_rows(file: ExportFile, data: bytes) -> pl.DataFrame:
    try:  # the header alone is decoded, as the csv module reads it
        text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
        header = next(csv.reader(text), [])
    except csv.Error as exc:
        raise RejectedFileError(file.relative, f"not readable as CSV ({exc})") from None
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise RejectedFileError(
            file.relative, f"column {', '.join(repeated)} appears twice in the header; keep one"
        )
    try:
        frame = pl.read_csv(data, infer_schema=False, raise_if_empty=True)
    except (pl.exceptions.PolarsError, ValueError) as exc:
        reason = str(exc).splitlines()[0][:120]
        raise RejectedFileError(
            file.relative, f"not readable as CSV ({reason}); check the quoting and delimiter"
        ) from None
    return frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))


def read_content(file: ExportFile) -> bytes:
    """The file's bytes as delivered; other I/O errors are transient and left to retries."""
    try:
        return file.path.read_bytes()
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        raise RejectedFileError(file.relative, f"cannot be read ({exc.strerror})") from None


def parse_rows(file: ExportFile, content: bytes) -> pl.DataFrame:
    """The file's rows as delivered: text columns, dotted field names, and a source_row (an
    audience file: a row per bucket of each line, see `_audience_rows`)."""
    data = _decoded(file, content)
    if file.entity == "audience":  # laid out by the platform's declaration
        from creatorlens.ingest.audience_lines import audience_rows  # noqa: PLC0415 (a cycle)

        return audience_rows(file, data.decode())
    return _jsonl_rows(file, data) if file.format == "jsonl" else _csv_rows(file, data)
