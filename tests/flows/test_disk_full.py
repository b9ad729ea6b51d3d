"""A full disk, provoked for real: the warehouse, the scratch folder, the published file and its
Parquet files each on a small file system of their own (tmpfs), filled by a file that leaves a
little room. Each run that meets a full disk ends with one line naming the path and what is free
there, never retries, and leaves the published marts as they were and readable throughout; once
space is freed, running again ends with the marts a run on a roomy disk publishes. Where no file
system can be mounted (not root), the second test's limit on file size (`ulimit -f`) is the
fault: the warehouse outgrows it while loading.
"""

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from creatorlens.demo import DemoConfig, generate, write
from creatorlens.flows.backfill import backfill
from creatorlens.flows.nightly import nightly
from creatorlens.settings import Settings
from tests.flows.folders import cli_environment, export_days, land, settings_in
from tests.flows.marts_reader import published_marts, reading

CONFIG = DemoConfig(creators=60, days=16, seed=5)
FIRST_DAYS = 8
BACKFILL = ["backfill", "--start", str(CONFIG.start), "--end", str(CONFIG.end)]
DISK = 48 * 2**20


def mount_small_disk(path: Path) -> None:
    path.mkdir(parents=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK}", "tmpfs", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small file system here (needs root): {result.stderr.strip()}")


@contextmanager
def small_disks(root: Path, names: tuple[str, ...]) -> Iterator[dict[str, Path]]:
    mounted = []
    try:
        for name in names:
            mount_small_disk(root / name)
            mounted.append(root / name)
        yield {path.name: path for path in mounted}
    finally:
        for path in mounted:
            subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Take all the free space of `disk` but `leave` bytes, in one file."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free + (filler.stat().st_size if filler.exists() else 0)
    filler.unlink(missing_ok=True)
    with filler.open("wb") as file:
        os.posix_fallocate(file.fileno(), 0, max(free - leave, 0))
    return filler


def land_first_days(exports: Path, target: Path, *, first_days: bool) -> None:
    """Copy the agency files and the first days' folders, or the remaining days'."""
    days = export_days(exports)
    wanted = days[:FIRST_DAYS] if first_days else days[FIRST_DAYS:]
    land(exports, target, set(wanted), agency=first_days)


def environment(root: Path, disks: dict[str, Path], prefect_api: str) -> dict[str, str]:
    return cli_environment(
        root,
        prefect_api,
        warehouse=disks["warehouse"] / "warehouse.duckdb",
        scratch_dir=disks["scratch"] / "scratch",
        marts=disks["marts"] / "creatorlens.duckdb",
    )


def settings_of(env: dict[str, str]) -> Settings:
    """The settings a CLI run in `env` has (for a run in this process)."""
    return Settings(
        **{
            name.removeprefix("CREATORLENS_").lower(): value
            for name, value in env.items()
            if name.startswith("CREATORLENS_")
        }
    )


def creatorlens(
    env: dict[str, str], *args: str, file_size_limit: int | None = None
) -> subprocess.CompletedProcess:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, "-m", "creatorlens", *args],
        env=env, capture_output=True, text=True, timeout=300, check=False,
        preexec_fn=limit if file_size_limit else None,
    )  # fmt: skip


def refused_for_room(result: subprocess.CompletedProcess, path: Path, *signs: str) -> str:
    """The run's one error line, which must name `path` (or a file in it) and say what is short
    (`signs`)."""
    printed = result.stdout + result.stderr
    assert result.returncode == 1, printed[-3000:]
    assert "Traceback" not in printed and "Retrying" not in printed, printed[-3000:]
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert line.startswith(f"error: {path}") and all(sign in line for sign in signs), line
    print(line)
    return line


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("all-exports")
    write(generate(CONFIG), folder)
    return folder


@pytest.fixture(scope="module")
def expected(tmp_path_factory, exports, prefect_harness) -> dict:
    """The marts the same runs publish on a roomy disk."""
    clean = settings_in(tmp_path_factory.mktemp("clean"), exports)
    backfill(start=CONFIG.start, end=CONFIG.end, settings=clean)
    return published_marts(str(clean.marts))


def test_a_full_disk_while_loading_computing_or_publishing_loses_nothing(
    tmp_path, prefect_api, exports, expected
):
    root = tmp_path / "small"
    with small_disks(root, ("warehouse", "scratch", "marts", "parquet")) as disks:
        print("the fault: a full tmpfs of", DISK // 2**20, "MB")
        env = environment(root, disks, prefect_api)
        marts = Path(env["CREATORLENS_MARTS"])
        # the Parquet files on a disk of their own, so the published file can be short of room
        (disks["parquet"] / "files").mkdir()
        (marts.parent / f"{marts.stem}-parquet").symlink_to(disks["parquet"] / "files")
        land_first_days(exports, root / "exports", first_days=True)
        nightly(settings=settings_of(env))  # the first days, published
        last_good = published_marts(str(marts))
        land_first_days(exports, root / "exports", first_days=False)

        with reading(marts, tmp_path / "stop-reading") as reads:
            for disk, leave, path in [
                ("warehouse", 64 * 2**10, Path(env["CREATORLENS_WAREHOUSE"])),  # loading
                ("scratch", 0, Path(env["CREATORLENS_SCRATCH_DIR"])),  # computing
                ("parquet", 0, marts),  # publishing the Parquet files
                ("marts", 0, marts),  # writing the published file that names them
            ]:
                filler = fill(disks[disk], leave)
                refused_for_room(creatorlens(env, *BACKFILL), path, "no space left", " MB free of ")
                assert published_marts(str(marts)) == last_good  # as it was, and readable
                filler.unlink()
            done = creatorlens(env, *BACKFILL)
        assert done.returncode == 0, done.stderr
        assert published_marts(str(marts)) == expected
    assert reads["refused"] == 0, reads["errors"]
    assert reads["inconsistent"] == 0 and reads["reads"] > 10


def test_a_warehouse_outgrowing_the_file_size_limit_is_one_line_and_loses_nothing(
    tmp_path, prefect_api, exports, expected
):
    root = tmp_path / "limited"
    disks = {name: root / name for name in ("warehouse", "scratch", "marts")}
    for disk in disks.values():
        disk.mkdir(parents=True)
    env = environment(root, disks, prefect_api)
    marts, warehouse = Path(env["CREATORLENS_MARTS"]), Path(env["CREATORLENS_WAREHOUSE"])
    land_first_days(exports, root / "exports", first_days=True)
    nightly(settings=settings_of(env))  # the first days, published
    last_good = published_marts(str(marts))
    land_first_days(exports, root / "exports", first_days=False)

    limit = warehouse.stat().st_size + 256 * 2**10  # the new days' rows do not fit under it
    print("the fault: a file size limit of", limit, "bytes")
    refused = creatorlens(env, *BACKFILL, file_size_limit=limit)
    refused_for_room(refused, warehouse, "outgrew the limit on file size", f"{limit:,} bytes")
    assert published_marts(str(marts)) == last_good
    done = creatorlens(env, *BACKFILL)
    assert done.returncode == 0, done.stderr
    assert published_marts(str(marts)) == expected
