"""Creators, their followers day by day and their posts, drawn from one seeded random source."""

import math
import random
import string
from datetime import date, datetime, time, timedelta

from creatorlens.demo.model import (
    BOUGHT,
    CAPTIONS,
    COUNTRIES,
    ENGAGEMENT_MIX,
    NICHES,
    PLATFORM_SHARE,
    POST_LIFETIME_DAYS,
    SYLLABLES,
    TITLE_WORDS,
    Creator,
    Demo,
    DemoConfig,
    Growth,
    Post,
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
