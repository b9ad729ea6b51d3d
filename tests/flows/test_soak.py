"""Two months of nights: 60 days delivered one at a time, the nightly run through the CLI after
each (as a scheduler starts it), with a BI reader reading throughout. Slow (minutes): run with
`make soak`, outside `make test`.

It requires that no read is refused or torn, that the published folder stays bounded (a file no
published file names is gone once the grace period, set short here, has passed), that no
process or temporary file is left behind, and that the final marts equal one backfill's; and
it prints its figures.
"""

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from creatorlens.demo import DemoConfig, generate, write
from creatorlens.flows.backfill import backfill
from creatorlens.publish.keeping import files_folder, named_files
from tests.flows.folders import cli_environment, export_days, land, settings_in
from tests.flows.marts_reader import published_marts, reading

pytestmark = pytest.mark.soak

CONFIG = DemoConfig(creators=90, days=60, seed=61)
GRACE_SECONDS = 6.0


def environment(root: Path, prefect_api: str) -> dict[str, str]:
    return cli_environment(root, prefect_api, publish_grace_hours=str(GRACE_SECONDS / 3600))


def unnamed_files(marts: Path) -> list[Path]:
    """The Parquet files beside the published file that it does not name."""
    folder = files_folder(marts)
    named = named_files(marts, folder)
    return [p for p in folder.glob("*/*.parquet") if p.relative_to(folder).as_posix() not in named]


def processes_naming(folder: Path) -> list[str]:
    """Processes still running whose command line names `folder` (none should outlive a run)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(folder) in text:
            found.append(text)
    return found


def test_sixty_nights_in_a_row_with_readers_throughout(tmp_path, prefect_api):
    exports = tmp_path / "all-exports"
    write(generate(CONFIG), exports)
    days = export_days(exports)
    assert len(days) == CONFIG.days

    root = tmp_path / "nights"
    env = environment(root, prefect_api)
    marts = Path(env["CREATORLENS_MARTS"])
    land(exports, root / "exports", {days[0]}, agency=True)
    first = subprocess.run(nightly_command(), env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr[-3000:]

    began = time.monotonic()
    longest, most_files, most_bytes, leftover_ages = 0.0, 0, 0, []
    with reading(marts, tmp_path / "stop-reading", hold=GRACE_SECONDS / 3) as reads:
        for day in days[1:]:
            land(exports, root / "exports", {day})
            night = time.monotonic()
            result = subprocess.run(
                nightly_command(), env=env, capture_output=True, text=True, check=False
            )
            assert result.returncode == 0, result.stderr[-3000:]
            longest = max(longest, time.monotonic() - night)
            files = list(files_folder(marts).glob("*/*.parquet"))
            most_files = max(most_files, len(files))
            most_bytes = max(most_bytes, sum(p.stat().st_size for p in files))
            now = time.time()
            leftover_ages += [now - p.stat().st_mtime for p in unnamed_files(marts)]
    elapsed = time.monotonic() - began

    # a file no published file names was retired by a night at most one night ago, and is
    # removed by the first publish after its grace period
    assert max(leftover_ages, default=0) < GRACE_SECONDS + 2 * longest + 5, max(leftover_ages)
    assert reads["refused"] == 0, reads["errors"]
    assert reads["inconsistent"] == 0 and reads["reads"] > len(days) and reads["held_reads"] > 0

    leftovers = [p for p in root.rglob("*") if ".tmp" in p.name or p.name.endswith(".scratch")]
    assert leftovers == [], leftovers
    assert processes_naming(root) == []

    single = settings_in(tmp_path / "single", exports)
    backfill(start=CONFIG.start, end=CONFIG.end, settings=single)
    assert published_marts(str(marts)) == published_marts(str(single.marts))
    with duckdb.connect(str(marts), read_only=True) as con:
        dates = con.execute("select count(distinct as_of_date) from marts.creator_daily_metrics")
        assert dates.fetchone()[0] == CONFIG.days

    print(
        f"\nsoak: {len(days) - 1} nights after the first in {elapsed:.0f} s (longest {longest:.1f} s);"
        f" {reads['reads']} reads and {reads['held_reads']} through held connections, none refused"
        f" or torn, {reads['versions']} published versions seen; the published folder at most"
        f" {most_files} files, {most_bytes / 2**20:.1f} MB; files no published file names at"
        f" most {max(leftover_ages, default=0):.1f} s old (grace {GRACE_SECONDS:.0f} s)"
    )


def nightly_command() -> list[str]:
    return [sys.executable, "-m", "creatorlens", "run"]
