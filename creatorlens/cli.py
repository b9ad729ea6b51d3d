"""The creatorlens command line: run, backfill, demo, validate, status, top."""

import os
from datetime import datetime, time
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from creatorlens import demo as demo_export
from creatorlens import quiet_exit
from creatorlens.errors import CreatorlensError
from creatorlens.settings import Settings, load_settings

# Before Prefect is imported (lazily, by `run`): its ephemeral server would otherwise log a
# 'database is locked' traceback per run, and give up starting after 20 s on a busy machine.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
quiet_exit.install()

app = typer.Typer(
    help="Influencer-marketing analytics: platform exports to ranked DuckDB marts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

DateOption = Annotated[
    datetime | None, typer.Option("--date", formats=["%Y-%m-%d"], help="as-of date (UTC)")
]
ExportsOption = Annotated[
    Path | None, typer.Option("--exports", help="export landing folder [CREATORLENS_EXPORTS_DIR]")
]
WarehouseOption = Annotated[
    Path | None, typer.Option("--warehouse", help="pipeline DuckDB file [CREATORLENS_WAREHOUSE]")
]
MartsOption = Annotated[
    Path | None, typer.Option("--marts", help="published marts file [CREATORLENS_MARTS]")
]
SchemeOption = Annotated[
    str | None, typer.Option("--tier-scheme", help="tier scheme [CREATORLENS_TIER_SCHEME]")
]
ShareOption = Annotated[
    float | None,
    typer.Option(
        "--max-quarantine-share",
        help="largest quarantined share that still publishes [CREATORLENS_MAX_QUARANTINE_SHARE]",
    ),
]


DEFAULT_DEMO_END = datetime.combine(demo_export.DEFAULT_END, time())


def _fail(message: str) -> NoReturn:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


AllowPartialOption = Annotated[
    bool, typer.Option("--allow-partial", help="publish even if files were rejected")
]
SummaryPlatformOption = Annotated[
    str, typer.Option("--show-platform", help="platform of the summary's top creators")
]


@app.command()
def run(
    run_date: DateOption = None,
    exports: ExportsOption = None,
    warehouse: WarehouseOption = None,
    marts: MartsOption = None,
    tier_scheme: SchemeOption = None,
    max_quarantine_share: ShareOption = None,
    allow_partial: AllowPartialOption = False,
    show_platform: SummaryPlatformOption = "instagram",
) -> None:
    """Load what is new in the exports, then compute and publish marts (the nightly flow)."""
    from flows.nightly import nightly  # noqa: PLC0415 (Prefect is slow to import)

    settings = _settings(
        exports_dir=exports,
        warehouse=warehouse,
        marts=marts,
        tier_scheme=tier_scheme,
        max_quarantine_share=max_quarantine_share,
    )
    _run_flow(
        lambda: nightly(
            run_date=run_date.date() if run_date else None,
            allow_partial=allow_partial,
            settings=settings,
        ),
        settings,
        show_platform,
    )


@app.command()
def backfill(
    start: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="first as-of date")],
    end: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="last as-of date")],
    platform: Annotated[
        list[str] | None, typer.Option(help="only this platform (repeatable) [default: all]")
    ] = None,
    exports: ExportsOption = None,
    warehouse: WarehouseOption = None,
    marts: MartsOption = None,
    tier_scheme: SchemeOption = None,
    max_quarantine_share: ShareOption = None,
    allow_partial: AllowPartialOption = False,
    show_platform: SummaryPlatformOption = "instagram",
) -> None:
    """Load what is new, then recompute and publish every as-of date from --start to --end."""
    from flows.backfill import backfill as backfill_flow  # noqa: PLC0415
    from flows.tasks import check_platforms  # noqa: PLC0415

    settings = _settings(
        exports_dir=exports,
        warehouse=warehouse,
        marts=marts,
        tier_scheme=tier_scheme,
        max_quarantine_share=max_quarantine_share,
    )
    try:
        check_platforms(platform)
    except CreatorlensError as error:
        _fail(str(error))
    _run_flow(
        lambda: backfill_flow(
            start=start.date(),
            end=end.date(),
            platforms=platform or None,
            allow_partial=allow_partial,
            settings=settings,
        ),
        settings,
        show_platform,
    )


