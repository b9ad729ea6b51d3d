"""Compute: which as-of dates a run computes, and the marts of those dates, computed shard by
shard from the staging tables into the warehouse. May import the shared modules of creatorlens,
schemas and transforms, never ingest or publish."""
