"""marts.brief_matches by hand (design section 10): each rule on a frame of a few rows."""

from datetime import date, timedelta

import polars as pl
import pytest

from creatorlens.transforms.audience import brief_matches

D = date(2026, 11, 20)
METRICS = {
    "as_of_date": pl.Date, "platform": pl.String, "account_id": pl.String, "handle": pl.String,
    "niche": pl.String, "tier": pl.String, "followers": pl.Int64, "posts_30d": pl.Int64,
    "engagements_30d": pl.Int64, "cpe_usd": pl.Float64, "suspicious_growth": pl.Boolean,
}  # fmt: skip
AUDIENCE = {
    "platform": pl.String, "account_id": pl.String, "snapshot_date": pl.Date,
    "dimension": pl.String, "bucket": pl.String, "gender": pl.String, "value": pl.Float64,
}  # fmt: skip


def creator(account: str, platform: str = "instagram", **values) -> dict:
    return {"as_of_date": D, "platform": platform, "account_id": account, "handle": account,
            "niche": "beauty", "tier": "micro", "followers": 10_000, "posts_30d": 5,
            "engagements_30d": 1_000, "cpe_usd": 0.5, "suspicious_growth": False} | values  # fmt: skip


def brief(**values) -> pl.DataFrame:
    row = {"brief_id": "b", "brand": "X", "countries": [], "ages": [], "genders": [],
           "niches": [], "platforms": [], "min_followers": None, "max_followers": None} | values  # fmt: skip
    return pl.DataFrame([row], schema_overrides={"min_followers": pl.Int64, "max_followers": pl.Int64,
                                                 **dict.fromkeys(("countries", "ages", "genders", "niches", "platforms"), pl.List(pl.String))})  # fmt: skip


def snapshot(account: str, day: date, buckets: list[tuple], platform: str = "instagram") -> list:
    """The rows of one audience line: its own row, then (dimension, bucket, gender, value)."""
    return [(platform, account, day, "line", None, None, None)] + [
        (platform, account, day, *bucket) for bucket in buckets
    ]


def matches(creators: list[dict], audience: list, briefs: pl.DataFrame) -> dict[str, dict]:
    metrics = pl.DataFrame(creators, schema=METRICS)
    rows = pl.DataFrame(audience, schema=AUDIENCE, orient="row")
    out = brief_matches(metrics, rows, briefs)
    return {row["account_id"]: row for row in out.iter_rows(named=True)}


COUNTRY = [("country", "DK", None, 30.0), ("country", "US", None, 70.0)]


def test_the_latest_snapshot_of_the_90_day_window_counts_and_older_ones_do_not():
    out = matches(
        [creator("in"), creator("edge"), creator("out")],
        snapshot("in", D - timedelta(days=10), COUNTRY)
        + snapshot("in", D - timedelta(days=40), [("country", "DK", None, 1.0)])
        + snapshot("edge", D - timedelta(days=89), COUNTRY)
        + snapshot("out", D - timedelta(days=90), COUNTRY),
        brief(countries=["DK"]),
    )
    assert out["in"]["audience_date"] == D - timedelta(days=10)
    assert out["in"]["country_share"] == pytest.approx(0.3)
    assert out["edge"]["audience_age_days"] == 89
    assert out["out"]["audience_date"] is None and out["out"]["target_share"] is None


def test_open_dimensions_are_1_and_lacking_constrained_ones_null():
    out = matches(
        [creator("a"), creator("b")],
        snapshot("a", D, COUNTRY) + snapshot("b", D, [("age", "18-24", None, 5.0)]),
        brief(countries=["DK"], ages=["18-24"]),
    )
    assert (out["a"]["country_share"], out["a"]["age_share"], out["a"]["gender_share"]) == (
        pytest.approx(0.3),
        None,
        1.0,
    )
    assert out["a"]["target_share"] is None and out["a"]["rank"] is None
    assert out["b"]["country_share"] is None and out["b"]["age_share"] == 1.0


def test_a_joint_table_gives_its_cells_where_others_multiply_their_marginals():
    cells = [("age_gender", "18-24", "female", 30.0), ("age_gender", "18-24", "male", 10.0),
             ("age_gender", "35-44", "female", 60.0)]  # fmt: skip
    split = [("age", "18-24", None, 40.0), ("age", "35-44", None, 60.0),
             ("gender", "female", None, 90.0), ("gender", "male", None, 10.0)]  # fmt: skip
    out = matches(
        [creator("yt", "youtube"), creator("ig")],
        snapshot("yt", D, cells, "youtube") + snapshot("ig", D, split),
        brief(ages=["18-24"], genders=["female"]),
    )
    assert (out["yt"]["age_share"], out["yt"]["gender_share"]) == (
        pytest.approx(0.4),
        pytest.approx(0.9),
    )
    assert out["yt"]["target_share"] == pytest.approx(0.3)  # the cell, not 0.4 x 0.9
    assert out["ig"]["target_share"] == pytest.approx(0.36)


def test_the_filters_leave_out_creators_a_bound_or_a_niche_list_cannot_judge():
    creators = [creator("small", followers=500), creator("unknown", followers=None),
                creator("no-niche", niche=None), creator("tiktok", "tiktok"), creator("fits")]  # fmt: skip
    constrained = brief(min_followers=1_000, niches=["beauty"], platforms=["instagram"])
    assert set(matches(creators, [], constrained)) == {"fits"}
    assert set(matches(creators, [], brief())) == {c["account_id"] for c in creators}


def test_costs_and_ranks_per_platform_with_their_ties_and_exclusions():
    creators = [
        creator("cheap", cpe_usd=0.2), creator("tie-b", cpe_usd=0.5), creator("tie-a", cpe_usd=0.5),
        creator("wide", cpe_usd=0.5), creator("flagged", cpe_usd=0.01, suspicious_growth=True),
        creator("stale", cpe_usd=0.01), creator("none", cpe_usd=0.01),
        creator("emerging", cpe_usd=0.01, tier="emerging"), creator("zero", cpe_usd=0.01),
        creator("other-platform", "tiktok", cpe_usd=0.9),
    ]  # fmt: skip
    half = [("country", "DK", None, 1.0), ("country", "US", None, 1.0)]
    audience = [
        *snapshot("cheap", D, half),
        *snapshot("tie-b", D, half),
        *snapshot("tie-a", D, half),
        *snapshot("wide", D - timedelta(days=1), [("country", "DK", None, 1.0)]),
        *snapshot("flagged", D, half),
        *snapshot("stale", D - timedelta(days=31), half),
        *snapshot("emerging", D, half),
        *snapshot("zero", D, [("country", "US", None, 1.0)]),
        *snapshot("other-platform", D, half, "tiktok"),
    ]
    out = matches(creators, audience, brief(countries=["DK"]))
    cost = {k: v["cost_per_targeted_engagement_usd"] for k, v in out.items()}
    assert cost["cheap"] == pytest.approx(0.4) and cost["wide"] == pytest.approx(0.5)
    assert cost["zero"] is None  # none of its audience in the brief's countries
    ranks = {k: v["rank"] for k, v in out.items() if v["rank"] is not None}
    # the ties cost the same and reach the same share: account_id decides
    assert ranks == {"cheap": 1, "tie-a": 3, "tie-b": 4, "wide": 2, "other-platform": 1}
    assert out["wide"]["targeted_followers"] == pytest.approx(10_000.0)
    assert out["cheap"]["targeted_engagements_30d"] == pytest.approx(500.0)
