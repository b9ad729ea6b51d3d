"""`python -m creatorlens`: the same CLI as `creatorlens`."""

from creatorlens.cli.app import app

app(prog_name="creatorlens")
