"""Authenticity (design section 9): whether a creator's audience is real, from its own follower
counts and posts dated in [D-89, D], with the events that say why.

For each as-of date D and creator, the follower counts of the window give a daily growth (a gap
between counts spreads its change evenly over its days). The creator's baseline is its median
day and its spread (1.4826 x the median absolute deviation). Days far above the baseline, one
at a time (sharp) or in a sustained 7-day mean (slow), make a rise; days far below make a
fall. A rise is explained by a viral post published in the days up to its start, unless
engagement per follower then falls (bought followers never engage). The rules and their
parameters are declared in schemas.authenticity_rules.
"""

import math
from datetime import date
from typing import NamedTuple

import polars as pl

from creatorlens.schemas.authenticity_rules import DECLARED, Rules
from creatorlens.transforms import growth_events
from creatorlens.transforms.followers import CREATOR
from creatorlens.transforms.growth_events import EVENT_FIELDS, WINDOW

EVENT_COLUMNS = {
    "as_of_date": pl.Date,
    "platform": pl.String,
    "account_id": pl.String,
    "flag": pl.String,
    "start_date": pl.Date,
    "end_date": pl.Date,
    "followers_before": pl.Int64,
    "followers_after": pl.Int64,
    "gained_share": pl.Float64,
    "engagement_per_follower_before": pl.Float64,
    "engagement_per_follower_after": pl.Float64,
    "explaining_post_id": pl.String,
}
"""One row per event an as-of date's window shows (transforms' own: the mart adds nothing)."""

ASSESSMENT_COLUMNS = {
    "as_of_date": pl.Date,
    "platform": pl.String,
    "account_id": pl.String,
    "authenticity_score": pl.Float64,
    "authenticity_flags": pl.List(pl.String),
}


class Assessment(NamedTuple):
    """The score and flags of each creator per as-of date, and the events behind them."""

    scores: pl.DataFrame
    events: pl.DataFrame


def assess(
    creator_snapshots: pl.DataFrame,
    posts: pl.DataFrame,
    low_engagement: pl.DataFrame,
    *,
    start: date,
    end: date,
    rules: Rules = DECLARED,
) -> Assessment:
    """The assessment of every creator with follower counts in a window of an as-of date in
    [start, end].

    creator_snapshots (platform, account_id, snapshot_date, followers) reach back to
    start - 89; posts are latest_post_snapshots (as_of_date, platform, account_id, post_id,
    published_date, engagements) of the same dates; low_engagement is the reference table
    (platform, min_followers, low_engagement_per_follower).
    """
    creators = creator_snapshots.select(CREATOR).unique().sort(CREATOR).with_row_index("creator")
    union = growth_events.counted_days(creator_snapshots, creators)
    windows = growth_events.windows(union, creators, start, end, rules)
    days = growth_events.window_days(union, windows)
    windows = windows.join(
        growth_events.baselines(days, rules), on="window", how="left", maintain_order="left"
    )
    marked = growth_events.marks(days, windows, rules)
    levels = _post_levels(posts, creators, union, windows, rules).lazy()
    marked = marked.lazy()
    rises = _explained(growth_events.events(marked, "up", rules), levels, rules).collect().lazy()
    falls = _engagement_around(growth_events.events(marked, "down", rules), levels, rules)
    falls = falls.collect().lazy()
    engagement = _window_engagement(levels, windows.lazy(), low_engagement, rules)
    scores = _scores(windows.lazy(), rises, falls, engagement, rules)
    events = _event_rows(rises, falls, rules)
    named = creators.lazy()
    return Assessment(
        scores.join(named, on="creator").select(list(ASSESSMENT_COLUMNS)).collect(),
        events.join(named, on="creator").select(list(EVENT_COLUMNS)).collect(),
    )


