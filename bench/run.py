"""The benchmark harness: `make bench ARGS="--creators 3000 --days 46"`.

Generates demo exports (cached under .bench/), then runs, as a user does (the CLI on fresh
DuckDB files, against a Prefect server started once as deployments have it, or with
`--prefect ephemeral` at the embedded default, as `make run` has it: the background server the
first run of a folder starts, which later runs of that folder reuse):

- a full backfill of every as-of date but the last;
- a nightly run for one new day;
- a nightly run after restating one old file (TikTok posts three weeks back, likes doubled);
- the same marts from a plain DuckDB SQL baseline straight from the export files
  (bench/baseline_staging.sql, then the SQL oracle of tests/oracle);
- nightly runs after 45 and after 135 days of history (a second, longer export), each run
  three times from the same state (their publish ratio uses the median);
- the commands that run no flow (`--help`, `status`, `top`, `validate`);
- the authenticity assessment's creator-level precision and recall against the demo's truth,
  on every computed date of the main export and of a labelled one (a fifth of its creators
  buy followers, a fifth go viral; its last 31 as-of dates backfilled).

For each run it prints, and writes to a JSON file: wall time split into imports, Prefect's own
overhead, the tasks' work on the data and what follows the flow (summary, exit), with the data
work by phase (discover, read, validate, write, compute, publish), rows per second, peak
memory, and the ratios project/baseline and nightly/backfill. No test asserts a timing.
"""

import argparse
import contextlib
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from bench.cli import (
    CACHE,
    PREFECT_API,
    ROOT,
    RUN_SETTINGS,
    baseline,
    cli_run,
    import_seconds,
    prefect_server,
    quick_commands,
    stop_background_servers,
)
from bench.exports import exports_for, land, restate_tiktok_posts, tiled
from creatorlens.demo import DemoConfig, generate, quality


def with_rates(result: dict) -> dict:
    loading = sum(result.get(f"{p}_s", 0.0) for p in ("read", "validate", "write"))
    if result.get("rows_read"):
        result["rows_per_s_loading"] = round(result["rows_read"] / loading) if loading else None
        result["rows_per_s_end_to_end"] = round(result["rows_read"] / result["wall_s"])
    if result.get("rows_computed") and result.get("compute_s"):
        result["rows_per_s_compute"] = round(result["rows_computed"] / result["compute_s"])
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}


def main_runs(
    config: DemoConfig,
    work: Path,
    imports: float,
    *,
    with_baseline: bool,
    restated: bool,
    copies: int,
) -> dict:
    exports = tiled(exports_for(config), copies)
    folder = work / "main"
    land(exports, folder / "data" / "exports", config.end - timedelta(days=1))
    first, last = config.start + timedelta(days=6), config.end - timedelta(days=1)
    results = {
        "backfill": cli_run(
            folder, "backfill", "--start", str(first), "--end", str(last), imports=imports
        )
    }
    land(exports, folder / "data" / "exports", config.end)
    results["nightly_new_day"] = cli_run(folder, "run", imports=imports)
    if restated:
        restate_tiktok_posts(folder / "data" / "exports", config.end - timedelta(days=21))
        results["nightly_restated"] = cli_run(folder, "run", imports=imports)
    if with_baseline:
        results["baseline_sql"] = baseline(exports, first, last)
    results["commands"] = quick_commands(folder)
    return results


HISTORY_REPEATS = 3
"""Times each history nightly runs, from the same state: its publish is about 0.2 s, mostly
fixed, so one run's ratio follows the machine (1.14 to 1.54 in one day)."""


def history_runs(creators: int, work: Path, imports: float) -> dict:
    """Nightly runs after 45 and after 135 days of computed history."""
    config = DemoConfig(creators=creators, days=137, seed=11)
    exports = exports_for(config)
    folder = work / "history"
    results = {}
    for history in (45, 135):
        last = config.start + timedelta(days=history)
        land(exports, folder / "data" / "exports", last)
        done = {r[0] for r in _computed(folder)}
        first = max(done) + timedelta(days=1) if done else config.start + timedelta(days=1)
        cli_run(folder, "backfill", "--start", str(first), "--end", str(last), imports=imports)
        land(exports, folder / "data" / "exports", last + timedelta(days=1))
        results[f"nightly_after_{history}_days"] = repeated_nightly(folder, imports)
    return results


