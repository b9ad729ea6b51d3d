"""Audience match (design section 10): what reaching a brand's own audience through each creator
costs. For brief b, creator c and as-of date D, c's latest audience snapshot dated in
[D-89, D] gives the shares of its audience in b's countries, ages and genders; their product
(YouTube's joint age-and-gender table where it has one) is the target share, and the creator's
cost per engagement over it is the cost per targeted engagement, ranked per brief and platform.
"""

from datetime import timedelta

import polars as pl

from creatorlens.schemas.audience import JOINT_AGE_GENDER, LINE
from creatorlens.schemas.declared import polars_columns
from creatorlens.schemas.marts import BriefMatches

WINDOW_DAYS = 90
"""An audience snapshot counts for the as-of dates of its next 90 days ([D-89, D])."""
STALE_DAYS = 30
"""A creator whose snapshot is older than this is not ranked for a brief."""
SNAPSHOT = ["platform", "account_id", "audience_date"]
COLUMNS = polars_columns(BriefMatches)
MATCHED = {
    **{name: dtype for name, dtype in COLUMNS.items() if name != "rank"},
    "posts_30d": pl.Int64,
}
"""A matched row before ranking: the mart's columns but rank, and what ranking reads."""


def brief_matches(
    metrics: pl.DataFrame, audience: pl.DataFrame, briefs: pl.DataFrame
) -> pl.DataFrame:
    """marts.brief_matches of the as-of dates of `metrics` (creator_daily_metrics' rows),
    from `audience` (stg_audience rows dated in [first date - 89, last date]) and `briefs`."""
    return rank(match(metrics, audience, briefs))


def match(metrics: pl.DataFrame, audience: pl.DataFrame, briefs: pl.DataFrame) -> pl.DataFrame:
    """brief_matches' rows of some creators, before they are ranked among all of theirs (what
    each creator's rows need is its own: creators can be matched a slice at a time)."""
    candidates = _candidates(metrics, briefs)
    if candidates.is_empty():
        return pl.DataFrame(schema=MATCHED)
    with_snapshot = _latest_snapshot(candidates, audience)
    shares = _shares(with_snapshot, audience, briefs)
    matched = _costs(with_snapshot.join(shares, on=["brief_id", *SNAPSHOT], how="left"))
    return matched.select(pl.col(name).cast(dtype) for name, dtype in MATCHED.items())


def rank(matched: pl.DataFrame) -> pl.DataFrame:
    """The matched rows of every creator of their dates and platforms, ranked."""
    return _ranked(matched).select(pl.col(name).cast(dtype) for name, dtype in COLUMNS.items())


def _candidates(metrics: pl.DataFrame, briefs: pl.DataFrame) -> pl.DataFrame:
    """Each creator of D with each brief whose platform, niche and follower filters it passes
    (a bound or a niche list excludes creators without followers or niche)."""
    pairs = metrics.join(briefs, how="cross")
    followers = pl.col("followers")
    return pairs.filter(
        (pl.col("platforms").list.len() == 0)
        | pl.col("platforms").list.contains(pl.col("platform")),
        (pl.col("niches").list.len() == 0)
        | pl.col("niches").list.contains(pl.col("niche")).fill_null(False),
        pl.col("min_followers").is_null() | (followers >= pl.col("min_followers")).fill_null(False),
        pl.col("max_followers").is_null() | (followers <= pl.col("max_followers")).fill_null(False),
    )


def _latest_snapshot(candidates: pl.DataFrame, audience: pl.DataFrame) -> pl.DataFrame:
    """The candidates with the date of their creator's latest audience snapshot dated in
    [D-89, D] (null when none): the latest file holding a line for the creator."""
    snapshots = (
        audience.filter(pl.col("dimension") == LINE)
        .select("platform", "account_id", pl.col("snapshot_date").alias("audience_date"))
        .unique()
        .sort("audience_date")
    )
    return candidates.sort("as_of_date").join_asof(
        snapshots,
        left_on="as_of_date",
        right_on="audience_date",
        by=["platform", "account_id"],
        strategy="backward",
        tolerance=timedelta(days=WINDOW_DAYS - 1),
        check_sortedness=False,
    )


def _buckets(used: pl.DataFrame, audience: pl.DataFrame) -> pl.DataFrame:
    """The buckets of the snapshots used (platform, account_id, audience_date, dimension,
    bucket, gender, value), with a joint table's age and gender marginals as dimensions of their
    own."""
    rows = audience.rename({"snapshot_date": "audience_date"}).join(used, on=SNAPSHOT, how="semi")
    rows = rows.filter(pl.col("dimension") != LINE).select(
        *SNAPSHOT, "dimension", "bucket", "gender", "value"
    )
    joint = rows.filter(pl.col("dimension") == "age_gender")
    marginals = pl.concat(
        [
            joint.with_columns(dimension=pl.lit("age"), gender=pl.lit(None, pl.String)),
            joint.with_columns(
                dimension=pl.lit("gender"), bucket=pl.col("gender"), gender=pl.lit(None, pl.String)
            ),
        ]
    )
    return pl.concat([rows, marginals])


