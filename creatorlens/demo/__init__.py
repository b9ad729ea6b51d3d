"""A realistic, deterministic sample export folder in the platforms' own formats (design section 2).

The numbers behave like the real thing: power-law follower counts, engagement that falls as
followers grow (about 8% under 1k followers, under 2% past 1M), posts that reappear in each
day's export for two weeks with growing counts, daily follower drift, days an export missed,
and the growth patterns that authenticity checks must tell apart (design section 9): creators
who buy followers (a burst over 1-3 days, a drip over 1-3 weeks, or either followed weeks
later by a partial purge), whose bought followers never engage, beside creators who grow
organically (steadily, or in a viral rise that arrives with its viral post, whose new
followers go on engaging). `generate` returns the truth behind the files (each creator's
pattern and events) so tests and the bench can measure rules against it.
"""

from creatorlens.demo.generate import generate
from creatorlens.demo.model import (
    BOUGHT,
    DEFAULT_END,
    ORGANIC,
    Creator,
    Demo,
    DemoConfig,
    Growth,
    Post,
    Quality,
    quality,
)
from creatorlens.demo.write import write, write_labels

__all__ = [
    "BOUGHT",
    "DEFAULT_END",
    "ORGANIC",
    "Creator",
    "Demo",
    "DemoConfig",
    "Growth",
    "Post",
    "Quality",
    "generate",
    "quality",
    "write",
    "write_labels",
]