def repeated_nightly(folder: Path, imports: float) -> dict:
    """The nightly run HISTORY_REPEATS times, each from the state before the first: the run of
    the median wall time, with every run's wall and publish seconds and their medians."""
    data = folder / "data"
    before = folder / "before-nightly"
    shutil.rmtree(before, ignore_errors=True)
    shutil.copytree(data, before, ignore=shutil.ignore_patterns("exports"))
    runs = []
    for n in range(HISTORY_REPEATS):
        if n:  # back to the state before the first run (the exports stay)
            for path in data.iterdir():
                if path.is_dir() and path.name != "exports":
                    shutil.rmtree(path)
                elif path.is_file():
                    path.unlink()
            shutil.copytree(before, data, dirs_exist_ok=True)
        runs.append(cli_run(folder, "run", imports=imports))
    shutil.rmtree(before)
    runs.sort(key=lambda run: run["wall_s"])
    publishes = sorted(round(run.get("publish_s", 0.0), 2) for run in runs)
    return runs[len(runs) // 2] | {
        "wall_s_runs": [round(run["wall_s"], 2) for run in runs],
        "publish_s_runs": publishes,
        "publish_s_median": publishes[len(publishes) // 2],
    }


def _computed(folder: Path) -> list[tuple]:
    marts = folder / "data" / "creatorlens.duckdb"
    if not marts.exists():
        return []
    with duckdb.connect(str(marts), read_only=True) as con:
        return con.execute("select distinct as_of_date from marts.creator_daily_metrics").fetchall()


LABELLED_DAYS = 120
LABELLED_DATES = 31


def authenticity_quality(folder: Path, config: DemoConfig, *, last_only: bool = False) -> dict:
    """Creator-level precision and recall of the published suspicious_growth on every
    computed as-of date (or the last) against the demo's truth: the worst date's and the last
    date's."""
    demo = generate(config)
    figures = {}
    dates = sorted(day for (day,) in _computed(folder))
    with duckdb.connect(str(folder / "data" / "creatorlens.duckdb"), read_only=True) as con:
        for day in dates[-1:] if last_only else dates:
            flagged = con.execute(
                "select platform, account_id from marts.creator_daily_metrics"
                " where as_of_date = ? and suspicious_growth",
                [day],
            ).fetchall()
            figures[day] = quality(demo.truth_as_of(day), set(flagged))
    last = figures[max(figures)]
    return {
        "dates": len(figures),
        "min_precision": round(min(f.precision for f in figures.values()), 3),
        "min_recall": round(min(f.recall for f in figures.values()), 3),
        "max_organic_flagged": round(max(f.organic_flagged for f in figures.values()), 4),
        "last_date": str(max(figures)),
        "last": {k: round(v, 4) if isinstance(v, float) else v for k, v in last._asdict().items()},
    }


def labelled_run(creators: int, work: Path, imports: float) -> dict:
    """A labelled export (a fifth of the creators buy followers, a fifth go viral) over
    LABELLED_DAYS days, its last LABELLED_DATES as-of dates backfilled through the CLI: the
    backfill's figures and the detector's precision and recall on each date."""
    config = DemoConfig(
        creators=creators, days=LABELLED_DAYS, seed=2612, bought_share=0.2, viral_share=0.2
    )
    folder = work / "labelled"
    land(exports_for(config), folder / "data" / "exports", config.end)
    first = config.end - timedelta(days=LABELLED_DATES - 1)
    run = cli_run(folder, "backfill", "--start", str(first), "--end", str(config.end),
                  imports=imports)  # fmt: skip
    return {"labelled_backfill": run, "authenticity": authenticity_quality(folder, config)}


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=3000, help="creators over all platforms")
    parser.add_argument("--days", type=int, default=46, help="days of snapshots")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--history-creators", type=int, default=900, help="0 skips the 45/135-day runs"
    )
    parser.add_argument(
        "--prefect",
        choices=("server", "ephemeral"),
        default="server",
        help="run against a Prefect server started once (as deployments do), or at the embedded "
        "default (as `make run` does: a background server per folder, started by its first run)",
    )
    parser.add_argument(
        "--baseline",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the SQL baseline (--no-baseline at sizes where it takes too long)",
    )
    parser.add_argument(
        "--restated",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run a nightly after restating an old file",
    )
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="side-by-side copies of the demo export of --creators, ids suffixed per copy: "
        "a quick way to large sizes (--creators 30000 --copies 10: 100,000 per platform)",
    )
    parser.add_argument(
        "--buckets", type=int, default=0, help="CREATORLENS_BUCKETS of the runs (0: derived)"
    )
    parser.add_argument(
        "--duckdb-memory-limit",
        help="CREATORLENS_DUCKDB_MEMORY_LIMIT of the runs (unset: the setting's default)",
    )
    parser.add_argument(
        "--duckdb-load-memory-limit",
        help="CREATORLENS_DUCKDB_LOAD_MEMORY_LIMIT of the runs (unset: the setting's default)",
    )
    parser.add_argument(
        "--labelled-creators",
        type=int,
        default=6000,
        help=f"creators of the labelled export ({LABELLED_DAYS} days, its last {LABELLED_DATES} "
        "as-of dates backfilled) the detector is measured on; 0 skips it",
    )
    parser.add_argument("--out", type=Path, default=CACHE / "results.json")
    args = parser.parse_args()
    config = DemoConfig(creators=args.creators, days=args.days, seed=args.seed)
    RUN_SETTINGS["CREATORLENS_BUCKETS"] = str(args.buckets)
    if args.duckdb_memory_limit:
        RUN_SETTINGS["CREATORLENS_DUCKDB_MEMORY_LIMIT"] = args.duckdb_memory_limit
    if args.duckdb_load_memory_limit:
        RUN_SETTINGS["CREATORLENS_DUCKDB_LOAD_MEMORY_LIMIT"] = args.duckdb_load_memory_limit
    work = CACHE / f"work-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        with contextlib.ExitStack() as stack:
            if args.prefect == "server":
                PREFECT_API["url"] = stack.enter_context(prefect_server(work))
            imports = import_seconds()
            results = main_runs(
                config,
                work,
                imports,
                with_baseline=args.baseline,
                restated=args.restated,
                copies=args.copies,
            )
            if args.copies == 1:
                results["authenticity_main"] = authenticity_quality(
                    work / "main", config, last_only=True
                )
            if args.history_creators:
                results |= history_runs(args.history_creators, work, imports)
            if args.labelled_creators:
                results |= labelled_run(args.labelled_creators, work, imports)
    finally:
        stop_background_servers(work)
        shutil.rmtree(work, ignore_errors=True)
    quality_figures = {
        k: results.pop(k) for k in ("authenticity_main", "authenticity") if k in results
    }
    results = {name: with_rates(result) for name, result in results.items()}
    results |= quality_figures
    results["ratios"] = {
        "backfill_over_baseline": ratio(
            results["backfill"]["wall_s"], results.get("baseline_sql", {}).get("wall_s")
        ),
        "backfill_peak_memory_over_baseline": ratio(
            results["backfill"].get("peak_rss_mb"),
            results.get("baseline_sql", {}).get("peak_rss_mb"),
        ),
        "nightly_over_backfill": ratio(
            results["nightly_new_day"]["wall_s"], results["backfill"]["wall_s"]
        ),
        "restated_nightly_over_backfill": ratio(
            results.get("nightly_restated", {}).get("wall_s"), results["backfill"]["wall_s"]
        ),
    }
    if "nightly_after_135_days" in results:
        late, early = results["nightly_after_135_days"], results["nightly_after_45_days"]
        results["ratios"] |= {
            "nightly_135_over_45_days": ratio(late["wall_s"], early["wall_s"]),
            "publish_135_over_45_days": ratio(
                late.get("publish_s_median"), early.get("publish_s_median")
            ),
        }
    results["workload"] = {"creators": args.creators, "copies": args.copies,
                           "days": args.days, "seed": args.seed,
                           "history_creators": args.history_creators,
                           "labelled_creators": args.labelled_creators,
                           "prefect": args.prefect, "buckets": args.buckets,
                           "duckdb_memory_limit": args.duckdb_memory_limit,
                           "duckdb_load_memory_limit": args.duckdb_load_memory_limit}  # fmt: skip
    write_results(results, args.out)
    print_results(results)
    print(f"\nwritten to {args.out}, and appended to {HISTORY.relative_to(ROOT)}")


