"""A second labelled generator, written apart from creatorlens.demo with other modelling choices,
that the authenticity rules were not tuned on: follower counts with Poisson-like noise in whole
followers, posts a Poisson number a day, purchases split at random over their days or ramping
up, viral rises that start up to two days after their post and decay over up to a week, and
engagement that reaches its final count within days. It gives frames as the pipeline sees them
(follower counts, each post's latest engagements as of a date) and the truth."""

import math
import random
from datetime import date, timedelta
from typing import NamedTuple

import polars as pl

END = date(2026, 11, 20)
BOUGHT = ("burst", "drip", "purge")


class Labelled(NamedTuple):
    snapshots: pl.DataFrame
    posts: pl.DataFrame  # platform, account_id, post_id, published_date, final engagements
    truth: dict[tuple[str, str], bool]


def _poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _shares(rng: random.Random, days: int, ramp: bool) -> list[float]:
    raw = (
        [0.5 + n / max(days - 1, 1) for n in range(days)]
        if ramp
        else [rng.expovariate(1.0) for _ in range(days)]
    )
    return [w / sum(raw) for w in raw]


def _schedule(rng: random.Random, pattern: str, days: int) -> tuple:
    """(purchase, purge, viral rise) of a pattern, each None or its days and sizes."""
    first = max(15, days - 85)
    buy = purge = rise = None
    if pattern in ("burst", "purge") and (pattern == "burst" or rng.random() < 0.5):
        length = rng.randrange(1, 4)
        buy = (rng.randrange(first, days - 8), length, rng.uniform(0.12, 0.45),
               _shares(rng, length, ramp=False))  # fmt: skip
    elif pattern in ("drip", "purge"):
        length = rng.randrange(7, 22)
        buy = (rng.randrange(first, days - length - 3), length, rng.uniform(0.12, 0.6),
               _shares(rng, length, ramp=rng.random() < 0.5))  # fmt: skip
    if pattern == "purge":
        begins = min(buy[0] + buy[1] + rng.randrange(10, 35), days - 2)
        purge = (begins, rng.randrange(1, 3), rng.uniform(0.3, 0.8))
    if pattern == "viral":
        length = rng.randrange(1, 8)
        decay = [0.6**n for n in range(length)]
        rise = (rng.randrange(first, days - 6), length, rng.uniform(0.06, 0.4),
                [w / sum(decay) for w in decay], rng.randrange(0, 3), rng.uniform(6, 40))  # fmt: skip
    return buy, purge, rise


def _walk(rng: random.Random, size: float, days: int, events: tuple) -> tuple[dict, dict]:
    """Followers and the audience that engages, by day (from 10 days before the first)."""
    buy, purge, rise = events
    growth = rng.gauss(0.001, 0.002)
    audience, fake, fake_total, reference = size, 0.0, 0.0, size
    followers, engaged = {}, {}
    for day in range(-10, days):
        audience = max(1.0, audience * math.exp(rng.gauss(growth, 0.002))
                       + rng.gauss(0, math.sqrt(audience) * 0.05))  # fmt: skip
        if buy:
            begins, length, share, weights = buy
            if day == begins:
                reference = audience + fake
            if begins <= day < begins + length:
                fake += share * reference * weights[day - begins]
                fake_total += share * reference * weights[day - begins]
        if purge and purge[0] <= day < purge[0] + purge[1]:
            fake = max(0.0, fake - purge[2] * fake_total / purge[1])
        if rise:
            posted, length, share, weights, lag, _ = rise
            if day == posted + lag:
                reference = audience
            if posted + lag <= day < posted + lag + length:
                audience += share * reference * weights[day - posted - lag]
        followers[day], engaged[day] = round(audience + fake), audience
    return followers, engaged


def generate(seed: int, creators: int = 1500, days: int = 120, bought: float = 0.2,
             viral: float = 0.2) -> Labelled:  # fmt: skip
    """The export of `creators` over `days` days to END; every event lies within the last
    85 days, so the window of END shows it."""
    rng = random.Random(seed)
    start = END - timedelta(days=days - 1)
    snapshots, posts, truth = [], [], {}
    for number in range(creators):
        platform = ("instagram", "tiktok", "youtube")[number % 3]
        account = f"h{seed}-{number}"
        size = math.exp(rng.uniform(math.log(400), math.log(3e6)))
        draw = rng.random()
        pattern = (
            BOUGHT[int(3 * draw / bought)] if draw < bought
            else "viral" if draw < bought + viral else "steady"
        )  # fmt: skip
        rate = 0.05 * (size / 1e4) ** -0.15 * math.exp(rng.gauss(0, 0.4))
        spread, per_week = rng.uniform(0.25, 0.9), rng.choice((0.7, 1.5, 3, 5, 10))
        missing = rng.choice((0.0, 0.02, 0.05, 0.12))
        events = _schedule(rng, pattern, days)
        followers, engaged = _walk(rng, size, days, events)
        rise = events[2]
        snapshots += [(platform, account, start + timedelta(days=day), account, followers[day])
                      for day in range(days) if rng.random() >= missing]  # fmt: skip
        for day in range(-10, days):
            count = _poisson(rng, per_week / 7)
            count = max(count, 1) if rise and day == rise[0] else count
            for n in range(count):
                viral_post = rise is not None and day == rise[0] and n == 0
                times = rise[5] if viral_post else math.exp(rng.gauss(0, spread))
                posts.append((platform, account, f"{account}-{day}-{n}",
                              start + timedelta(days=day), engaged[day] * rate * times))  # fmt: skip
        truth[platform, account] = pattern in BOUGHT
    return Labelled(
        pl.DataFrame(snapshots, orient="row", schema={
            "platform": pl.String, "account_id": pl.String, "snapshot_date": pl.Date,
            "handle": pl.String, "followers": pl.Int64}),
        pl.DataFrame(posts, orient="row", schema={
            "platform": pl.String, "account_id": pl.String, "post_id": pl.String,
            "published_date": pl.Date, "final": pl.Float64}),
        truth,
    )  # fmt: skip


def posts_as_of(posts: pl.DataFrame, day: date) -> pl.DataFrame:
    """latest_post_snapshots of `day`: the posts of its 90 days, each with the engagements it
    had reached by then (most of them within two days)."""
    age = (pl.lit(day) - pl.col("published_date")).dt.total_days()
    reached = pl.col("final") * (1 - (-(age + 1) / 1.5).exp())
    return posts.filter(pl.col("published_date").is_between(day - timedelta(days=89), day)).select(
        pl.lit(day).alias("as_of_date"), "platform", "account_id", "post_id", "published_date",
        reached.round().cast(pl.Int64).alias("engagements"), pl.lit(None, pl.Int64).alias("views"),
    )  # fmt: skip