def _post_levels(
    posts: pl.DataFrame,
    creators: pl.DataFrame,
    union: pl.DataFrame,
    windows: pl.DataFrame,
    rules: Rules,
) -> pl.DataFrame:
    """Each window's posts with their engagement per follower (`per_follower`: engagements over
    the follower count on the published day, or the window's first or last count outside its
    days), its log, and whether they are old enough to compare (`mature`)."""
    mature = int(rules.signals["mature_days"])
    dated = (
        posts.lazy()
        .join(creators.lazy(), on=CREATOR)
        .select(*WINDOW, "post_id", "published_date", "engagements")
        .join(
            windows.lazy().select(*WINDOW, "first_day", "last_day"),
            on=WINDOW,
        )
        .with_columns(
            pl.col("published_date").clip(pl.col("first_day"), pl.col("last_day")).alias("day")
        )
    )
    levels = union.lazy().select("creator", "day", "level")
    per_follower = pl.col("engagements") / pl.col("level")
    return (
        dated.join(levels, on=["creator", "day"], how="left")
        .select(
            *WINDOW,
            "post_id",
            "published_date",
            per_follower.alias("per_follower"),
            pl.when(pl.col("engagements") > 0).then(per_follower.log()).alias("log_per_follower"),
            ((pl.col("as_of_date") - pl.col("published_date")).dt.total_days() >= mature).alias(
                "mature"
            ),
        )
        .collect()
    )


def _around(events: pl.LazyFrame, levels: pl.LazyFrame, rules: Rules) -> pl.LazyFrame:
    """Each event with its window's posts: the viral post published in the days up to its
    start, if any, and the engagement per follower before it and from its start on
    (geometric means of mature posts that are not viral, and their counts)."""
    signals = rules.signals
    explain = int(signals["explain_days"])
    # in one order whatever the join's: the means below are sums of floats
    pairs = events.join(levels, on=WINDOW).sort(*WINDOW, "flag", "start_date", "published_date",
                                                "post_id")  # fmt: skip
    near = pl.col("published_date").is_between(
        pl.col("start_date") - pl.duration(days=explain), pl.col("end_date")
    )
    logged = pl.col("log_per_follower")
    others = ~near & pl.col("mature")
    usual = logged.filter(others).median()
    # viral: many times the usual post, and far beyond the creator's own spread of posts (a
    # creator whose posts vary a lot has good posts that are not viral)
    post_spread = (logged.filter(others) - usual).abs().median() * 1.4826
    viral = logged >= usual + pl.max_horizontal(
        pl.lit(math.log(signals["viral_multiple"])), signals["viral_z"] * post_spread
    )
    # up to the count showing the day by which half the rise had arrived: a count missed
    # before a jump spreads it over the gap's days, and a small creator's counts move in steps,
    # so the first day of a rise may come a few days before the post that caused it
    # and only a rise that came at once: half of it within front_days of its start (a viral
    # post's followers arrive together; bought ones can be drip-fed for weeks)
    front = pl.col("half_count_day") <= pl.col("start_date") + pl.duration(
        days=int(signals["front_days"])
    )
    candidate = front & pl.col("published_date").is_between(
        pl.col("start_date") - pl.duration(days=explain), pl.col("half_count_day")
    )
    before = (
        (pl.col("published_date") < pl.col("start_date") - pl.duration(days=explain))
        & pl.col("mature")
        & ~viral
        & pl.col("log_per_follower").is_not_null()
    )
    after = (  # during the rise as well: each post against the followers it had then
        (pl.col("published_date") > pl.col("start_count_day"))
        & pl.col("mature")
        & ~viral
        & pl.col("log_per_follower").is_not_null()
    )
    return pairs.group_by(*WINDOW, "flag", "start_date").agg(
        pl.col(*EVENT_FIELDS[2:]).first(),
        post_spread.alias("post_spread"),
        pl.col("post_id")
        .filter(candidate & viral)
        .sort_by(pl.col("per_follower").filter(candidate & viral), descending=True)
        .first()
        .alias("viral_post_id"),
        logged.filter(before).mean().alias("log_before"),
        logged.filter(after).mean().alias("log_after"),
        before.sum().alias("posts_before"),
        after.sum().alias("posts_after"),
    )


