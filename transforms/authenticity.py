"""Authenticity (design section 9): whether a creator's audience is real, from its own follower
counts and posts dated in [D-89, D], with the events that say why.

For each as-of date D and creator, the follower counts of the window give a daily growth (a gap
between counts spreads its change evenly over its days). The creator's baseline is its median
day and its spread (1.4826 x the median absolute deviation). Days far above the baseline, one
at a time (sharp) or in a sustained 7-day mean (slow), make a rise; days far below make a
fall. A rise is explained by a viral post published in the days up to its start, unless
engagement per follower then falls (bought followers never engage). The rules and their
parameters are declared in transforms.authenticity_rules.
"""

import math
from datetime import date
from typing import NamedTuple

import polars as pl

from transforms.authenticity_rules import DECLARED, Rules
from transforms.followers import CREATOR

WINDOW = ["as_of_date", "creator"]
"""A creator's window for one as-of date: the key of every frame below (creator: an integer
standing for (platform, account_id), which groups faster than its text)."""

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
    union = _counted_days(creator_snapshots, creators)
    windows = _windows(union, creators, start, end, rules)
    days = _window_days(union, windows)
    windows = windows.join(_baselines(days, rules), on="window", how="left", maintain_order="left")
    marked = _marks(days, windows, rules)
    levels = _post_levels(posts, creators, union, windows, rules).lazy()
    marked = marked.lazy()
    rises = _explained(_events(marked, "up", rules), levels, rules).collect().lazy()
    falls = _engagement_around(_events(marked, "down", rules), levels, rules)
    falls = falls.collect().lazy()
    engagement = _window_engagement(levels, windows.lazy(), low_engagement, rules)
    scores = _scores(windows.lazy(), rises, falls, engagement, rules)
    events = _event_rows(rises, falls, rules)
    named = creators.lazy()
    return Assessment(
        scores.join(named, on="creator").select(list(ASSESSMENT_COLUMNS)).collect(),
        events.join(named, on="creator").select(list(EVENT_COLUMNS)).collect(),
    )


def _counted_days(snapshots: pl.DataFrame, creators: pl.DataFrame) -> pl.DataFrame:
    """One row per creator and day from its first follower count to its last, in order: the
    day's log growth `rate` (a gap's change spread over its days; null on the first day), the
    count interpolated at its end (`level`), whether a count was taken that day (`counted`),
    and the days of the counts that begin and end its gap (`previous_day`, `count_day`)."""
    counted = (
        snapshots.lazy()
        .filter(pl.col("followers") > 0)
        .join(creators.lazy(), on=CREATOR)
        .select("creator", pl.col("snapshot_date").alias("day"), "followers")
        .unique(["creator", "day"], keep="last")
        .sort("creator", "day")
    )
    intervals = counted.with_columns(
        pl.col("day").shift(1).over("creator").alias("previous_day"),
        pl.col("followers").shift(1).over("creator").alias("previous"),
    ).with_columns(
        pl.col("previous_day").is_null().alias("first"),
        ((pl.col("day") - pl.col("previous_day")).dt.total_days()).fill_null(1).alias("gap"),
        (pl.col("followers") / pl.col("previous")).log().alias("change"),
    )
    # each interval's days, (previous_day, day]; a creator's first count is a day of its own
    daily = intervals.with_columns(pl.int_ranges(1, pl.col("gap") + 1).alias("step")).explode(
        "step"
    )
    rate = pl.col("change") / pl.col("gap")
    return (
        daily.select(
            "creator",
            pl.when(pl.col("first"))
            .then(pl.col("day"))
            .otherwise(pl.col("previous_day") + pl.duration(days=pl.col("step")))
            .alias("day"),
            rate.alias("rate"),
            pl.when(pl.col("first"))
            .then(pl.col("followers").cast(pl.Float64))
            .otherwise(pl.col("previous") * (rate * pl.col("step")).exp())
            .alias("level"),
            (pl.col("step") == pl.col("gap")).alias("counted"),
            "previous_day",
            pl.col("day").alias("count_day"),
        )
        .collect()
        .with_row_index("row")
    )


