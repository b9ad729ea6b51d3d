"""Follower growth and the suspicious-growth rule (bought followers)."""

from datetime import date, timedelta

import polars as pl

from transforms.followers import CREATOR, latest_creator_snapshots

GROWTH_DAYS = 30

# The suspicious-growth rule (README, "Authenticity"): over a creator's follower snapshots dated
# [D-29, D], the biggest day-to-day change is a bought-followers jump when it is at least
# MIN_JUMP and lies more than JUMP_Z standard deviations of the creator's other changes in that
# window (floored at MIN_SPREAD) above their median.
SUSPICIOUS_WINDOW_DAYS = 30
MIN_JUMP = 0.15
JUMP_Z = 8.0
MIN_SPREAD = 0.005


def follower_growth(creator_snapshots: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """One row per creator per as-of date D in [start, end]: followers(D-30), followers_30d_ago."""
    shift = timedelta(days=GROWTH_DAYS)
    past = latest_creator_snapshots(creator_snapshots, start - shift, end - shift)
    return past.select(
        (pl.col("as_of_date") + shift).alias("as_of_date"),
        *CREATOR,
        pl.col("followers").alias("followers_30d_ago"),
    )


def growth_rate(followers: pl.Expr, followers_before: pl.Expr) -> pl.Expr:
    """followers / followers_before - 1; null when either is null or the earlier count is 0."""
    return pl.when(followers_before > 0).then(followers / followers_before - 1)


def follower_changes(creator_snapshots: pl.DataFrame) -> pl.DataFrame:
    """One row per follower snapshot after another: its change against the previous one."""
    # each creator's rows in date order is all the shift needs: sorting by the date alone
    # gives that, far cheaper than sorting by the creator's text keys too
    counted = creator_snapshots.filter(pl.col("followers").is_not_null()).sort(
        "snapshot_date", maintain_order=True
    )
    return (
        counted.with_columns(
            pl.col("snapshot_date").shift(1).over(CREATOR).alias("previous_date"),
            pl.col("followers").shift(1).over(CREATOR).alias("previous_followers"),
        )
        .filter(pl.col("previous_followers") > 0)
        .select(
            *CREATOR,
            "snapshot_date",
            "previous_date",
            (pl.col("followers") / pl.col("previous_followers") - 1).alias("change"),
        )
    )


def suspicious_growth(creator_snapshots: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """One row per creator per as-of date in [start, end] with 2+ follower counts in [D-29, D]:
    whether one day's change is a jump far outside the creator's own variation."""
    last = SUSPICIOUS_WINDOW_DAYS - 1
    # a change counts for D when both its snapshots are dated in [D-29, D]: none dated before
    # start - 29 can count, and leaving them out is cheaper than computing their changes
    window = creator_snapshots.filter(pl.col("snapshot_date") >= start - timedelta(days=last))
    changes = follower_changes(window)
    if start == end:  # every change of the window counts for the one date, if not after it
        per_date = changes.filter(pl.col("snapshot_date") <= end).with_columns(
            as_of_date=pl.lit(end, dtype=pl.Date)
        )
    else:
        per_date = (
            changes.with_columns(
                pl.date_ranges(
                    pl.max_horizontal(pl.col("snapshot_date"), pl.lit(start)),
                    pl.min_horizontal(pl.col("previous_date") + timedelta(days=last), pl.lit(end)),
                ).alias("as_of_date")
            )
            .explode("as_of_date")
            .drop_nulls("as_of_date")
        )
    biggest = pl.col("change").max()
    others = pl.col("change").sort().slice(0, pl.len() - 1)
    center = others.median().fill_null(0.0)
    spread = pl.max_horizontal(others.std().fill_null(0.0), pl.lit(MIN_SPREAD))
    return per_date.group_by("as_of_date", *CREATOR).agg(
        ((biggest >= MIN_JUMP) & ((biggest - center) / spread >= JUMP_Z)).alias("suspicious_growth")
    )
