"""creatorlens: influencer-marketing analytics from platform exports to ranked DuckDB marts."""