def _engagement_around(events: pl.LazyFrame, levels: pl.LazyFrame, rules: Rules) -> pl.LazyFrame:
    """Events with the engagement per follower before and after them, and whether it fell
    (engagement_lag: by at least fall_share of what the gain would cause if none of it
    engaged, and by min_z standard errors)."""
    lag = rules["engagement_lag"]
    measured = _around(events, levels, rules)
    events_only = events.select(*WINDOW, *EVENT_FIELDS)
    spread = pl.col("post_spread").clip(lower_bound=lag["min_post_spread"])
    error = spread * (1 / pl.col("posts_before") + 1 / pl.col("posts_after")).sqrt()
    fell = pl.col("log_before") - pl.col("log_after")
    lagging = (
        (pl.col("posts_before") >= lag["min_posts"])
        & (pl.col("posts_after") >= lag["min_posts"])
        # nearer the fall bought followers would cause, log(1 + gain), than no fall at all
        & (fell >= lag["fall_share"] * (pl.col("after") / pl.col("before")).log())
        & (fell >= lag["min_z"] * error)
    )
    return (
        events_only.join(
            measured.select(
                *WINDOW,
                "flag",
                "start_date",
                "viral_post_id",
                "log_before",
                "log_after",
                lagging.fill_null(False).alias("lagging"),
            ),
            on=[*WINDOW, "flag", "start_date"],
            how="left",
        )
        .with_columns(
            pl.col("lagging").fill_null(False) & pl.lit(lag.enabled),
            pl.col("log_before").exp().alias("per_follower_before"),
            pl.col("log_after").exp().alias("per_follower_after"),
        )
        .drop("log_before", "log_after")
    )


def _explained(rises: pl.LazyFrame, levels: pl.LazyFrame, rules: Rules) -> pl.LazyFrame:
    """Rises with the viral post that explains each (null: none, or engagement fell after)."""
    return (
        _engagement_around(rises, levels, rules)
        .with_columns(
            pl.when(~pl.col("lagging")).then(pl.col("viral_post_id")).alias("explaining_post_id")
        )
        .drop("viral_post_id")
    )


def _window_engagement(
    levels: pl.LazyFrame, windows: pl.LazyFrame, low: pl.DataFrame, rules: Rules
) -> pl.LazyFrame:
    """One row per window: whether its median mature post's engagement per follower is below
    the line for its platform and latest follower count (low_engagement_for_size)."""
    rule = rules["low_engagement_for_size"]
    medians = (
        levels.filter(pl.col("mature"))
        .group_by(WINDOW)
        .agg(pl.col("per_follower").median().alias("median"), pl.len().alias("posts"))
    )
    return (
        windows.select(*WINDOW, "last_level", "platform")
        .join(medians, on=WINDOW, how="left")
        .sort("last_level")
        .join_asof(
            low.lazy().sort("min_followers").with_columns(pl.col("min_followers").cast(pl.Float64)),
            left_on="last_level",
            right_on="min_followers",
            by="platform",
            strategy="backward",
            check_sortedness=False,
        )
        .select(
            *WINDOW,
            (
                (pl.col("posts") >= rule["min_posts"])
                & (pl.col("median") < pl.col("low_engagement_per_follower"))
                & pl.lit(rule.enabled)
            )
            .fill_null(False)
            .alias("low_engagement"),
        )
    )


def _severity(share: pl.Expr, rules: Rules) -> pl.Expr:
    score = rules.score
    return score["severity"] * (share.abs() / score["severity_share"]).clip(upper_bound=1.0)


