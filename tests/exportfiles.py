"""Writing small export files by hand, in the formats of design section 2."""

import csv
import gzip
import io
import json
from pathlib import Path


def write_export(path: Path, rows: list[dict], header: list[str] | None = None) -> Path:
    """Write rows as CSV or JSONL by the file's extension (.gz compresses)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if ".jsonl" in path.name or ".ndjson" in path.name:
        data = "".join(json.dumps(row) + "\n" for row in rows).encode()
    else:
        buffer = io.StringIO()
        fields = header or list(dict.fromkeys(k for row in rows for k in row))
        writer = csv.DictWriter(buffer, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
        data = buffer.getvalue().encode()
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def land(exports: Path, files: dict[str, bytes]) -> None:
    """Write files as delivered (paths relative to the exports folder, bytes as they are)."""
    for relative, data in files.items():
        (exports / relative).parent.mkdir(parents=True, exist_ok=True)
        (exports / relative).write_bytes(data)
