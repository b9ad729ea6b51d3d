"""Ingest: finding, reading and loading export files into the warehouse's staging tables, with
their records (ops.loads, ops.quarantine), the changes they make to computed dates, and how
fresh each source is. May import the shared modules of creatorlens, schemas and transforms."""
