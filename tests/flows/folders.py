"""Test folders: a demo export written once per module, copied into each test's own folder."""

import os
import shutil
from pathlib import Path

import pytest

from creatorlens.demo import DemoConfig, generate, write
from creatorlens.settings import Settings


def demo_exports(tmp_path_factory: pytest.TempPathFactory, config: DemoConfig) -> Path:
    """A folder holding the demo export of `config`."""
    folder = tmp_path_factory.mktemp("exports")
    write(generate(config), folder)
    return folder


def settings_in(folder: Path, exports: Path) -> Settings:
    """Settings of a fresh run folder holding a copy of `exports`."""
    shutil.copytree(exports, folder / "exports")
    return Settings(
        exports_dir=folder / "exports",
        warehouse=folder / "warehouse.duckdb",
        marts=folder / "creatorlens.duckdb",
        reports_dir=folder / "reports",
    )


def export_days(exports: Path) -> list[str]:
    """The snapshot dates of an export folder, in order."""
    return sorted({p.name for p in exports.glob("*/*") if p.is_dir()})


def land(exports: Path, target: Path, days: set[str], *, agency: bool = False) -> None:
    """Copy the folders of `days` (every platform's, and the days' campaign results) from
    `exports` to `target`, and with `agency` the undated files (roster, rate cards, campaigns):
    exports arriving as they do in production."""
    for path in sorted(exports.rglob("*")):
        relative = path.relative_to(exports)
        dated = len(relative.parts) == 3
        if path.is_file() and ((dated and relative.parts[1] in days) or (not dated and agency)):
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / relative)


def cli_environment(root: Path, prefect_api: str, **settings: str) -> dict[str, str]:
    """The environment of a CLI run whose folders are under `root` (CREATORLENS_ settings
    overridable by name, such as warehouse=...), against the Prefect server at `prefect_api`
    (no start-up wait per run), without the caller's CREATORLENS_ and PREFECT_ settings."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("CREATORLENS_", "PREFECT_"))}
    defaults = {
        "exports_dir": root / "exports",
        "warehouse": root / "warehouse.duckdb",
        "marts": root / "creatorlens.duckdb",
        "reports_dir": root / "reports",
    }
    return keep | {
        **{
            f"CREATORLENS_{name.upper()}": str(value)
            for name, value in (defaults | settings).items()
        },
        "PREFECT_HOME": str(root / "prefect"),
        "PREFECT_API_URL": prefect_api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
