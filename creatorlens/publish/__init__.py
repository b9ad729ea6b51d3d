"""Publish: the published marts file BI reads, the HTML report and the run's Prefect artifacts,
from what compute wrote. May import the shared modules of creatorlens, schemas and transforms,
never ingest or compute."""
