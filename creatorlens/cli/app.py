"""The creatorlens command line, its commands in the order `--help` lists them: those that run
the pipeline or prepare its input (cli/runs.py), then those that read what it published
(cli/reads.py).

Only `run`, `backfill` and `rebuild` import Prefect (slow to import), and only when they run:
the other commands stay quick.
"""

from creatorlens.cli import reads, runs
from creatorlens.cli.common import app

for command in (
    runs.run,
    runs.backfill,
    runs.rebuild,
    runs.demo,
    runs.validate,
    runs.import_scrape,
    runs.prefect_yaml,
    runs.server,
    reads.report,
    reads.status,
    reads.campaigns,
    reads.explain,
    reads.top,
):
    app.command()(command)

__all__ = ["app"]
