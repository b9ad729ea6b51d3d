"""The creatorlens command line: run, backfill, rebuild, demo, validate, report, status, top,
explain, campaigns.

Only `run` and `backfill` import Prefect (slow to import); the other commands stay quick.
"""

import os
import re
import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Literal, NoReturn

import typer
from rich.console import Console

from creatorlens import demo as demo_export
from creatorlens import quiet_exit
from creatorlens.errors import CreatorlensError, StaleSourcesError
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
    rich_markup_mode=None,
)


def _console(stderr: bool = False) -> Console:
    """A console for people; in a pipe or a file, wide enough that no table row ever folds."""
    console = Console(stderr=stderr)
    return console if console.is_terminal else Console(stderr=stderr, width=10_000)


console = _console()
errors = _console(stderr=True)


def _fail(message: str) -> NoReturn:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _version(asked: bool) -> None:
    if asked:
        console.print(f"creatorlens {version('creatorlens')}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Influencer-marketing analytics: platform exports to ranked DuckDB marts."""


def parse_date(text: str | date) -> date:
    """A YYYY-MM-DD option value, or a usage error that says what is wrong with it."""
    if isinstance(text, date):  # a default
        return text
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        reason = str(error) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else "use YYYY-MM-DD"
        raise typer.BadParameter(f"{text} is not a date ({reason})") from None


def _date_option(name: str, text: str, *, required: bool = False) -> typer.models.OptionInfo:
    return typer.Option(
        name, parser=parse_date, metavar="YYYY-MM-DD", help=text, show_default=not required
    )


DateOption = Annotated[
    date | None, _date_option("--date", "as-of date (UTC) [default: the latest snapshot date]")
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
AllowPartialOption = Annotated[
    bool,
    typer.Option("--allow-partial", help="publish even if files were rejected or rows quarantined"),
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
        lambda: nightly(run_date=run_date, allow_partial=allow_partial, settings=settings),
        settings,
    )


@app.command()
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
    from flows.backfill import backfill as backfill_flow  # noqa: PLC0415

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


@app.command()
def rebuild(
    exports: ExportsOption = None,
    warehouse: WarehouseOption = None,
    marts: MartsOption = None,
    tier_scheme: SchemeOption = None,
    max_quarantine_share: ShareOption = None,
    allow_partial: AllowPartialOption = False,
) -> None:
    """Make the warehouse again from the exports folder (after it was lost or damaged): the
    old file is kept beside it, every published as-of date is recomputed and published."""
    from flows.rebuild import rebuild as rebuild_flow  # noqa: PLC0415 (Prefect is slow to import)

    settings = _settings(
        exports_dir=exports,
        warehouse=warehouse,
        marts=marts,
        tier_scheme=tier_scheme,
        max_quarantine_share=max_quarantine_share,
    )
    _run_flow(lambda: rebuild_flow(allow_partial=allow_partial, settings=settings), settings)


def _settings(**options: object) -> Settings:
    """Settings from the environment and the given options, or a one-line error."""
    try:
        return load_settings(**options)
    except CreatorlensError as error:
        _fail(str(error))


def _run_flow(start_flow, settings: Settings) -> None:
    """Run a flow after checking what can be checked without Prefect; print its summary."""
    from creatorlens.cli.summary import print_summary  # noqa: PLC0415
    from creatorlens.runs import check_settings  # noqa: PLC0415

    try:
        check_settings(settings)
        summary = start_flow()
        print_summary(console, summary, settings)
    except StaleSourcesError as error:  # published: the summary stands, then the error
        print_summary(console, error.summary, settings)
        _fail(str(error))
    except CreatorlensError as error:
        _fail(str(error))


@app.command()
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


@app.command()
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


@app.command()
def report(
    run_date: DateOption = None,
    marts: MartsOption = None,
    reports_dir: Annotated[
        Path | None,
        typer.Option("--reports-dir", help="where to write it [CREATORLENS_REPORTS_DIR]"),
    ] = None,
) -> None:
    """Write the HTML report (charts, rankings, data quality) of the published marts."""
    from creatorlens.publish.html_report import write_report  # noqa: PLC0415

    settings = _settings(marts=marts, reports_dir=reports_dir)
    try:
        path = write_report(
            settings.marts, settings.reports_dir, run_date, warehouse=settings.warehouse
        )
    except CreatorlensError as error:
        _fail(str(error))
    console.print(str(path), highlight=False, soft_wrap=True)


@app.command()
def status(
    marts: MartsOption = None,
    limit: Annotated[int, typer.Option(min=1, help="how many recent runs")] = 10,
) -> None:
    """Show the last runs, loads and quarantine counts (from the published marts file)."""
    from creatorlens.cli.summary import print_status  # noqa: PLC0415
    from creatorlens.warehouse import open_marts  # noqa: PLC0415

    settings = _settings(marts=marts)
    try:
        with open_marts(settings.marts) as con:
            print_status(console, con, limit)
    except CreatorlensError as error:
        _fail(str(error))


@app.command()
def campaigns(
    campaign: Annotated[str | None, typer.Option(help="only this campaign id")] = None,
    marts: MartsOption = None,
) -> None:
    """Print each campaign's creators by return on spend, with cost per purchase and click."""
    from creatorlens.cli.summary import print_campaigns  # noqa: PLC0415
    from creatorlens.warehouse import open_marts  # noqa: PLC0415

    settings = _settings(marts=marts)
    try:
        with open_marts(settings.marts) as con:
            print_campaigns(console, con, campaign)
    except CreatorlensError as error:
        _fail(str(error))


@app.command()
def explain(
    platform: Annotated[str, typer.Option(help="instagram, tiktok or youtube")],
    account: Annotated[
        str, typer.Option(help="the creator's account id (Instagram/YouTube id, TikTok username)")
    ],
    run_date: DateOption = None,
    marts: MartsOption = None,
) -> None:
    """Explain a creator's authenticity score: its flags, the events behind them, and the post
    that explains a rise, if any."""
    from creatorlens.cli.explain import explain as explain_creator  # noqa: PLC0415
    from creatorlens.cli.summary import print_explanation  # noqa: PLC0415
    from creatorlens.warehouse import open_marts  # noqa: PLC0415

    settings = _settings(marts=marts)
    try:
        with open_marts(settings.marts) as con:
            explained = explain_creator(con, platform.lower(), account, run_date)
    except CreatorlensError as error:
        _fail(str(error))
    print_explanation(console, explained, settings.min_authenticity)


@app.command()
def top(
    platform: Annotated[str, typer.Option(help="instagram, tiktok or youtube")],
    tier: Annotated[str, typer.Option(help="a ranked tier of the active scheme, e.g. micro")],
    run_date: DateOption = None,
    niche: Annotated[str | None, typer.Option(help="only creators of this niche")] = None,
    country: Annotated[str | None, typer.Option(help="only creators of this country")] = None,
    limit: Annotated[int, typer.Option(min=1, help="how many creators")] = 10,
    output: Annotated[
        Literal["table", "csv", "json"],
        typer.Option("--format", help="table for people, csv or json for programs"),
    ] = "table",
    marts: MartsOption = None,
) -> None:
    """Print the ranking of one platform and tier (default: the latest as-of date)."""
    from creatorlens.cli.rankings import ranking  # noqa: PLC0415
    from creatorlens.cli.summary import print_ranking  # noqa: PLC0415
    from creatorlens.warehouse import open_marts  # noqa: PLC0415

    settings = _settings(marts=marts)
    platform, tier = platform.lower(), tier.lower()
    try:
        with open_marts(settings.marts) as con:
            ranked = ranking(
                con, platform, tier, as_of_date=run_date, niche=niche, country=country, limit=limit
            )
    except CreatorlensError as error:
        _fail(str(error))
    if output == "table":
        print_ranking(console, ranked, platform, tier)
    else:
        machine = ranked.drop("creator")
        sys.stdout.write(machine.write_csv() if output == "csv" else machine.write_json() + "\n")
