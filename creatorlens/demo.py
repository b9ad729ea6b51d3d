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

import csv
import gzip
import io
import json
import math
import random
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
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


def _pick_weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _account_id(rng: random.Random, platform: str, handle: str) -> str:
    if platform == "instagram":
        return str(17841400000000000 + rng.randrange(10**12))
    if platform == "youtube":
        return "UC" + "".join(rng.choices(string.ascii_letters + string.digits + "-_", k=22))
    return handle


def _base_followers(rng: random.Random) -> int:
    if rng.random() < 0.003:
        return 0
    return min(int(300 * rng.random() ** (-1 / 0.55)), 40_000_000)


def _engagement_rate(rng: random.Random, followers: int) -> float:
    """About 8% under 1k followers, falling to under 2% past 1M, with creator-level spread."""
    return 0.08 * (max(followers, 100) / 500) ** -0.19 * rng.lognormvariate(0, 0.3)


def _make_creator(rng: random.Random, platform: str, number: int, config: DemoConfig) -> Creator:
    niche = rng.choice(NICHES)
    handle = f"{rng.choice(SYLLABLES)}{rng.choice(('.', '_', ''))}{niche}{number}"
    if platform == "youtube":
        handle = f"{rng.choice(TITLE_WORDS)} {rng.choice(SYLLABLES).title()} {niche.title()}"
    followers = _base_followers(rng)
    creator = Creator(
        platform=platform,
        account_id=_account_id(rng, platform, handle),
        handle=handle,
        niche=niche,
        country=_pick_weighted(rng, COUNTRIES),
        in_roster=rng.random() < 0.95,
        base_followers=followers,
        engagement_rate=_engagement_rate(rng, followers),
        posts_per_week=math.exp(rng.uniform(math.log(0.5), math.log(8.0))),
        post_spread=rng.uniform(0.35, 0.75),
        missing_share=rng.choice((0.0, 0.01, 0.01, 0.03, 0.08)),
        is_hidden=platform == "youtube" and rng.random() < 0.03,
    )
    draw = rng.random()
    if followers >= 200 and not creator.is_hidden:
        if draw < config.bought_share:
            creator.pattern = rng.choice(BOUGHT)
        elif draw < config.bought_share + config.viral_share:
            creator.pattern = "viral"
    creator.events = _schedule(rng, creator.pattern, config)
    if not creator.events:
        creator.pattern = "steady"
    _walk_followers(rng, creator, config)
    return creator


def _spread(rng: random.Random, days: int, decay: float = 1.0) -> list[float]:
    """How an event's total divides over its days: random shares (decaying by `decay`)."""
    raw = [rng.uniform(0.5, 1.5) * decay**n for n in range(days)]
    return [w / sum(raw) for w in raw]


