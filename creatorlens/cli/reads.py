"""The commands that read the published marts (and the warehouse): report, status, campaigns,
explain, top."""

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from creatorlens.cli.common import (
    DateOption,
    MartsOption,
    _fail,
    _settings,
    console,
)
from creatorlens.errors import CreatorlensError


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
            settings.marts,
            settings.reports_dir,
            run_date,
            warehouse=settings.warehouse,
            kept=settings.reports_kept,
        )
    except CreatorlensError as error:
        _fail(str(error))
    console.print(str(path), highlight=False, soft_wrap=True)


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


def top(
    platform: Annotated[
        str | None, typer.Option(help="instagram, tiktok or youtube (with --brief: optional)")
    ] = None,
    tier: Annotated[
        str | None, typer.Option(help="a ranked tier of the active scheme, e.g. micro")
    ] = None,
    brief: Annotated[
        str | None,
        typer.Option(help="a brief of briefs.csv: its ranking by cost per targeted engagement"),
    ] = None,
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
    """Print the ranking of one platform and tier, or of a brief (default: the latest as-of
    date)."""
    from creatorlens.cli.rankings import brief_ranking, ranking  # noqa: PLC0415
    from creatorlens.cli.summary import print_brief, print_ranking  # noqa: PLC0415
    from creatorlens.warehouse import open_marts  # noqa: PLC0415

    settings = _settings(marts=marts)
    platform = platform.lower() if platform else None
    if brief is None and (platform is None or tier is None):
        _fail("top needs --platform and --tier (or --brief ID for a brief's ranking)")
    try:
        with open_marts(settings.marts) as con:
            if brief is not None:
                brand, day, ranked = brief_ranking(
                    con, brief, platform=platform, as_of_date=run_date, limit=limit
                )
            else:
                ranked = ranking(
                    con, platform, tier.lower(), as_of_date=run_date, niche=niche,
                    country=country, limit=limit,
                )  # fmt: skip
    except CreatorlensError as error:
        _fail(str(error))
    if output != "table":
        machine = ranked.drop("creator") if "creator" in ranked.columns else ranked
        sys.stdout.write(machine.write_csv() if output == "csv" else machine.write_json() + "\n")
    elif brief is not None:
        print_brief(console, brief, brand, day, ranked)
    else:
        print_ranking(console, ranked, platform, tier.lower())