def _settings(**options: object) -> Settings:
    """Settings from the environment and the given options, or a one-line error."""
    try:
        return load_settings(**options)
    except CreatorlensError as error:
        _fail(str(error))


def _run_flow(start_flow, settings: Settings, show_platform: str) -> None:
    """Run a flow after checking what can be checked without Prefect; print its summary."""
    from creatorlens.summary import print_summary  # noqa: PLC0415
    from flows.tasks import check_settings  # noqa: PLC0415

    try:
        check_settings(settings)
        summary = start_flow()
        print_summary(console, summary, settings, show_platform)
    except CreatorlensError as error:
        _fail(str(error))


@app.command()
def demo(
    creators: Annotated[int, typer.Option(min=1, help="creators over all platforms")] = 600,
    days: Annotated[int, typer.Option(min=1, help="days of daily snapshots")] = 30,
    seed: Annotated[int, typer.Option(help="random seed; the same seed writes the same files")] = 7,
    end: Annotated[
        datetime, typer.Option(formats=["%Y-%m-%d"], help="last snapshot date")
    ] = DEFAULT_DEMO_END,
    out: Annotated[
        Path | None, typer.Option(help="folder to write [default: the exports folder]")
    ] = None,
) -> None:
    """Write a realistic sample export folder for all three platforms."""
    try:
        target = out or load_settings().exports_dir
        config = demo_export.DemoConfig(creators=creators, days=days, seed=seed, end=end.date())
        written = demo_export.write(demo_export.generate(config), target)
    except CreatorlensError as error:
        _fail(str(error))
    console.print(
        f"wrote {written} files to {target}: {creators} creators, {days} days "
        f"({config.start} to {config.end}), seed {seed}"
    )


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="an export folder or a single export file")],
    max_quarantine_share: ShareOption = None,
) -> None:
    """Check exports and report what would be rejected or quarantined; loads nothing."""
    from creatorlens.summary import print_validation  # noqa: PLC0415
    from creatorlens.validation import validate_path  # noqa: PLC0415

    settings = _settings(max_quarantine_share=max_quarantine_share)
    try:
        report, quarantined = validate_path(path)
    except CreatorlensError as error:
        _fail(str(error))
    print_validation(console, report, quarantined)
    problems = report.problems(settings.max_quarantine_share)
    if problems:
        _fail(f"{len(problems)} problem(s) would stop a run: " + "; ".join(problems))


@app.command()
def status(
    marts: MartsOption = None,
    limit: Annotated[int, typer.Option(min=1, help="how many recent runs")] = 10,
) -> None:
    """Show the last runs, loads and quarantine counts (from the published marts file)."""
    from creatorlens.marts import open_marts  # noqa: PLC0415
    from creatorlens.summary import print_status  # noqa: PLC0415

    settings = _settings(marts=marts)
    try:
        with open_marts(settings.marts) as con:
            print_status(console, con, limit)
    except CreatorlensError as error:
        _fail(str(error))


@app.command()
def top(
    platform: Annotated[str, typer.Option(help="instagram, tiktok or youtube")],
    tier: Annotated[str, typer.Option(help="a tier of the active scheme, e.g. micro")],
    run_date: DateOption = None,
    limit: Annotated[int, typer.Option(min=1, help="how many creators")] = 10,
    marts: MartsOption = None,
) -> None:
    """Print the ranking of one platform and tier (default: the latest as-of date)."""
    from creatorlens.marts import open_marts  # noqa: PLC0415
    from creatorlens.summary import print_ranking  # noqa: PLC0415
    from creatorlens.warehouse import query_frame  # noqa: PLC0415
    from flows.tasks import check_platforms  # noqa: PLC0415

    settings = _settings(marts=marts)
    try:
        check_platforms([platform])
        with open_marts(settings.marts) as con:
            ranking = query_frame(
                con,
                "reports/ranking",
                platform=platform,
                tier=tier,
                as_of_date=run_date.date() if run_date else None,
                limit=limit,
            )
        if ranking.is_empty():
            raise CreatorlensError(
                f"no ranked {platform} creators in tier '{tier}' on that date; "
                "check the tier name (creatorlens status shows the runs) or the --date"
            )
    except CreatorlensError as error:
        _fail(str(error))
    print_ranking(console, ranking, platform, tier)
