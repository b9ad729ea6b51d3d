"""The commands that run the pipeline or prepare its input: run, backfill, rebuild, demo,
validate. Only these import Prefect (slow to import), and only when they run."""

import gc
import os
import signal
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from creatorlens import demo as demo_export
from creatorlens.cli.common import (
    AllowPartialOption,
    DateOption,
    ExportsOption,
    MartsOption,
    SchemeOption,
    ShareOption,
    VerboseOption,
    WarehouseOption,
    _date_option,
    _fail,
    _settings,
    console,
    parse_date,
)
from creatorlens.errors import CreatorlensError, RunCancelledError, StaleSourcesError
from creatorlens.schemas.scrapes import SCRAPE_FORMATS
from creatorlens.settings import Settings, load_settings


def run(
    run_date: DateOption = None,
    exports: ExportsOption = None,
    warehouse: WarehouseOption = None,
    marts: MartsOption = None,
    tier_scheme: SchemeOption = None,
    max_quarantine_share: ShareOption = None,
    allow_partial: AllowPartialOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Load what is new in the exports, then compute and publish marts (the nightly flow)."""
    _prefect_console(verbose)
    from creatorlens.flows.nightly import nightly  # noqa: PLC0415 (Prefect is slow to import)

    settings = _settings(
        exports_dir=exports,
        warehouse=warehouse,
        marts=marts,
        tier_scheme=tier_scheme,
        max_quarantine_share=max_quarantine_share,
    )
    _run_flow(
        lambda: nightly(run_date=run_date, allow_partial=allow_partial, settings=settings),
        settings,
    )


def backfill(
    start: Annotated[date, _date_option("--start", "first as-of date", required=True)],
    end: Annotated[date, _date_option("--end", "last as-of date", required=True)],
    platform: Annotated[
        list[str] | None, typer.Option(help="only this platform (repeatable) [default: all]")
    ] = None,
    exports: ExportsOption = None,
    warehouse: WarehouseOption = None,
    marts: MartsOption = None,
    tier_scheme: SchemeOption = None,
    max_quarantine_share: ShareOption = None,
    allow_partial: AllowPartialOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Load what is new, then recompute and publish every as-of date from --start to --end."""
    from creatorlens.runs import check_platforms, check_range  # noqa: PLC0415

    settings = _settings(
        exports_dir=exports,
        warehouse=warehouse,
        marts=marts,
        tier_scheme=tier_scheme,
        max_quarantine_share=max_quarantine_share,
    )
    try:
        check_range(start, end)
        check_platforms(platform)
    except CreatorlensError as error:
        _fail(str(error))
    _prefect_console(verbose)
    from creatorlens.flows.backfill import backfill as backfill_flow  # noqa: PLC0415

    _run_flow(
        lambda: backfill_flow(
            start=start,
            end=end,
            platforms=platform or None,
            allow_partial=allow_partial,
            settings=settings,
        ),
        settings,
    )


def rebuild(
    exports: ExportsOption = None,
    warehouse: WarehouseOption = None,
    marts: MartsOption = None,
    tier_scheme: SchemeOption = None,
    max_quarantine_share: ShareOption = None,
    allow_partial: AllowPartialOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Make the warehouse again from the exports folder (after it was lost or damaged): the
    old file is kept beside it, every published as-of date is recomputed and published."""
    _prefect_console(verbose)
    from creatorlens.flows.rebuild import rebuild as rebuild_flow  # noqa: PLC0415 (Prefect is slow to import)

    settings = _settings(
        exports_dir=exports,
        warehouse=warehouse,
        marts=marts,
        tier_scheme=tier_scheme,
        max_quarantine_share=max_quarantine_share,
    )
    _run_flow(lambda: rebuild_flow(allow_partial=allow_partial, settings=settings), settings)


def _prefect_console(verbose: bool) -> None:
    """Prefect's log lines on the terminal only when asked (--verbose): before Prefect is
    imported, its console handler is set to let nothing through. Prefect keeps every line
    (its API handler): the run's logs in the Prefect UI or `prefect flow-run logs`."""
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


def _run_flow(start_flow, settings: Settings) -> None:
    """Run a flow after checking what can be checked without Prefect; print its summary.
    Ctrl-C or SIGTERM stops it within seconds with one line (the run recorded cancelled)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings  # noqa: PLC0415

    from creatorlens.cli.server import prefect_api  # noqa: PLC0415
    from creatorlens.cli.summary import print_summary  # noqa: PLC0415
    from creatorlens.runs import check_settings  # noqa: PLC0415

    signal.signal(signal.SIGTERM, _interrupted)
    try:
        check_settings(settings)
        with (
            prefect_api(settings.prefect_server_dir, settings.prefect_server_idle_minutes, _say),
            # no heartbeats from a run in the terminal: their thread held the end of every run
            # for up to a second; a run that dies is marked failed by the next (ops.runs), and
            # deployments' runs keep them
            temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
        ):
            # the imports' objects (Prefect's and pydantic's models, hundreds of thousands)
            # live as long as the process: out of the collector's way, which walked them all
            # again and again during a run
            gc.freeze()
            summary = start_flow()
        print_summary(console, summary, settings)
    except StaleSourcesError as error:  # published: the summary stands, then the error
        print_summary(console, error.summary, settings)
        _fail(str(error))
    except RunCancelledError as error:
        _fail(str(error), exit_code=error.exit_code)
    except CreatorlensError as error:
        _fail(str(error))
    except KeyboardInterrupt:  # outside the run's steps: before them, or once they ended
        _fail("stopped by Ctrl-C; `creatorlens status` shows how the last run ended", 130)


def _say(line: str) -> None:
    console.print(line, highlight=False, soft_wrap=True)


def _interrupted(signum: int, frame: object) -> None:
    """SIGTERM outside a flow run (Prefect handles it within one): stop as Ctrl-C does."""
    raise KeyboardInterrupt


def demo(
    creators: Annotated[int, typer.Option(min=1, help="creators over all platforms")] = 600,
    days: Annotated[int, typer.Option(min=1, help="days of daily snapshots")] = 30,
    seed: Annotated[int, typer.Option(help="random seed; the same seed writes the same files")] = 7,
    end: Annotated[
        date,
        typer.Option(
            parser=parse_date,
            metavar="YYYY-MM-DD",
            help=f"last snapshot date [default: {demo_export.DEFAULT_END}]",
            show_default=False,
        ),
    ] = demo_export.DEFAULT_END,
    out: Annotated[
        Path | None, typer.Option(help="folder to write [default: the exports folder]")
    ] = None,
    bought_share: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="share of creators who buy followers")
    ] = demo_export.DemoConfig.bought_share,
    viral_share: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="share of creators who go viral")
    ] = demo_export.DemoConfig.viral_share,
    labels: Annotated[
        Path | None,
        typer.Option(
            help="also write the truth (each creator's growth pattern and events) to this CSV, "
            "outside the exports folder"
        ),
    ] = None,
) -> None:
    """Write a realistic sample export folder for all three platforms, with creators who buy
    followers (bursts, drips, purges) beside organic ones (steady, viral)."""
    if bought_share + viral_share > 1:
        _fail("--bought-share and --viral-share add up to more than 1; lower one of them")
    try:
        target = out or load_settings().exports_dir
        if labels is not None and labels.resolve().is_relative_to(target.resolve()):
            _fail(
                f"--labels {labels}: inside the exports folder {target}, where a run would "
                "reject it as an unknown file; write it elsewhere"
            )
        config = demo_export.DemoConfig(
            creators=creators, days=days, seed=seed, end=end, bought_share=bought_share,
            viral_share=viral_share,
        )  # fmt: skip
        generated = demo_export.generate(config)
        written = demo_export.write(generated, target)
        if labels is not None:
            demo_export.write_labels(generated, labels)
    except CreatorlensError as error:
        _fail(str(error))
    console.print(
        f"wrote {written} files to {target}: {creators} creators, {days} days "
        f"({config.start} to {config.end}), seed {seed}"
        + (f"; the truth to {labels}" if labels is not None else "")
    )


def validate(
    path: Annotated[Path, typer.Argument(help="an export folder or a single export file")],
    max_quarantine_share: ShareOption = None,
) -> None:
    """Check exports and report what would be rejected or quarantined; loads nothing."""
    from creatorlens.cli.summary import print_validation  # noqa: PLC0415
    from creatorlens.ingest.validation import validate_path  # noqa: PLC0415

    settings = _settings(max_quarantine_share=max_quarantine_share)
    try:
        report, quarantined = validate_path(path)
    except CreatorlensError as error:
        _fail(str(error))
    print_validation(console, report, quarantined)
    problems = report.problems(settings.max_quarantine_share)
    if problems:
        _fail(f"{len(problems)} problem(s) would stop a run: " + "; ".join(problems))


def import_scrape(
    file: Annotated[Path, typer.Argument(help="a scraping tool's CSV file (or .csv.gz)")],
    scrape_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="the tool's shape: " + ", ".join(SCRAPE_FORMATS) + " (README, 'Scrapes')",
        ),
    ],
    time_zone: Annotated[
        str | None,
        typer.Option(
            help="time zone of times without an offset, such as Asia/Ho_Chi_Minh "
            "[default: CREATORLENS_SCRAPE_TIME_ZONES of the format]",
            show_default=False,
        ),
    ] = None,
    day: Annotated[
        date | None,
        _date_option("--date", "the day an undated scrape (one snapshot) was made"),
    ] = None,
    exports: ExportsOption = None,
) -> None:
    """Split a scrape (many days, creators and posts in one file, counts like 304.9K) into the
    exports folder's layout, a file per platform, entity and day; the next run loads them."""
    from creatorlens.ingest import scrapes  # noqa: PLC0415

    settings = _settings(exports_dir=exports)
    try:
        scrape = scrapes.scrape_format(scrape_format)
        imported = scrapes.import_scrape(
            file,
            scrape,
            settings.exports_dir,
            time_zone=time_zone or settings.scrape_time_zones.get(scrape.name),
            day=day,
        )
    except CreatorlensError as error:
        _fail(str(error))
    if not imported.days:
        _fail(f"{file}: no rows to import; is it an empty {scrape.name} scrape?")
    rows = ", ".join(
        f"{count:,} {entity[:-1]} snapshots" for entity, count in imported.rows.items()
    )
    left_out = (
        f"; {imported.unplaced:,} rows without a readable {scrape.snapshot_time.source} left out"
        if imported.unplaced
        else ""
    )
    first, last = imported.days[0], imported.days[-1]
    days = f"{len(imported.days)} days ({first} to {last})" if first != last else f"day {first}"
    console.print(
        f"imported {file} ({scrape.name}): {days}, "
        f"{rows}, into {settings.exports_dir / scrape.platform}{left_out}. "
        "`creatorlens run` loads them.",
        highlight=False,
    )


def server(
    action: Annotated[str, typer.Argument(help="status or stop")] = "status",
    warehouse: WarehouseOption = None,
) -> None:
    """The Prefect server that runs start in the background when no PREFECT_API_URL is set
    (its state beside the warehouse, in prefect/): whether it runs, or stop it."""
    from creatorlens.cli.server import BackgroundServer  # noqa: PLC0415

    settings = _settings(warehouse=warehouse)
    background = BackgroundServer(settings.prefect_server_dir)
    if action == "stop":
        stopped = background.stop()
        console.print(
            "stopped the background Prefect server"
            if stopped
            else "no background Prefect server runs for this warehouse",
            highlight=False,
        )
    elif action == "status":
        state = background.running()
        console.print(
            f"a background Prefect server runs at {state['url'].removesuffix('/api')} "
            f"(pid {state['pid']}); `creatorlens server stop` stops it"
            if state
            else "no background Prefect server runs for this warehouse",
            highlight=False,
        )
    else:
        _fail(f"server {action}: unknown action; use status or stop")


def prefect_yaml(
    out: Annotated[Path, typer.Option(help="file to write")] = Path("prefect.yaml"),
) -> None:
    """Write the Prefect deployments file (nightly at 03:30 UTC, backfill on demand) for
    `prefect deploy --all`: what an installed creatorlens deploys from."""
    from creatorlens import HOME  # noqa: PLC0415
    from creatorlens.errors import package_file  # noqa: PLC0415

    if out.exists():
        _fail(f"{out} exists; move it away or choose another --out")
    out.write_text(package_file(HOME / "prefect.yaml").read_text())
    console.print(
        f"wrote {out}: set CREATORLENS_HOME to the folder the runs work in (data/ is kept "
        "there), then `prefect deploy --all` beside it",
        highlight=False,
    )