def _scores(
    windows: pl.LazyFrame,
    rises: pl.LazyFrame,
    falls: pl.LazyFrame,
    engagement: pl.LazyFrame,
    rules: Rules,
) -> pl.LazyFrame:
    """One row per window: authenticity_score and authenticity_flags (in the declaration's
    order), the score null with too little history."""
    gained = (pl.col("after") / pl.col("before") - 1).alias("share")
    counted = pl.concat(
        [
            rises.filter(pl.col("explaining_post_id").is_null()).select(*WINDOW, "flag", gained),
            rises.filter(pl.col("lagging")).select(
                *WINDOW, pl.lit(rules["engagement_lag"].flag).alias("flag"), gained
            ),
            falls.select(*WINDOW, "flag", gained),
            engagement.filter(pl.col("low_engagement")).select(
                *WINDOW,
                pl.lit(rules["low_engagement_for_size"].flag).alias("flag"),
                pl.lit(0.0).alias("share"),
            ),
        ]
    )
    enabled = [rule.flag for rule in rules.rules if rule.enabled]
    penalties = pl.DataFrame(
        {
            "flag": [rule.flag for rule in rules.rules],
            "order": list(range(len(rules.rules))),
            "penalty": [float(rule["penalty"]) for rule in rules.rules],
            "severe": [
                rule.flag in {"follower_burst", "follower_drip", "purge_drop"}
                for rule in rules.rules
            ],
        }
    ).lazy()
    per_flag = (
        counted.filter(pl.col("flag").is_in(enabled))
        .join(penalties, on="flag")
        .group_by(*WINDOW, "flag")
        .agg(
            pl.col("order").first(),
            (
                pl.col("penalty")
                + pl.when(pl.col("severe")).then(_severity(pl.col("share"), rules)).otherwise(0.0)
            )
            .max()
            .alias("penalty"),
        )
    )
    flagged = (
        per_flag.sort(*WINDOW, "order")
        .group_by(WINDOW)
        .agg(
            pl.col("flag").sort_by("order").alias("authenticity_flags"),
            pl.col("penalty").sum().alias("penalty"),
        )
    )
    enough = pl.col("counts") >= rules.score["min_counts"]
    return (
        windows.select(*WINDOW, "counts")
        .join(flagged, on=WINDOW, how="left")
        .select(
            *WINDOW,
            pl.when(enough)
            .then((100.0 - pl.col("penalty").fill_null(0.0)).clip(lower_bound=0.0))
            .alias("authenticity_score"),
            pl.when(enough)
            .then(pl.col("authenticity_flags").fill_null(pl.lit([], dtype=pl.List(pl.String))))
            .alias("authenticity_flags"),
        )
    )


def _event_rows(rises: pl.LazyFrame, falls: pl.LazyFrame, rules: Rules) -> pl.LazyFrame:
    """The events of each window: every significant rise (explained or not), an
    engagement_lag row for each rise engagement did not follow, and every fall."""
    enabled = [rule.flag for rule in rules.rules if rule.enabled]
    columns = [
        *WINDOW,
        "flag",
        "start_date",
        "end_date",
        pl.col("before").round().cast(pl.Int64).alias("followers_before"),
        pl.col("after").round().cast(pl.Int64).alias("followers_after"),
        (pl.col("after") / pl.col("before") - 1).alias("gained_share"),
        pl.col("per_follower_before").alias("engagement_per_follower_before"),
        pl.col("per_follower_after").alias("engagement_per_follower_after"),
    ]
    lagging = rises.filter(pl.col("lagging")).with_columns(
        pl.lit(rules["engagement_lag"].flag).alias("flag")
    )
    return pl.concat(
        [
            rises.select(*columns, "explaining_post_id"),
            lagging.select(*columns, pl.lit(None, pl.String).alias("explaining_post_id")),
            falls.select(*columns, pl.lit(None, pl.String).alias("explaining_post_id")),
        ]
    ).filter(pl.col("flag").is_in(enabled))