HISTORY = ROOT / "bench" / "results.jsonl"
"""Every bench run's figures, one JSON object a line (when, which commit, the workload): the
history the README leaves out. Commit it with the change it measures."""


def write_results(results: dict, out: Path) -> None:
    """The figures to `out`, and appended to the history with when and which commit."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    described = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    record = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": described.stdout.strip(),
    }
    with HISTORY.open("a") as history:
        history.write(json.dumps(record | results, default=str) + "\n")


def print_results(results: dict) -> None:
    columns = [
        *("wall_s", "imports_s", "prefect_s", "data_s", "after_s", "prefect_start_s"),
        *("discover_s", "read_s", "validate_s"),
        *("write_s", "compute_s", "campaigns_s", "publish_s", "rows_read", "rows_per_s_loading"),
        *("rows_computed", "rows_per_s_compute", "peak_rss_mb"),
    ]
    print(f"{'run':<26}" + "".join(f"{c.removesuffix('_s'):>14}" for c in columns))
    for name, result in results.items():
        if name in {"ratios", "workload", "commands", "authenticity_main", "authenticity"}:
            continue
        cells = "".join(f"{'' if result.get(c) is None else result[c]:>14}" for c in columns)
        print(f"{name:<26}{cells}")
    for name, value in results["ratios"].items():
        print(f"{name}: {value}")
    for name in ("nightly_after_45_days", "nightly_after_135_days"):
        if name in results:
            runs = results[name]
            print(
                f"{name}, {len(runs['wall_s_runs'])} runs from one state: wall"
                f" {runs['wall_s_runs']}, publish {runs['publish_s_runs']} (ratios: medians)"
            )
    for name, about in (("authenticity_main", "the main export"),
                        ("authenticity", "the labelled export")):  # fmt: skip
        if name in results:
            q = results[name]
            last = q["last"]
            print(
                f"authenticity on {about}, {q['dates']} as-of dates: precision >= "
                f"{q['min_precision']}, recall >= {q['min_recall']}, organic flagged <= "
                f"{q['max_organic_flagged']:.2%}; on {q['last_date']}: precision "
                f"{last['precision']:.3f}, recall {last['recall']:.3f}, organic flagged "
                f"{last['organic_flagged']:.2%} ({last['bought']} bought, {last['organic']} "
                "organic)"
            )
    print(
        "commands that run no flow (s): "
        + ", ".join(
            f"{name.removesuffix('_s')} {value}" for name, value in results["commands"].items()
        )
    )


if __name__ == "__main__":
    main()