def _windows(
    union: pl.DataFrame, creators: pl.DataFrame, start: date, end: date, rules: Rules
) -> pl.DataFrame:
    """One row per window (as_of_date, creator) with follower counts: its days as a range of
    `union` rows (`lo`, `hi`: the days whose gap began on or after D - 89 and ended by D), its
    first and last day and count, the follower counts it holds (`counts`), and where its days
    begin in _window_days (`offset`, `size`)."""
    reach = int(rules.signals["window_days"]) - 1
    dates = pl.DataFrame({"as_of_date": pl.date_range(start, end, eager=True)})
    pairs = (
        creators.select("creator", "platform")
        .join(dates, how="cross")
        .with_columns((pl.col("as_of_date") - pl.duration(days=reach)).alias("window_start"))
    )
    gaps = union.filter(pl.col("previous_day").is_not_null()).select(
        "creator", "previous_day", pl.col("row").alias("lo")
    )
    counts = union.filter(pl.col("counted") & pl.col("rate").is_not_null()).select(
        "creator", "count_day", pl.col("row").alias("hi")
    )
    windows = (
        pairs.sort("window_start")
        .join_asof(
            gaps.sort("previous_day"),
            left_on="window_start",
            right_on="previous_day",
            by="creator",
            strategy="forward",
            check_sortedness=False,
        )
        .sort("as_of_date")
        .join_asof(
            counts.sort("count_day"),
            left_on="as_of_date",
            right_on="count_day",
            by="creator",
            strategy="backward",
            check_sortedness=False,
        )
        .filter(pl.col("lo") <= pl.col("hi"))
        .sort("creator", "as_of_date")
        .with_row_index("window")
    )
    counted = union["counted"].cast(pl.Int32).cum_sum()
    return windows.with_columns(
        (pl.col("hi") - pl.col("lo") + 1).alias("size"),
        union["previous_day"].gather(windows["lo"]).alias("first_day"),
        (union["level"] / union["rate"].exp()).gather(windows["lo"]).alias("first_level"),
        union["day"].gather(windows["hi"]).alias("last_day"),
        union["level"].gather(windows["hi"]).alias("last_level"),
        (counted.gather(windows["hi"]) - counted.gather(windows["lo"]) + 2).alias("counts"),
    ).with_columns((pl.col("size").cum_sum() - pl.col("size")).alias("offset"))


def _window_days(union: pl.DataFrame, windows: pl.DataFrame) -> pl.DataFrame:
    """One row per window and day, each window's days together and in order: the union rows
    of its range, with its `window` index and the positions of its first and last row here
    (`first_row`, `last_row`)."""
    spans = windows.select(
        "window",
        "as_of_date",
        "creator",
        pl.int_ranges("lo", pl.col("hi") + 1).alias("row"),
        pl.col("offset").alias("first_row"),
        (pl.col("offset") + pl.col("size") - 1).alias("last_row"),
    ).explode("row")
    picked = union.select("day", "rate", "level", "count_day")[spans["row"]]
    return pl.concat([spans.drop("row"), picked], how="horizontal").with_row_index("at")


