"""What the commands of the creatorlens command line share: the app, its consoles, the one-line
failure, and the options."""

import os
import re
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

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
    rich_markup_mode=None,
)


def _console(stderr: bool = False) -> Console:
    """A console for people; in a pipe or a file, wide enough that no table row ever folds."""
    console = Console(stderr=stderr)
    return console if console.is_terminal else Console(stderr=stderr, width=10_000)


console = _console()
errors = _console(stderr=True)


def _fail(message: str, exit_code: int = 1) -> NoReturn:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(exit_code)


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
VerboseOption = Annotated[
    bool, typer.Option("--verbose", help="also print Prefect's log lines (Prefect keeps them)")
]
AllowPartialOption = Annotated[
    bool,
    typer.Option("--allow-partial", help="publish even if files were rejected or rows quarantined"),
]


def _settings(**options: object) -> Settings:
    """Settings from the environment and the given options, or a one-line error."""
    try:
        return load_settings(**options)
    except CreatorlensError as error:
        _fail(str(error))