def _shares(candidates: pl.DataFrame, audience: pl.DataFrame, briefs: pl.DataFrame) -> pl.DataFrame:
    """Per brief and snapshot used: the country, age and gender shares, and the joint table's
    share of the brief's ages and genders together (`joint_share`)."""
    used = candidates.select(SNAPSHOT).drop_nulls().unique()
    buckets = _buckets(used, audience)
    frames = []
    for brief in briefs.iter_rows(named=True):
        wanted = {"country": brief["countries"], "age": brief["ages"], "gender": brief["genders"]}
        in_cell = pl.lit(True)
        for column, values in (("bucket", brief["ages"]), ("gender", brief["genders"])):
            if values:
                in_cell = in_cell & pl.col(column).is_in(values)
        constrained = [
            _share(dimension, pl.col("bucket").is_in(values)).alias(f"{dimension}_share")
            for dimension, values in wanted.items()
            if values
        ]
        if brief["ages"] or brief["genders"]:
            constrained.append(_share("age_gender", in_cell).alias("joint_share"))
        per_snapshot = (
            used.join(buckets.group_by(SNAPSHOT).agg(constrained), on=SNAPSHOT, how="left")
            if constrained
            else used
        )
        opened = [
            pl.lit(1.0).alias(f"{dimension}_share")
            for dimension, values in wanted.items()
            if not values
        ]
        if not brief["ages"] and not brief["genders"]:
            opened.append(pl.lit(1.0).alias("joint_share"))
        frames.append(per_snapshot.with_columns(*opened, brief_id=pl.lit(brief["brief_id"])))
    order = ["brief_id", *SNAPSHOT, "country_share", "age_share", "gender_share", "joint_share"]
    if not frames:
        return pl.DataFrame(schema={**dict.fromkeys(["brief_id", *SNAPSHOT], pl.String),
                                    "audience_date": pl.Date,
                                    **dict.fromkeys(order[4:], pl.Float64)})  # fmt: skip
    return pl.concat([frame.select(order) for frame in frames], how="vertical_relaxed")


def _share(dimension: str, chosen: pl.Expr) -> pl.Expr:
    """The share of a dimension that the brief chooses, over the buckets of one snapshot (an
    aggregation): null when the snapshot lacks the dimension (no buckets, or values that sum to
    0)."""
    in_dimension = pl.col("dimension") == dimension
    total = pl.col("value").filter(in_dimension).sum()
    matched = pl.col("value").filter(in_dimension & chosen).sum()
    return pl.when(total > 0).then(matched / total)


def _costs(matched: pl.DataFrame) -> pl.DataFrame:
    """Target share and what follows from it."""
    joint = pl.col("platform").is_in(list(JOINT_AGE_GENDER))
    age_gender = (
        pl.when(joint)
        .then(pl.col("joint_share"))
        .otherwise(pl.col("age_share") * pl.col("gender_share"))
    )
    target = pl.col("country_share") * age_gender
    no_snapshot = pl.col("audience_date").is_null()
    return matched.with_columns(
        *(
            pl.when(no_snapshot).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("country_share", "age_share", "gender_share")
        ),
        target_share=pl.when(no_snapshot).then(None).otherwise(target),
    ).with_columns(
        audience_age_days=(pl.col("as_of_date") - pl.col("audience_date"))
        .dt.total_days()
        .cast(pl.Int32),
        targeted_followers=pl.col("followers") * pl.col("target_share"),
        targeted_engagements_30d=pl.col("engagements_30d") * pl.col("target_share"),
        cost_per_targeted_engagement_usd=pl.when(pl.col("target_share") > 0).then(
            pl.col("cpe_usd") / pl.col("target_share")
        ),
    )


def _ranked(matched: pl.DataFrame) -> pl.DataFrame:
    """`rank` per (as_of_date, brief_id, platform) over the ranking-eligible creators with a
    recent snapshot and a cost: lowest cost first, then higher target share, then account_id."""
    cost = pl.col("cost_per_targeted_engagement_usd")
    eligible = (
        (pl.col("tier") != "emerging")
        & (pl.col("posts_30d") >= 3)
        & pl.col("cpe_usd").is_not_null()
        & ~pl.col("suspicious_growth").fill_null(False)
        & (pl.col("audience_age_days") <= STALE_DAYS)
        & cost.is_not_null()
    ).fill_null(False)
    group = ["as_of_date", "brief_id", "platform"]
    ranked = (
        matched.filter(eligible)
        .sort(
            *group,
            cost,
            pl.col("target_share"),
            "account_id",
            descending=[False] * 4 + [True, False],
        )
        .with_columns(rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over(group))
        .select(*group, "account_id", "rank")
    )
    return matched.join(ranked, on=[*group, "account_id"], how="left")
