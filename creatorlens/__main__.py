"""`python -m creatorlens`: the same CLI as `creatorlens`."""

from creatorlens.cli import app

app(prog_name="creatorlens")
