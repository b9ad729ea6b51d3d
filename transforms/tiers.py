"""Follower tiers under a tier scheme (lower bounds inclusive)."""

import polars as pl


def tier_expr(scheme: pl.DataFrame, followers: pl.Expr) -> pl.Expr:
    """The tier of a follower count under `scheme` (tier, min_followers); null when followers are.

    A count belongs to the tier with the highest min_followers it reaches.
    """
    expr = pl.lit(None, pl.String)
    for tier, min_followers in scheme.sort("min_followers").select("tier", "min_followers").rows():
        expr = pl.when(followers >= min_followers).then(pl.lit(tier)).otherwise(expr)
    return expr


def tier_history(daily_tiers: pl.DataFrame) -> pl.DataFrame:
    """One row per stretch of consecutive as-of dates a creator spent in one tier: valid_from its
    first date, valid_to the day before the next stretch starts (null while current).

    `daily_tiers` has platform, account_id, as_of_date, tier; dates without a tier are skipped.
    """
    # sorted by creator and date, a stretch starts on each row whose creator or tier differs
    # from the row before: plain shifts over the whole frame, many times faster than
    # per-creator windows
    creator = ["platform", "account_id"]
    known = daily_tiers.filter(pl.col("tier").is_not_null()).sort(*creator, "as_of_date")
    same_creator = pl.all_horizontal(pl.col(c) == pl.col(c).shift(1) for c in creator)
    starts = ~(same_creator & (pl.col("tier") == pl.col("tier").shift(1))).fill_null(False)
    stretches = known.filter(starts).rename({"as_of_date": "valid_from"})
    next_same = pl.all_horizontal(pl.col(c) == pl.col(c).shift(-1) for c in creator)
    return stretches.select(
        *creator,
        "tier",
        "valid_from",
        pl.when(next_same.fill_null(False))
        .then(pl.col("valid_from").shift(-1) - pl.duration(days=1))
        .alias("valid_to"),
    )


def tier_history_from(anchors: pl.DataFrame, daily_tiers: pl.DataFrame) -> pl.DataFrame:
    """The stretches that start on or after each creator's anchor: `anchors` (platform,
    account_id, tier, valid_from) is the stretch in force before the first date of
    `daily_tiers`, whose dates from then on can only extend or end it.

    A stretch is made only of tier changes and first dates, so the anchor stands for every
    day of it before `daily_tiers` begin.
    """
    known = anchors.select(
        "platform", "account_id", pl.col("valid_from").alias("as_of_date"), "tier"
    )
    return tier_history(pl.concat([known, daily_tiers.select(known.columns)]))
