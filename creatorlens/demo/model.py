"""The demo's world: its settings, its creators with their growth patterns and posts, and
how well a detector's flags match the truth."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

DEFAULT_END = date(2026, 11, 20)
POST_LIFETIME_DAYS = 14
PLATFORM_SHARE = {"instagram": 0.40, "tiktok": 0.35, "youtube": 0.25}
NICHES = ("beauty", "fitness", "food", "travel", "gaming", "tech", "fashion", "parenting", "home")
COUNTRIES = {"US": 35, "GB": 15, "DK": 10, "DE": 10, "FR": 8, "ES": 5, "IT": 5, "CA": 6, "AU": 6}
CURRENCY_OF = {"GB": "GBP", "DK": "DKK", "DE": "EUR", "FR": "EUR", "ES": "EUR", "IT": "EUR"}
USD_PER_UNIT = {"EUR": (1.08, 1.06), "GBP": (1.27, 1.25), "DKK": (0.145, 0.142)}
PRICE_PER_1K_FOLLOWERS_USD = {"instagram": 10.0, "tiktok": 2.5, "youtube": 20.0}
ENGAGEMENT_MIX = {
    "instagram": {"likes": 0.86, "comments": 0.07, "shares": 0.04, "saves": 0.03},
    "tiktok": {"likes": 0.88, "comments": 0.06, "shares": 0.06},
    "youtube": {"likes": 0.93, "comments": 0.07},
}
SYLLABLES = ("ana", "bel", "cam", "dan", "eli", "fox", "gio", "hal", "ivy", "jon", "kai", "lua")
SYLLABLES += ("mia", "nox", "oli", "pia", "rex", "sol", "tea", "uma", "vik", "wes", "yas", "zoe")
TITLE_WORDS = ("Café", "Søren", "Zoë", "Studio", "Daily", "Kitchen", "Lab", "Club", "Vlogs")
CAPTIONS = (
    'Morning routine, part {n} "best one yet"\n#fyp #{niche}',
    "3 things I wish I knew about {niche}, honestly",
    "Weekly {niche} haul — what do you think?",
    "Q&A: your {niche} questions, answered (part {n})",
)


@dataclass(frozen=True)
class DemoConfig:
    """What to generate: how many creators (over all platforms), how many days, which seed,
    and the shares of creators who buy followers and who go viral."""

    creators: int = 600
    days: int = 30
    seed: int = 7
    end: date = DEFAULT_END
    bought_share: float = 0.06
    viral_share: float = 0.08
    timed_share: float = 0.05
    """The share of burst and drip buyers who buy the day of a strong post of their own."""

    @property
    def start(self) -> date:
        """The first snapshot date."""
        return self.end - timedelta(days=self.days - 1)


BOUGHT = ("burst", "drip", "purge")
"""The patterns of creators who buy followers (the labels a detector must find)."""
ORGANIC = ("steady", "viral")


@dataclass
class Growth:
    """One event of a creator's follower curve: `kind` (viral, burst, drip, purge) over `days`
    days from `start`, adding `share` of the followers before it (a purge: removing `share` of
    the followers bought)."""

    kind: str
    start: date
    days: int
    share: float
    weights: list[float] = field(default_factory=list)
    followers_before: float = 0.0
    timed: bool = False
    """A purchase made the day of a strong post of the creator's (to look like its effect)."""


@dataclass
class Creator:
    """One generated creator and the truth behind its rows."""

    platform: str
    account_id: str
    handle: str
    niche: str
    country: str
    in_roster: bool
    base_followers: int
    engagement_rate: float
    posts_per_week: float
    post_spread: float = 0.6
    missing_share: float = 0.01
    is_hidden: bool = False
    pattern: str = "steady"
    events: list[Growth] = field(default_factory=list)
    followers: dict[date, int] = field(default_factory=dict)
    audience: dict[date, float] = field(default_factory=dict)
    """Followers who engage, by day: all of them, less those bought."""

    @property
    def bought(self) -> bool:
        """Whether the creator bought followers (the label)."""
        return self.pattern in BOUGHT

    @property
    def viral_days(self) -> list[date]:
        """The days a viral post of the creator was published."""
        return [e.start for e in self.events if e.kind == "viral"]


@dataclass
class Post:
    """One generated post and its final counts (each snapshot shows a growing share of them)."""

    creator: Creator
    post_id: str
    published_at: datetime
    final: dict[str, int]
    final_views: int
    hidden_fields: frozenset[str]
    caption: str
    is_viral: bool = False


@dataclass
class Demo:
    """A generated export: its creators and posts, before they are written as files."""

    config: DemoConfig
    creators: list[Creator]
    posts: list[Post]

    def truth_as_of(self, as_of: date, window_days: int = 90) -> dict[tuple[str, str], bool]:
        """Whether each creator bought followers, as its 90-day window of `as_of` can show:
        True when a purchase or purge of its own began in the window and ended by `as_of`,
        False for the organic ones; left out: hidden counts, and buyers whose window shows
        none of it (their purchase is older than the window, or still to come)."""
        first = as_of - timedelta(days=window_days - 1)
        truth = {}
        for c in self.creators:
            if c.is_hidden:
                continue
            if not c.bought:
                truth[c.platform, c.account_id] = False
            elif any(
                e.start >= first and e.start + timedelta(days=e.days - 1) <= as_of for e in c.events
            ):
                truth[c.platform, c.account_id] = True
        return truth

    def labels(self) -> list[dict]:
        """The truth per creator: pattern, whether it bought followers, and its events."""
        return [
            {
                "platform": c.platform,
                "account_id": c.account_id,
                "pattern": c.pattern,
                "bought": c.bought,
                "hidden": c.is_hidden,
                "events": "; ".join(
                    f"{e.kind} {e.start} {e.days}d {e.share:+.2f}{' timed' if e.timed else ''}"
                    for e in c.events
                ),
            }
            for c in self.creators
        ]


class Quality(NamedTuple):
    """A detector's creator-level figures against the truth of one as-of date."""

    precision: float
    recall: float
    organic_flagged: float
    """The share of organic creators flagged."""
    bought: int
    organic: int
    flagged: int


def quality(truth: dict[tuple[str, str], bool], flagged: set[tuple[str, str]]) -> Quality:
    """Precision and recall of `flagged` (platform, account_id) against `truth` (truth_as_of);
    creators the truth leaves out do not count either way."""
    judged = {key for key in flagged if key in truth}
    hits = sum(truth[key] for key in judged)
    bought = sum(truth.values())
    organic = len(truth) - bought
    return Quality(
        precision=hits / len(judged) if judged else 1.0,
        recall=hits / bought if bought else 1.0,
        organic_flagged=(len(judged) - hits) / organic if organic else 0.0,
        bought=bought,
        organic=organic,
        flagged=len(judged),
    )
