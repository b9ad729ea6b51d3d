"""Audience match at scale: what audience files and briefs add to a nightly run.

    python -m bench.audience [--creators 100000]

Builds, once (cached under .bench/), a warehouse holding one as-of date of `--creators` creators
a platform (their snapshots and creator_daily_metrics, made in SQL) and that day's audience
files in each platform's API shape, one line for a seventh of the creators (the demo's
audiences, delivered weekly; `--share 1`: every creator the same day, the worst case),
and the demo's three briefs. Then, each in a process of its own as a nightly's tasks run, it
times and takes the peak memory of loading the audience files (read, checked, written) and of
matching the briefs over the date's creators, within the settings' DuckDB limits, and appends
the figures to bench/results.jsonl.
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench.cli import CACHE, ROOT, TIME
from bench.run import HISTORY
from creatorlens.demo import audience
from creatorlens.demo.model import COUNTRIES, NICHES, Creator
from creatorlens.demo.write import AUDIENCE_FILES
from creatorlens.warehouse import open_warehouse

DAY = date(2026, 11, 20)
PREFIX = {"instagram": "ig", "tiktok": "tt", "youtube": "UC"}


def build(folder: Path, creators: int, share: float) -> None:
    """The warehouse of one as-of date and that day's audience files and briefs."""
    if (folder / "built").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    niches = ", ".join(f"'{n}'" for n in NICHES)
    with open_warehouse(folder / "base.duckdb", migrate=True) as con:
        for platform, prefix in PREFIX.items():
            rows = f"select '{prefix}' || range as account_id, range as n from range({creators})"
            con.execute(
                "insert into staging.stg_creator_snapshots select ?, account_id, ?::date,"
                " account_id, 1000 + n % 50000, false, 'bench', n + 1 from (" + rows + ")",
                [platform, DAY],
            )
            con.execute(
                "insert into marts.creator_daily_metrics (as_of_date, platform, account_id,"
                " handle, niche, followers, tier, posts_7d, posts_30d, posts_90d,"
                " engagements_30d, suspicious_growth, price_per_post_usd, price_source, cpe_usd)"
                f" select ?::date, ?, account_id, account_id, ([{niches}])[1 + n % 9],"
                " 1000 + n % 50000, 'micro', 2, 6, 18, 600 + n % 900, n % 40 = 0, 300.0,"
                " 'tier_default', 0.05 + (n % 100) / 200 from (" + rows + ")",
                [DAY, platform],
            )
    rng = random.Random(11)
    exports = folder / "exports"
    for platform, prefix in PREFIX.items():
        lines = []
        for n in range(creators):
            if n % round(1 / share):
                continue  # delivers its audience another day of the week
            country = rng.choices(list(COUNTRIES), list(COUNTRIES.values()))[0]
            creator = Creator(platform, f"{prefix}{n}", f"{prefix}{n}", NICHES[n % 9], country,
                              True, 1000 + n % 50000, 0.05, 2.0)  # fmt: skip
            shares = audience.profile(rng, creator)
            lines.append(audience.line(rng, creator, creator.account_id, 1000 + n % 50000, shares))
        path = exports / platform / DAY.isoformat() / AUDIENCE_FILES[platform].removesuffix(".gz")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
    header = ",".join(audience.BRIEFS[0])
    rows = [",".join(str(v) for v in brief.values()) for brief in audience.BRIEFS]
    (exports / "briefs.csv").write_text("\n".join([header, *rows]) + "\n")
    (folder / "built").touch()


STEPS = {
    "load_audience": (
        "from creatorlens.ingest.loading import load_exports\n"
        "from creatorlens.warehouse import open_warehouse\n"
        "with open_warehouse(FOLDER / 'warehouse.duckdb', memory_limit=('', '512MB')) as con:\n"
        "    report = load_exports(con, FOLDER / 'exports', 'bench')\n"
        "print(report.rows_loaded, report.rows_quarantined)\n"
    ),
    "match_briefs": (
        "from creatorlens.compute.briefs import compute_brief_matches\n"
        "from creatorlens.warehouse import open_warehouse\n"
        "with open_warehouse(FOLDER / 'warehouse.duckdb', memory_limit=('', '128MB')) as con:\n"
        f"    print(compute_brief_matches(con, [__import__('datetime').date({DAY.year}, "
        f"{DAY.month}, {DAY.day})]))\n"
    ),
}
"""Each step as a nightly's task runs it, with the settings' default DuckDB limits."""


def step(folder: Path, name: str) -> dict:
    """Run one step in a process of its own; its wall time, peak memory and output."""
    script = f"from pathlib import Path\nFOLDER = Path({str(folder)!r})\n" + STEPS[name]
    memory = folder / f"{name}.peak-kb"
    started = time.perf_counter()
    done = subprocess.run(
        [TIME, "-f", "%M", "-o", str(memory), sys.executable, "-c", script],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {
        "wall_s": round(time.perf_counter() - started, 2),
        "peak_rss_mb": round(int(memory.read_text().split()[-1]) / 1024, 1),
        "printed": done.stdout.strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=100_000, help="creators a platform")
    parser.add_argument(
        "--share",
        type=float,
        default=1 / 7,
        help="of the creators, those whose audience the day delivers (default: a seventh, as a "
        "weekly delivery spreads them; 1: every creator the same day)",
    )
    args = parser.parse_args()
    folder = CACHE / f"audience-{args.creators}-{round(1 / args.share)}"
    started = time.perf_counter()
    build(folder, args.creators, args.share)
    print(f"built in {time.perf_counter() - started:.0f} s: {folder}")
    shutil.copyfile(folder / "base.duckdb", folder / "warehouse.duckdb")  # nothing loaded yet
    results = {name: step(folder, name) for name in STEPS}
    record = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "bench": "audience",
              "creators_a_platform": args.creators, "share": args.share, **results}  # fmt: skip
    with HISTORY.open("a") as history:
        history.write(json.dumps(record) + "\n")
    for name, result in results.items():
        print(
            f"{name}: {result['wall_s']} s, peak {result['peak_rss_mb']} MB ({result['printed']})"
        )


if __name__ == "__main__":
    main()