def _schedule(rng: random.Random, pattern: str, config: DemoConfig) -> list[Growth]:
    """The events of a pattern, placed after some history and ending before the last day
    (none when the export is too short for them)."""
    # after some history, and within the 90-day window of the export's last weeks
    first = max(min(21, max(7, config.days // 4)), config.days - 80)
    last = config.days - 3  # the last day an event may touch

    def at(earliest: int, length: int) -> date | None:
        latest = last - length + 1
        return (
            config.start + timedelta(days=rng.randint(earliest, latest))
            if latest >= earliest
            else None
        )

    if pattern in ("burst", "drip"):
        length = rng.randint(1, 3) if pattern == "burst" else rng.randint(7, 21)
        share = rng.uniform(0.10, 0.40) if pattern == "burst" else rng.uniform(0.10, 0.50)
        begins = at(first, length)
        if not begins:
            return []
        # some buy right after a good post of their own, so the rise looks like its effect
        timed = rng.random() < config.timed_share
        return [Growth(pattern, begins, length, share, _spread(rng, length), timed=timed)]
    if pattern == "purge":
        # the purge within the window of the last weeks; the purchase weeks before it, from the
        # export's first day on (in a long export it may be older than that window)
        purged = rng.randint(1, 3)
        purge = at(max(first, 14 + 2), purged)
        kind = rng.choice(("burst", "drip"))
        if not purge:
            return []
        length = rng.randint(1, 3) if kind == "burst" else rng.randint(7, 21)
        latest = (purge - config.start).days - 14 - length
        if latest < 1:
            return []
        begins = config.start + timedelta(days=rng.randint(max(1, latest - 42), latest))
        share = rng.uniform(0.10, 0.40) if kind == "burst" else rng.uniform(0.10, 0.50)
        return [
            Growth(kind, begins, length, share, _spread(rng, length)),
            Growth("purge", purge, purged, rng.uniform(0.2, 0.7), _spread(rng, purged)),
        ]
    if pattern == "viral":
        events = []
        for _ in range(1 if rng.random() < 0.8 else 2):
            length = rng.randint(1, 6)
            begins = at(first, length + 1)
            if begins and all(abs((begins - e.start).days) > 14 for e in events):
                share = rng.uniform(0.05, 0.35)
                events.append(Growth("viral", begins, length, share, _spread(rng, length, 0.55)))
        return events
    return []


def _walk_followers(rng: random.Random, creator: Creator, config: DemoConfig) -> None:
    """Daily follower counts and the audience among them: organic drift (its own rate and
    noise), viral rises whose followers engage, purchases whose followers never do, purges
    of part of what was bought."""
    growth = rng.gauss(0.0012, 0.0012)
    noise = rng.uniform(0.002, 0.007)
    audience, bought, bought_total = float(creator.base_followers), 0.0, 0.0
    lag = {id(e): rng.randint(0, 1) if e.kind == "viral" else 0 for e in creator.events}
    for offset in range(-POST_LIFETIME_DAYS, config.days):
        day = config.start + timedelta(days=offset)
        audience = max(0.0, audience * (1 + rng.gauss(growth, noise)))
        for event in creator.events:
            step = (day - event.start).days - lag[id(event)]
            if step == 0:
                event.followers_before = audience + bought
            if not 0 <= step < event.days:
                continue
            weight = event.weights[step]
            if event.kind == "viral":
                audience += event.share * event.followers_before * weight
            elif event.kind == "purge":
                bought = max(0.0, bought - event.share * bought_total * weight)
            else:
                gained = event.share * event.followers_before * weight
                bought += gained
                bought_total += gained
        creator.followers[day] = round(audience + bought)
        creator.audience[day] = audience


def _make_posts(rng: random.Random, creator: Creator, config: DemoConfig) -> list[Post]:
    posts = []
    mix = ENGAGEMENT_MIX[creator.platform]
    viral_days = set(creator.viral_days)
    timed_days = {e.start for e in creator.events if e.timed}
    for offset in range(-POST_LIFETIME_DAYS + 1, config.days):
        day = config.start + timedelta(days=offset)
        count = _posts_on_day(rng, creator.posts_per_week)
        standout = day in viral_days or day in timed_days
        for number in range(max(count, 1) if standout else count):
            published_at = datetime.combine(day, time()) + timedelta(seconds=rng.randrange(86_400))
            is_viral = day in viral_days and number == 0
            # a viral post reaches far beyond the usual audience: 8 to 50 times a typical post;
            # a strong one, 6 to 20 times
            if is_viral:
                spread = rng.uniform(8, 50)
            elif day in timed_days and number == 0:
                spread = rng.uniform(6, 20)
            else:
                spread = rng.lognormvariate(0, creator.post_spread)
            engagements = creator.audience[day] * creator.engagement_rate * spread
            final = {name: round(engagements * share) for name, share in mix.items()}
            posts.append(
                Post(
                    creator=creator,
                    post_id=_post_id(rng, creator.platform),
                    published_at=published_at,
                    final=final,
                    final_views=round(engagements / rng.uniform(0.04, 0.15)),
                    hidden_fields=_hidden_fields(rng, creator.platform),
                    caption=rng.choice(CAPTIONS).format(n=rng.randrange(2, 9), niche=creator.niche),
                    is_viral=is_viral,
                )
            )
    return posts


def _posts_on_day(rng: random.Random, posts_per_week: float) -> int:
    rate = posts_per_week / 7
    return int(rng.random() < rate) + int(rng.random() < rate / 4)


def _post_id(rng: random.Random, platform: str) -> str:
    if platform == "youtube":
        return "".join(rng.choices(string.ascii_letters + string.digits + "-_", k=11))
    if platform == "tiktok":
        return str(7_300_000_000_000_000_000 + rng.randrange(10**17))
    return str(18_000_000_000_000_000 + rng.randrange(10**15))


def _hidden_fields(rng: random.Random, platform: str) -> frozenset[str]:
    """Fields a platform leaves out for a post: Instagram insights, YouTube hidden counts."""
    hidden = set()
    if platform == "instagram":
        if rng.random() < 0.3:
            hidden |= {"shares", "saves"}
        if rng.random() < 0.4:
            hidden.add("views")
    if platform == "youtube":
        if rng.random() < 0.05:
            hidden.add("likes")
        if rng.random() < 0.04:
            hidden.add("comments")
    return frozenset(hidden)


def _split_creators(total: int) -> dict[str, int]:
    """How many of `total` creators each platform gets (shares of PLATFORM_SHARE, adding up)."""
    counts = {p: int(total * share) for p, share in PLATFORM_SHARE.items()}
    by_remainder = sorted(
        PLATFORM_SHARE, key=lambda p: total * PLATFORM_SHARE[p] - counts[p], reverse=True
    )
    for platform in by_remainder[: total - sum(counts.values())]:
        counts[platform] += 1
    return counts


def generate(config: DemoConfig) -> Demo:
    """The creators and posts of a sample export, the same for the same config."""
    rng = random.Random(config.seed)
    creators, posts = [], []
    for platform, count in _split_creators(config.creators).items():
        for number in range(count):
            creator = _make_creator(rng, platform, number, config)
            creators.append(creator)
            posts.extend(_make_posts(rng, creator, config))
    return Demo(config, creators, posts)


def _counts_on(post: Post, day: date) -> tuple[dict[str, int], int]:
    """A post's counts in the export of `day`: a growing share of its final counts."""
    age = (day - post.published_at.date()).days
    share = 1 - math.exp(-(age + 1) / 2.5)
    counts = {name: round(value * share) for name, value in post.final.items()}
    return counts, round(post.final_views * share)


def _visible(post: Post, day: date) -> bool:
    age = (day - post.published_at.date()).days
    return 0 <= age < POST_LIFETIME_DAYS


# Export rows, in each platform's API shape -------------------------------------------------


def _instagram_creator(c: Creator, day: date, rng: random.Random) -> dict:
    return {
        "id": c.account_id,
        "username": c.handle,
        "followers_count": c.followers[day],
        "follows_count": rng.randrange(50, 2000),
        "media_count": rng.randrange(20, 3000),
    }


def _instagram_post(p: Post, day: date) -> dict:
    counts, views = _counts_on(p, day)
    row = {
        "id": p.post_id,
        "owner": {"id": p.creator.account_id},
        "timestamp": p.published_at.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "media_type": "VIDEO" if "views" not in p.hidden_fields else "IMAGE",
        "caption": p.caption,
        "like_count": counts["likes"],
        "comments_count": counts["comments"],
        "saved": counts["saves"],
        "shares": counts["shares"],
        "views": views,
    }
    for hidden in p.hidden_fields:
        row.pop({"saves": "saved"}.get(hidden, hidden), None)
    return row


def _tiktok_creator(c: Creator, day: date, rng: random.Random) -> dict:
    return {
        "username": c.handle,
        "display_name": c.handle.replace("_", " ").replace(".", " ").title(),
        "follower_count": c.followers[day],
        "following_count": rng.randrange(10, 900),
        "likes_count": c.followers[day] * rng.randrange(3, 12),
        "video_count": rng.randrange(10, 900),
    }


def _tiktok_post(p: Post, day: date) -> dict:
    counts, views = _counts_on(p, day)
    return {
        "id": p.post_id,
        "username": p.creator.account_id,
        "create_time": int(p.published_at.replace(tzinfo=UTC).timestamp()),
        "video_description": p.caption,
        "like_count": counts["likes"],
        "comment_count": counts["comments"],
        "share_count": counts["shares"],
        "view_count": views,
    }


def _youtube_creator(c: Creator, day: date, rng: random.Random) -> dict:
    statistics = {
        "viewCount": str(c.followers[day] * rng.randrange(40, 200)),
        "hiddenSubscriberCount": c.is_hidden,
        "videoCount": str(rng.randrange(10, 600)),
    }
    if not c.is_hidden:
        statistics["subscriberCount"] = str(c.followers[day])
    return {
        "kind": "youtube#channel",
        "id": c.account_id,
        "snippet": {"title": c.handle, "country": c.country},
        "statistics": statistics,
    }


def _youtube_post(p: Post, day: date) -> dict:
    counts, views = _counts_on(p, day)
    row = {
        "id": p.post_id,
        "snippet.channelId": p.creator.account_id,
        "snippet.publishedAt": p.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "snippet.title": p.caption.splitlines()[0],
        "statistics.viewCount": str(views),
        "statistics.likeCount": str(counts["likes"]),
        "statistics.commentCount": str(counts["comments"]),
    }
    for hidden in p.hidden_fields:
        row[f"statistics.{hidden[:-1]}Count"] = ""
    return row


EXPORTS = {
    # platform: (creator row, creators file, post row, posts file)
    "instagram": (_instagram_creator, "creators.jsonl", _instagram_post, "posts.jsonl.gz"),
    "tiktok": (_tiktok_creator, "creators.csv", _tiktok_post, "posts.csv.gz"),
    "youtube": (_youtube_creator, "creators.jsonl.gz", _youtube_post, "posts.csv"),
}


def _encode(name: str, rows: list[dict], header: list[str]) -> bytes:
    if ".jsonl" in name:
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    data = text.encode()
    return gzip.compress(data, mtime=0) if name.endswith(".gz") else data


def _header(rows: Iterable[dict]) -> list[str]:
    return list(dict.fromkeys(name for row in rows for name in row))


def _with_glitches(rng: random.Random, rows: list[dict], count_field: str) -> list[dict]:
    """Rare export glitches: a row delivered twice, a count the platform sent negative."""
    glitched = []
    for row in rows:
        delivered = {**row, count_field: -1} if rng.random() < 1 / 2500 else row
        glitched.append(delivered)
        if rng.random() < 1 / 2500:
            glitched.append(delivered)
    return glitched


def _agency_files(demo: Demo, rng: random.Random) -> dict[str, list[dict]]:
    config = demo.config
    roster, rate_cards = [], []
    for c in demo.creators:
        if not c.in_roster:
            continue
        roster.append(
            {
                "platform": c.platform,
                "account_id": c.account_id,
                "niche": c.niche,
                "country": c.country,
            }
        )
        if rng.random() < 0.4:
            rate_cards.extend(_rate_cards(rng, c, config))
    change = config.start + timedelta(days=config.days // 2)
    fx_rates = [
        {"currency": currency, "usd_per_unit": rate, "valid_from": valid_from.isoformat()}
        for currency, rates in USD_PER_UNIT.items()
        for rate, valid_from in zip(
            rates, (config.start - timedelta(days=365), change), strict=True
        )
    ]
    return {"roster.csv": roster, "rate_cards.csv": rate_cards, "fx_rates.csv": fx_rates}


def _rate_cards(rng: random.Random, c: Creator, config: DemoConfig) -> list[dict]:
    currency = CURRENCY_OF.get(c.country, "USD")
    usd_per_unit = USD_PER_UNIT.get(currency, (1.0,))[0]
    price_usd = max(5.0, PRICE_PER_1K_FOLLOWERS_USD[c.platform] * c.base_followers / 1000)
    price_usd *= rng.lognormvariate(0, 0.35)
    cards = [(price_usd, config.start - timedelta(days=rng.randrange(0, 120)))]
    if rng.random() < 0.2:
        cards.append(
            (
                price_usd * rng.uniform(0.85, 1.3),
                config.start + timedelta(days=rng.randrange(config.days)),
            )
        )
    return [
        {
            "platform": c.platform,
            "account_id": c.account_id,
            "price_per_post": round(price / usd_per_unit, 2),
            "currency": currency,
            "valid_from": valid_from.isoformat(),
        }
        for price, valid_from in cards
    ]


# Campaigns (design section 8) ------------------------------------------------------------

BRANDS = (
    # brand, campaign name, currency of the revenue it reports, average order value in it
    ("Glow Labs", "Winter skin reset", "EUR", 38.0),
    ("TrailFuel", "New year, new trail", "USD", 52.0),
    ("PixelForge", "Launch week", "GBP", 64.0),
)
FOLLOWER_BANDS = ((1_000, 10_000), (10_000, 50_000), (50_000, 500_000), (500_000, 10**9))
"""Creators are drawn from each band, so every campaign has creators of every tier."""
CAMPAIGN_DAYS = 14
MAX_PRICE_PER_POST_USD = 60_000.0
"""The fee is a price per post (as the rate cards) for the posts a creator makes while the
campaign runs; the few celebrities of the demo are capped at this."""
RESULTS_AFTER_END_DAYS = 5
"""Promo codes keep converting for a few days after a campaign ends."""


def _campaign_creators(rng: random.Random, demo: Demo, per_band: int) -> list[Creator]:
    chosen = []
    for platform in PLATFORM_SHARE:
        for low, high in FOLLOWER_BANDS:
            band = [
                c
                for c in demo.creators
                if c.platform == platform and low <= c.base_followers < high and not c.is_hidden
            ]
            chosen += rng.sample(band, min(per_band, len(band)))
    # one who bought followers, as brands do book them: engagement, but few purchases
    buyers = [c for c in demo.creators if c.bought and c not in chosen]
    return chosen + rng.sample(buyers, min(1, len(buyers)))


def _buyers(rng: random.Random, clicks: int, conversion: float) -> int:
    """How many of `clicks` buy (binomial; its normal approximation for many clicks)."""
    if clicks <= 500:
        return sum(rng.random() < conversion for _ in range(clicks))
    mean = clicks * conversion
    return max(0, round(rng.gauss(mean, math.sqrt(mean * (1 - conversion)))))


def _campaign_files(demo: Demo, rng: random.Random) -> dict[str, list[dict]]:
    """campaigns.csv, campaign_creators.csv and the daily results of a few campaigns.

    A creator's clicks follow their real audience (followers before any bought ones, times
    their engagement rate) and buyers convert better with smaller creators; fees follow the
    rate-card prices. So micro creators return more per dollar, and creators who bought
    followers show engagement but few purchases.
    """
    config = demo.config
    campaigns, members, results = [], [], {}
    per_band = max(2, config.creators // 400)
    for number, (brand, name, currency, order_value) in enumerate(BRANDS, start=1):
        start = config.start + timedelta(days=config.days // 3 + 4 * (number - 1))
        end = min(start + timedelta(days=CAMPAIGN_DAYS - 1), config.end)
        if start > config.end:
            continue
        campaign_id = f"C{start:%Y%m}-{number:02d}"
        campaigns.append(
            {
                "campaign_id": campaign_id,
                "brand": brand,
                "name": name,
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
            }
        )
        for c in _campaign_creators(rng, demo, per_band):
            fee_currency = CURRENCY_OF.get(c.country, "USD")
            usd_per_unit = USD_PER_UNIT.get(fee_currency, (1.0,))[0]
            price_usd = PRICE_PER_1K_FOLLOWERS_USD[c.platform] * c.base_followers / 1000
            price_usd = min(max(5.0, price_usd), MAX_PRICE_PER_POST_USD)
            posts = max(1, round(c.posts_per_week * ((end - start).days + 1) / 7))
            fee = price_usd * posts * rng.lognormvariate(0, 0.25) / usd_per_unit
            members.append(
                {
                    "campaign_id": campaign_id,
                    "platform": c.platform,
                    "account_id": c.account_id,
                    "fee": f"{fee:.2f}",
                    "currency": fee_currency,
                }
            )
            audience = c.base_followers * c.engagement_rate
            click_rate = 0.25 * rng.lognormvariate(0, 0.4)
            conversion = 0.04 * (max(c.base_followers, 1_000) / 10_000) ** -0.25
            conversion *= rng.lognormvariate(0, 0.3) * (0.1 if c.bought else 1.0)
            last = min(end + timedelta(days=RESULTS_AFTER_END_DAYS), config.end)
            for offset in range((last - start).days + 1):
                day = start + timedelta(days=offset)
                fading = 1.0 if day <= end else 0.3
                clicks = round(audience * click_rate * fading * rng.uniform(0.5, 1.5) / 3)
                purchases = _buyers(rng, clicks, min(conversion, 1.0))
                signups = purchases + round(clicks * conversion * rng.uniform(0.5, 1.5))
                revenue = sum(order_value * rng.lognormvariate(0, 0.3) for _ in range(purchases))
                results.setdefault(day, []).append(
                    {
                        "campaign_id": campaign_id,
                        "platform": c.platform,
                        "account_id": c.account_id,
                        "clicks": clicks,
                        "signups": signups,
                        "purchases": purchases,
                        "revenue": f"{revenue:.2f}",
                        "currency": currency,
                    }
                )
    files = {"campaigns.csv": campaigns, "campaign_creators.csv": members}
    for day, rows in sorted(results.items()):
        name = "results.jsonl.gz" if day.weekday() == 6 else "results.csv"
        files[f"results/{day.isoformat()}/{name}"] = rows
    return files


def write(demo: Demo, out: Path) -> int:
    """Write the demo as an export folder under `out`; returns the number of files written."""
    rng = random.Random(demo.config.seed + 1)
    by_platform: dict[str, tuple[list[Creator], list[Post]]] = {p: ([], []) for p in EXPORTS}
    for c in demo.creators:
        by_platform[c.platform][0].append(c)
    for p in demo.posts:
        by_platform[p.creator.platform][1].append(p)
    written = 0
    for offset in range(demo.config.days):
        day = demo.config.start + timedelta(days=offset)
        for platform, (creator_row, creators_name, post_row, posts_name) in EXPORTS.items():
            creators, posts = by_platform[platform]
            folder = out / platform / day.isoformat()
            folder.mkdir(parents=True, exist_ok=True)
            c_rows = [creator_row(c, day, rng) for c in creators if rng.random() >= c.missing_share]
            p_rows = [post_row(p, day) for p in posts if _visible(p, day)]
            if platform == "tiktok":
                p_rows = _with_glitches(rng, p_rows, "like_count")
            (folder / creators_name).write_bytes(_encode(creators_name, c_rows, _header(c_rows)))
            (folder / posts_name).write_bytes(_encode(posts_name, p_rows, _header(p_rows)))
            written += 2
    for name, rows in _agency_files(demo, rng).items():
        (out / name).write_bytes(_encode(name, rows, _header(rows)))
        written += 1
    campaign_rng = random.Random(demo.config.seed + 2)  # the other files stay as they were
    for name, rows in _campaign_files(demo, campaign_rng).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(_encode(name, rows, _header(rows)))
        written += 1
    return written


def write_labels(demo: Demo, path: Path) -> None:
    """The truth behind an export as CSV (platform, account_id, pattern, bought, hidden,
    events), for measuring a detector."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    labels = demo.labels()
    writer = csv.DictWriter(buffer, fieldnames=list(labels[0]) if labels else ["platform"])
    writer.writeheader()
    writer.writerows(labels)
    path.write_text(buffer.getvalue())
