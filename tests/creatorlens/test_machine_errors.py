"""The one line a fault of the machine becomes: what ran short, where, and what to do."""

import errno
import os
import resource
from pathlib import Path

import duckdb
import pytest

from creatorlens.errors import DiskFullError, WarehouseUnusableError
from creatorlens.warehouse import connect, machine_error


def test_a_full_disk_names_the_setting_s_path_the_file_and_what_is_free(tmp_path):
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "part.parquet"))
    translated = machine_error(tmp_path, error)
    assert isinstance(translated, DiskFullError)
    line = str(translated)
    assert line.startswith(f"{tmp_path}: no space left on its disk writing {tmp_path}/part.parquet")
    assert " MB free of " in line and "free space there" in line and "\n" not in line


def test_duckdb_s_text_of_a_full_disk_is_recognised_with_its_file(tmp_path):
    text = (
        'IO Error: Async write failed: {"exception_message":"Could not write file '
        f'\\"{tmp_path}/x.parquet\\": No space left on device","errno":"28"}}'
    )
    line = str(machine_error(tmp_path / "marts.duckdb", duckdb.IOException(text)))
    assert f"writing {tmp_path}/x.parquet" in line and "no space left" in line


def test_a_file_size_limit_is_told_apart_from_a_full_disk(tmp_path):
    error = OSError(errno.EFBIG, os.strerror(errno.EFBIG))
    line = str(machine_error(tmp_path / "warehouse.duckdb", error))
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    shown = "unlimited" if limit == resource.RLIM_INFINITY else f"{limit:,} bytes"
    assert f"outgrew the limit on file size (ulimit -f: {shown})" in line
    assert "free space there" not in line


def test_a_damaged_warehouse_names_rebuild_and_other_errors_stay_bugs(tmp_path):
    damaged = tmp_path / "warehouse.duckdb"
    damaged.write_bytes(b"not a database" * 1000)
    with pytest.raises(WarehouseUnusableError, match="creatorlens rebuild"):
        connect(damaged, "warehouse")
    assert machine_error(tmp_path, ValueError("a bug")) is None
    assert machine_error(tmp_path, OSError(errno.EIO, "Input/output error")) is None


def test_a_quota_is_said_as_a_quota(tmp_path):
    line = str(machine_error(Path(tmp_path), OSError(errno.EDQUOT, "Disk quota exceeded")))
    assert "disk quota exceeded" in line
