"""Test folders: a demo export written once per module, copied into each test's own folder."""

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