def _baselines(days: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """One row per window: its median day (`median_rate`) and spread."""
    return days.group_by("window").agg(*_baseline(pl.col("rate"), pl.col("level"), rules))


def _baseline(rate: pl.Expr, level: pl.Expr, rules: Rules) -> list[pl.Expr]:
    """A window's median day and spread (1.4826 x the median absolute deviation), the spread
    at least min_spread and one follower a day (a small creator's count moves in steps)."""
    return [
        rate.median().alias("median_rate"),
        pl.max_horizontal(
            (rate - rate.median()).abs().median() * 1.4826,
            pl.lit(rules.signals["min_spread"]),
            1.0 / level.median(),
        ).alias("spread"),
    ]


def _between(total: str, low: pl.Expr, high: pl.Expr) -> pl.Expr:
    """The sum over this window's rows from this row + low to this row + high (cut to the
    window) of a column whose running total is `total` (over all rows)."""
    first = (pl.col("at") + low).clip(pl.col("first_row"), pl.col("last_row"))
    last = (pl.col("at") + high).clip(pl.col("first_row"), pl.col("last_row"))
    before_first = pl.col(total).shift(1).fill_null(0.0)
    return pl.col(total).gather(last) - before_first.gather(first)


def _count_between(low: int, high: int) -> pl.Expr:
    """How many of this window's rows lie from this row + low to this row + high."""
    first = (pl.col("at") + low).clip(pl.col("first_row"), pl.col("last_row"))
    last = (pl.col("at") + high).clip(pl.col("first_row"), pl.col("last_row"))
    return last - first + 1


def _marks(days: pl.DataFrame, windows: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Each day of each window with its excess over the median (`excess`) and whether it is
    in a rise (`up`) or a fall (`down`), against the baseline of the window's other days.

    The days are marked twice: against the baseline of all the window's days, then against
    that of the days the first marking left quiet, away from every marked day (when a week
    or more is left), so that a drip over much of a short window does not raise the
    baseline it is judged against."""
    first = _marked(days, windows.select("median_rate", "spread"), rules)
    reach = int(rules.signals["slow_days"]) // 2
    # the days near a marked one too: a long drip's weaker days were left unmarked
    marked = (pl.col("up") | pl.col("down")).cast(pl.Int32).cum_sum().alias("marked_total")
    quiet = first.with_columns(marked).select(
        "window",
        "rate",
        "level",
        _between("marked_total", pl.lit(-reach), pl.lit(reach)).alias("near"),
    )
    rebased = (
        quiet.filter(pl.col("near") == 0)
        .group_by("window")
        .agg(*_baseline(pl.col("rate"), pl.col("level"), rules), pl.len().alias("quiet"))
        .filter(pl.col("quiet") >= rules.signals["min_quiet_days"])
    )
    baselines = (
        windows.select("window", "median_rate", "spread")
        .join(rebased, on="window", how="left", suffix="_quiet", maintain_order="left")
        .select(
            pl.coalesce("median_rate_quiet", "median_rate").alias("median_rate"),
            pl.coalesce("spread_quiet", "spread").alias("spread"),
        )
    )
    # a window with no marked day keeps its baseline, so its marks: only the others again
    touched = first.filter(pl.col("up") | pl.col("down"))["window"].unique()
    if touched.is_empty():
        return first
    again = days.filter(pl.col("window").is_in(touched.implode())).with_row_index("again")
    shift = pl.col("again").cast(pl.Int64) - pl.col("at").cast(pl.Int64)
    again = again.with_columns(
        pl.col("again").alias("at"),
        (pl.col("first_row") + shift).alias("first_row"),
        (pl.col("last_row") + shift).alias("last_row"),
    ).drop("again")
    kept = first.filter(~pl.col("window").is_in(touched.implode()))
    kept = (
        kept.with_row_index("kept")
        .with_columns(
            (
                pl.col("first_row") + pl.col("kept").cast(pl.Int64) - pl.col("at").cast(pl.Int64)
            ).alias("first_row"),
            (
                pl.col("last_row") + pl.col("kept").cast(pl.Int64) - pl.col("at").cast(pl.Int64)
            ).alias("last_row"),
            pl.col("kept").alias("at"),
        )
        .drop("kept")
    )
    second = _marked(again, baselines, rules)
    return pl.concat([kept, second.select(kept.columns)])


MIN_CALM_DAYS = 3
"""Days that are not sharp needed around a day to judge it slow."""

SHARP_SPANS = (1, 2, 3)
"""A day is sharp when it is in a run of this many days whose growth is sharp together."""


def _sharp(signals, sign: float) -> pl.Expr:
    """Whether a day is in 1-3 consecutive days whose excess (times `sign`) is at least
    sharp_min a day and sharp_z spreads times the root of their days: a purge or a purchase
    spread over a few days by a noisy creator has no single sharp day."""
    position = pl.col("at") - pl.col("first_row")
    remaining = pl.col("last_row") - pl.col("at")
    marks = []
    for span in SHARP_SPANS:
        bound = pl.max_horizontal(
            pl.lit(signals["sharp_min"] * span),
            signals["sharp_z"] * pl.col("spread") * math.sqrt(span),
        )
        ends = (sign * pl.col(f"last_{span}") >= bound) & (position >= span - 1)
        marks += [(ends.shift(-ahead) & (remaining >= ahead)).fill_null(False)
                  for ahead in range(span)]  # fmt: skip
    return pl.any_horizontal(marks)


def _marked(days: pl.DataFrame, baselines: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Each day of each window with its excess over the window's median (`excess`) and
    whether it is in a rise (`up`) or a fall (`down`): sharp or slow days, a one-day gap
    bridged, and the excess of the window so far (`cumulative`). `baselines` holds each
    window's median_rate and spread, a row per window in window order."""
    signals = rules.signals
    spread = pl.col("spread")
    half = int(signals["slow_days"]) // 2
    marked = days.with_columns(
        baselines["median_rate"].gather(days["window"]).alias("median_rate"),
        baselines["spread"].gather(days["window"]).alias("spread"),
    ).with_columns((pl.col("rate") - pl.col("median_rate")).alias("excess"))
    marked = marked.with_columns(pl.col("excess").cum_sum().alias("total"))
    marked = marked.with_columns(
        (pl.col("total") - pl.col("total").shift(span).fill_null(0.0)).alias(f"last_{span}")
        for span in SHARP_SPANS
    )
    # the mean of the days around that are not sharp: a burst does not make the days around it
    # slow ones, and the days between a fast drip's sharp ones still are
    calm = ~(pl.col("sharp_up") | pl.col("sharp_down"))
    marked = marked.with_columns(
        _sharp(signals, 1.0).alias("sharp_up"),
        _sharp(signals, -1.0).alias("sharp_down"),
    ).with_columns(
        pl.when(calm).then(pl.col("excess")).otherwise(0.0).cum_sum().alias("calm_total"),
        calm.cast(pl.Int32).cum_sum().alias("calm_count"),
    )
    around = _count_between(-half, half)
    calm_days = _between("calm_count", pl.lit(-half), pl.lit(half))
    slow = pl.max_horizontal(
        pl.lit(signals["slow_min"]), signals["slow_z"] * spread / calm_days.sqrt()
    )
    marked = marked.with_columns(
        pl.when((around > half) & (calm_days >= MIN_CALM_DAYS))
        .then(_between("calm_total", pl.lit(-half), pl.lit(half)) / calm_days)
        .alias("smooth"),
        slow.alias("slow"),
    ).with_columns(
        (pl.col("sharp_up") | (pl.col("smooth") >= pl.col("slow"))).fill_null(False).alias("up"),
        (pl.col("sharp_down") | (pl.col("smooth") <= -pl.col("slow")))
        .fill_null(False)
        .alias("down"),
    )
    inside = (pl.col("at") > pl.col("first_row")) & (pl.col("at") < pl.col("last_row"))
    bridged = [
        (pl.col(d) | (inside & pl.col(d).shift(1) & pl.col(d).shift(-1)).fill_null(False)).alias(d)
        for d in ("up", "down")
    ]
    return marked.with_columns(
        *bridged,
        (
            pl.col("total") - pl.col("total").shift(1).fill_null(0.0).gather(pl.col("first_row"))
        ).alias("cumulative"),
    ).drop(
        "total",
        "calm_total",
        "calm_count",
        "slow",
        "median_rate",
        *(f"last_{span}" for span in SHARP_SPANS),
    )


def _events(marked: pl.LazyFrame, direction: str, rules: Rules) -> pl.LazyFrame:
    """One row per window and significant rise (`direction` up) or fall (down): its first and
    last day, the counts that show its start and the day half of it had arrived, its days,
    growth above (below) the baseline (`size`), and the counts before and after it."""
    sign = 1.0 if direction == "up" else -1.0
    signals = rules.signals
    run = [*WINDOW, "run"]
    # runs of marked days: a new one where the mark changes or a window begins
    begins = (pl.col(direction) != pl.col(direction).shift(1)).fill_null(True) | (
        pl.col("at") == pl.col("first_row")
    )
    beyond = sign * pl.col("excess")
    # its edges: the first and last day far enough beyond the baseline, and a fair share of
    # its peak day (a noise day beside a jump is neither)
    edge = beyond > pl.max_horizontal(
        signals["edge_z"] * pl.col("spread"), signals["edge_share"] * beyond.max().over(run)
    )
    first = pl.col("day").filter(edge).min().over(run)
    last = pl.col("day").filter(edge).max().over(run)
    days = (
        marked.with_columns(begins.cum_sum().alias("run"))
        .filter(pl.col(direction))
        .filter(pl.col("day").is_between(first, last))
        .with_columns(beyond.cum_sum().over(run).alias("so_far"))
    )
    half = pl.col("so_far") >= 0.5 * pl.col("so_far").last()
    events = (
        days.group_by(run)
        .agg(
            pl.col("day").first().alias("start_date"),
            pl.col("day").last().alias("end_date"),
            pl.col("count_day").first().alias("start_count_day"),
            pl.col("count_day").filter(half).first().alias("half_count_day"),
            pl.col("spread").first(),
            pl.col("so_far").last().alias("size"),
            (pl.col("level") / pl.col("rate").exp()).first().alias("before"),
            pl.col("level").last().alias("after"),
        )
        .with_columns(
            ((pl.col("end_date") - pl.col("start_date")).dt.total_days() + 1).alias("days")
        )
    )
    if direction == "up":
        burst, drip = rules["follower_burst"], rules["follower_drip"]
        short = pl.col("days") <= burst["max_days"]
        flag = pl.when(short).then(pl.lit(burst.flag)).otherwise(pl.lit(drip.flag))
        min_size = pl.when(short).then(burst["min_gain"]).otherwise(drip["min_gain"])
        min_z = pl.when(short).then(burst["min_z"]).otherwise(drip["min_z"])
        kept = pl.lit(True)
    else:
        purge = rules["purge_drop"]
        flag = pl.lit(purge.flag)
        min_size, min_z = pl.lit(purge["min_loss"]), pl.lit(purge["min_z"])
        kept = pl.col("days") <= purge["max_days"]
    significant = (pl.col("size") >= min_size) & (
        pl.col("size") >= min_z * pl.col("spread") * pl.col("days").sqrt()
    )
    return (
        events.with_columns(flag.alias("flag"))
        .filter(significant & kept)
        .select(*WINDOW, *EVENT_FIELDS)
    )


EVENT_FIELDS = (
    "flag", "start_date", "end_date", "start_count_day", "half_count_day", "days", "size",
    "before", "after",
)  # fmt: skip
"""What _events gives of each event, beside its window."""


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
        .join(windows.lazy().select(*WINDOW, "first_day", "last_day"), on=WINDOW)
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
