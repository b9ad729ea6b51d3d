"""Running the CLI as a person does: a real process, settings from nothing but the options."""

import os
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "creatorlens"]


def creatorlens(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """`creatorlens args` in folder `cwd`, without the caller's CREATORLENS_ settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CREATORLENS_")}
    environment.update({"COLUMNS": "200", **env})  # wide enough that tables do not fold
    return subprocess.run(
        [*CLI, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
