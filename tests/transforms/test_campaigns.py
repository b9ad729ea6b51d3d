"""Design section 8 on tiny hand-written frames: each definition at its edges."""

from datetime import date, timedelta

import polars as pl
import pytest

from creatorlens.transforms.campaigns import campaign_marts

D = date(2026, 3, 1)  # the campaign runs D to D+6


def day(n: int) -> date:
    return D + timedelta(days=n)


CAMPAIGNS = pl.DataFrame(
    {"campaign_id": ["C1"], "brand": ["Glow"], "campaign_name": ["Spring"],
     "start_date": [D], "end_date": [day(6)]}
)  # fmt: skip
MEMBERS = pl.DataFrame(
    {
        "campaign_id": ["C1", "C1", "C1"],
        "platform": ["tiktok"] * 3,
        "account_id": ["a", "b", "c"],
        "fee": [100.0, 500.0, 40.0],
        "currency": ["EUR", "SEK", "USD"],  # SEK has no FX rate
    }
)
POSTS = pl.DataFrame(
    {
        "platform": ["tiktok"] * 5,
        "post_id": ["p1", "p1", "p2", "p3", "p4"],
        "account_id": ["a", "a", "a", "a", "a"],
        "snapshot_date": [day(1), day(3), day(0), day(2), day(9)],
        "published_date": [day(1), day(1), day(-1), day(2), day(9)],  # p2 before, p4 after
        "likes": [10, 30, 99, 5, 99],
        "comments": [1, None, 9, 0, 9],
        "shares": [None, 2, 9, 0, 9],
        "saves": [None] * 5,
        "views": [None, None, 9, 100, 9],
    },
    schema_overrides={c: pl.Int64 for c in ("likes", "comments", "shares", "saves", "views")},
)
RESULTS = pl.DataFrame(
    {
        "result_date": [day(1), day(8), day(2)],
        "campaign_id": ["C1"] * 3,
        "platform": ["tiktok"] * 3,
        "account_id": ["a", "a", "b"],
        "clicks": [10, 5, 7],
        "signups": [None, 3, 1],
        "purchases": [1, 1, 0],
        "revenue": [50.0, 20.0, 30.0],
        "currency": ["EUR", "USD", "XYZ"],  # XYZ has no FX rate
    }
)
FX = pl.DataFrame({"currency": ["EUR", "EUR"], "usd_per_unit": [1.1, 1.2],
                   "valid_from": [day(-10), day(5)]})  # fmt: skip
AT_START = pl.DataFrame(
    {"as_of_date": [day(-1)], "platform": ["tiktok"], "account_id": ["a"],
     "tier": ["micro"], "cpe_usd": [0.5]}
)  # fmt: skip


@pytest.fixture(scope="module")
def marts():
    return campaign_marts(
        CAMPAIGNS, MEMBERS, RESULTS, post_snapshots=POSTS, fx_rates=FX, start_metrics=AT_START
    )


def row(marts, account_id: str) -> dict:
    return marts.performance.filter(account_id=account_id).row(0, named=True)


def test_a_creators_posts_results_and_costs(marts):
    a = row(marts, "a")
    # p1 from its latest snapshot (30 + 0 + 2), p3 (5); p2 and p4 fall outside the campaign
    assert (a["posts"], a["engagements"], a["views"]) == (2, 37, 100)
    # results of any date count; revenue at the rate on each result's date
    assert (a["clicks"], a["signups"], a["purchases"]) == (15, 3, 2)
    assert a["revenue_usd"] == pytest.approx(50 * 1.1 + 20)
    assert a["results_through"] == day(8)
    assert a["fee_usd"] == pytest.approx(110.0)  # the rate in force on start_date
    assert a["cpe_usd"] == pytest.approx(110 / 37)
    assert a["cpc_usd"] == pytest.approx(110 / 15)
    assert a["cost_per_signup_usd"] == pytest.approx(110 / 3)
    assert a["cpa_usd"] == pytest.approx(55.0)
    assert a["roas"] == pytest.approx(75 / 110)
    assert a["click_through_rate"] == pytest.approx(15 / 100)
    assert a["conversion_rate"] == pytest.approx(2 / 15)
    assert (a["tier_at_start"], a["expected_cpe_usd"]) == ("micro", 0.5)


def test_without_fx_the_fee_is_null_and_the_revenue_counts_zero(marts):
    b = row(marts, "b")
    assert (b["fee_usd"], b["revenue_usd"], b["roas"], b["cpc_usd"]) == (None, 0.0, None, None)
    assert b["clicks"] == 7 and b["purchases"] == 0 and b["cpa_usd"] is None
    assert marts.fees_without_fx["account_id"].to_list() == ["b"]
    assert marts.revenue_without_fx["currency"].to_list() == ["XYZ"]


def test_a_creator_with_no_posts_or_results_has_a_row_of_zeros_and_nulls(marts):
    c = row(marts, "c")
    assert (c["posts"], c["engagements"], c["views"], c["clicks"]) == (0, 0, None, 0)
    assert (c["results_through"], c["cpe_usd"], c["cpc_usd"], c["click_through_rate"]) == (
        None, None, None, None,
    )  # fmt: skip
    assert (c["fee_usd"], c["roas"], c["tier_at_start"]) == (40.0, 0.0, None)


def test_the_tier_summary_leaves_out_creators_without_a_tier_and_adds_an_overall_row(marts):
    summary = marts.tier_summary.rows(named=True)
    assert [(r["campaign_id"], r["tier_at_start"], r["creators"]) for r in summary] == [
        ("C1", "micro", 1), (None, "micro", 1),
    ]  # fmt: skip
    assert summary[0]["roas"] == pytest.approx(75 / 110)
    assert summary[0]["median_cpa_usd"] == pytest.approx(55.0)
