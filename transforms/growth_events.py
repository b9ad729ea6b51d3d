"""Rises and falls of a creator's followers, in each as-of date's window, against the creator's
own baseline (design section 9): the window's follower counts as daily growth (a gap between
counts spreads its change evenly over its days), the baseline (the median day and its spread,
taken again from the days outside every rise and fall), the days far above or below it (sharp
ones, or slow ones in a sustained mean), and the runs of such days that make an event. What
the events mean for a creator's score is transforms.authenticity's."""

import math
from datetime import date

import polars as pl

from creatorlens.schemas.authenticity_rules import Rules
from creatorlens.transforms.followers import CREATOR

WINDOW = ["as_of_date", "creator"]
"""A creator's window for one as-of date: the key of every frame below (creator: an integer
standing for (platform, account_id), which groups faster than its text)."""

EVENT_FIELDS = (
    "flag", "start_date", "end_date", "start_count_day", "half_count_day", "days", "size",
    "before", "after",
)  # fmt: skip
"""What _events gives of each event, beside its window."""


def counted_days(snapshots: pl.DataFrame, creators: pl.DataFrame) -> pl.DataFrame:
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


def windows(
    union: pl.DataFrame, creators: pl.DataFrame, start: date, end: date, rules: Rules
) -> pl.DataFrame:
    """One row per window (as_of_date, creator) with follower counts: its days as a range of
    `union` rows (`lo`, `hi`: the days whose gap began on or after D - 89 and ended by D), its
    first and last day and count, the follower counts it holds (`counts`), and where its days
    begin in window_days (`offset`, `size`)."""
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


def window_days(union: pl.DataFrame, windows: pl.DataFrame) -> pl.DataFrame:
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


def baselines(days: pl.DataFrame, rules: Rules) -> pl.DataFrame:
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


def marks(days: pl.DataFrame, windows: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Each day of each window with its excess over the median (`excess`) and whether it is
    in a rise (`up`) or a fall (`down`), against the baseline of the window's other days.

    The days are marked twice: against the baseline of all the window's days, then against
    that of the days the first marking left quiet, away from every marked day (when a week
    or more is left), so that a drip over much of a short window does not raise the
    baseline it is judged against."""
    first = _marked(days, windows.select("median_rate", "spread"), rules)
    # a window with no marked day keeps its baseline, so its marks: only the others again
    marked_windows = first.filter(pl.col("up") | pl.col("down"))["window"].unique()
    if marked_windows.is_empty():
        return first
    touched = marked_windows.implode()
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
        quiet.filter(pl.col("near") == 0, pl.col("window").is_in(touched))
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
    again = days.filter(pl.col("window").is_in(touched)).with_row_index("again")
    shift = pl.col("again").cast(pl.Int64) - pl.col("at").cast(pl.Int64)
    again = again.with_columns(
        pl.col("again").alias("at"),
        (pl.col("first_row") + shift).alias("first_row"),
        (pl.col("last_row") + shift).alias("last_row"),
    ).drop("again")
    kept = first.filter(~pl.col("window").is_in(touched))
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
    # the centred span's sums as columns first: each is a gather, and used more than once
    marked = marked.with_columns(
        _count_between(-half, half).alias("around"),
        _between("calm_count", pl.lit(-half), pl.lit(half)).alias("calm_days"),
        _between("calm_total", pl.lit(-half), pl.lit(half)).alias("calm_sum"),
    )
    calm_days = pl.col("calm_days")
    slow = pl.max_horizontal(
        pl.lit(signals["slow_min"]), signals["slow_z"] * spread / calm_days.sqrt()
    )
    marked = marked.with_columns(
        pl.when((pl.col("around") > half) & (calm_days >= MIN_CALM_DAYS))
        .then(pl.col("calm_sum") / calm_days)
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
        "around",
        "calm_days",
        "calm_sum",
        "slow",
        "median_rate",
        *(f"last_{span}" for span in SHARP_SPANS),
    )


def events(marked: pl.LazyFrame, direction: str, rules: Rules) -> pl.LazyFrame:
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
