"""marts.creator_daily_metrics: one row per creator per as-of date."""

from datetime import date, timedelta
from typing import NamedTuple

import polars as pl

from creatorlens.schemas.authenticity_rules import DECLARED, Rules
from creatorlens.schemas.declared import polars_columns
from creatorlens.schemas.marts import CreatorDailyMetrics
from creatorlens.transforms.authenticity import Assessment, assess
from creatorlens.transforms.engagement import LONGEST_WINDOW, latest_post_snapshots, window_metrics
from creatorlens.transforms.followers import CREATOR, STALE_AFTER_DAYS, latest_creator_snapshots
from creatorlens.transforms.growth import GROWTH_DAYS, follower_growth, growth_rate
from creatorlens.transforms.pricing import (
    cost_efficiency,
    price_per_post,
    rate_cards_in_force,
    unusable_rate_cards,
)
from creatorlens.transforms.tiers import tier_expr

CREATOR_LOOKBACK_DAYS = max(
    GROWTH_DAYS + STALE_AFTER_DAYS, int(DECLARED.signals["window_days"]) - 1
)
"""An as-of date D reads creator snapshots dated from D - this: followers 30 days back (with
the 7-day staleness rule) and the authenticity window [D-89, D]. Equally, a creator snapshot of
day d reaches the as-of dates [d, d + this]."""

POST_LOOKBACK_DAYS = LONGEST_WINDOW - 1
"""An as-of date D reads the posts published from D - this (the longest window); a post's
snapshot reaches as-of dates no later than its published date + this."""

COLUMNS = polars_columns(CreatorDailyMetrics)
"""The mart's columns and types, from its one declaration (schemas/marts.py)."""


ASSESSED_DATES = 8
"""As-of dates assessed together: each lays out every creator's 90 days of its own, so a range
of 31 at once held 31 times a creator's days (a labelled backfill at 6,000 creators peaked at
2.3 GB), a few at a time hold a few."""


def assessed(
    creator_snapshots: pl.DataFrame,
    posts: pl.DataFrame,
    low_engagement: pl.DataFrame,
    *,
    start: date,
    end: date,
    rules: Rules,
) -> Assessment:
    """The authenticity assessment of as-of dates [start, end], ASSESSED_DATES at a time."""
    parts, reach = [], int(rules.signals["window_days"]) - 1
    first = start
    while first <= end:
        last = min(end, first + timedelta(days=ASSESSED_DATES - 1))
        parts.append(
            assess(
                creator_snapshots.filter(
                    pl.col("snapshot_date").is_between(first - timedelta(days=reach), last)
                ),
                posts.filter(pl.col("as_of_date").is_between(first, last)),
                low_engagement,
                start=first,
                end=last,
                rules=rules,
            )
        )
        first = last + timedelta(days=1)
    return Assessment(*(pl.concat([getattr(p, f) for p in parts]) for f in Assessment._fields))


class DailyMetrics(NamedTuple):
    """creator_daily_metrics rows, the rate cards they could not use (no FX rate in force),
    and the authenticity events each date's window shows."""

    metrics: pl.DataFrame
    unusable_rate_cards: pl.DataFrame
    events: pl.DataFrame


def creator_daily_metrics(
    creator_snapshots: pl.DataFrame,
    post_snapshots: pl.DataFrame,
    roster: pl.DataFrame,
    rate_cards: pl.DataFrame,
    fx_rates: pl.DataFrame,
    *,
    tiers: pl.DataFrame,
    default_prices: pl.DataFrame,
    low_engagement: pl.DataFrame,
    min_authenticity: float,
    start: date,
    end: date,
    rules: Rules = DECLARED,
) -> DailyMetrics:
    """One row per creator per as-of date in [start, end], columns of design section 5.

    creator_snapshots must reach back to start - CREATOR_LOOKBACK_DAYS and post_snapshots cover
    posts published from start - POST_LOOKBACK_DAYS (the int_ queries take exactly these).
    suspicious_growth is an authenticity_score below `min_authenticity`.
    """
    creators = latest_creator_snapshots(creator_snapshots, start, end).with_columns(
        tier=tier_expr(tiers, pl.col("followers"))
    )
    posts = latest_post_snapshots(post_snapshots, start, end)
    cards = rate_cards_in_force(creators, rate_cards, fx_rates)
    authenticity = assessed(
        creator_snapshots, posts, low_engagement, start=start, end=end, rules=rules
    )
    key = ["as_of_date", *CREATOR]
    metrics = (
        window_metrics(creators, posts)
        .join(roster, on=CREATOR, how="left")
        .join(follower_growth(creator_snapshots, start, end), on=key, how="left")
        .join(authenticity.scores, on=key, how="left")
        .pipe(price_per_post, cards, default_prices)
        .with_columns(
            growth_rate(pl.col("followers"), pl.col("followers_30d_ago")).alias(
                "follower_growth_30d"
            ),
            *cost_efficiency(),
            (pl.col("authenticity_score") < min_authenticity).alias("suspicious_growth"),
        )
    )
    published = metrics.select(pl.col(name).cast(dtype) for name, dtype in COLUMNS.items())
    return DailyMetrics(published.sort(key), unusable_rate_cards(cards), authenticity.events)
