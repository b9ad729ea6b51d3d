"""The sample export is deterministic and behaves like real exports."""

import gzip
import io
import json
import statistics
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest

from creatorlens.demo import DemoConfig, generate, write
from creatorlens.demo.model import USD_PER_UNIT

CONFIG = DemoConfig(creators=600, days=21, seed=11)


@pytest.fixture(scope="module")
def demo():
    return generate(CONFIG)


@pytest.fixture(scope="module")
def folder(demo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write(demo, out)
    return out


def contents(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_same_config_writes_identical_files_and_another_seed_does_not(folder, tmp_path):
    write(generate(CONFIG), tmp_path / "again")
    write(generate(DemoConfig(creators=600, days=21, seed=12)), tmp_path / "other")
    assert contents(tmp_path / "again") == contents(folder)
    assert contents(tmp_path / "other") != contents(folder)


def test_creators_add_up_to_the_number_asked_for(demo):
    assert len(demo.creators) == CONFIG.creators
    assert len({(c.platform, c.account_id) for c in demo.creators}) == CONFIG.creators


def test_every_platform_and_day_has_both_entities_in_mixed_formats(folder):
    names = {p.name for p in folder.rglob("*") if p.is_file()}
    assert {"roster.csv", "rate_cards.csv", "fx_rates.csv"} <= names
    days = {p.name for p in (folder / "youtube").iterdir()}
    assert len(days) == CONFIG.days
    assert any(n.endswith(".csv") for n in names) and any(n.endswith(".jsonl") for n in names)
    assert any(n.endswith(".gz") for n in names)


def test_follower_counts_follow_a_power_law_from_hundreds_to_millions(demo):
    followers = sorted(c.base_followers for c in demo.creators if c.base_followers)
    assert followers[0] < 1_000 and followers[-1] > 1_000_000
    assert statistics.median(followers) < 5_000  # most creators are small


def test_engagement_falls_as_followers_grow(demo):
    small = [c.engagement_rate for c in demo.creators if 0 < c.base_followers < 1_000]
    large = [c.engagement_rate for c in demo.creators if c.base_followers >= 1_000_000]
    assert 0.06 < statistics.median(small) < 0.10
    assert statistics.median(large) < 0.02


def test_posts_reappear_for_about_two_weeks_with_growing_counts(folder):
    likes_by_post: dict[str, list[int]] = defaultdict(list)
    for day_folder in sorted((folder / "instagram").iterdir()):
        for line in gzip.decompress((day_folder / "posts.jsonl.gz").read_bytes()).splitlines():
            post = json.loads(line)
            likes_by_post[post["id"]].append(post["like_count"])
    lifetimes = [len(v) for v in likes_by_post.values()]
    assert max(lifetimes) == 14
    assert all(counts == sorted(counts) for counts in likes_by_post.values())
    assert sum(counts[-1] > counts[0] for counts in likes_by_post.values() if len(counts) > 3) > 100


def test_youtube_quirks_string_counts_hidden_subscribers_and_hidden_likes(folder):
    day = folder / "youtube" / CONFIG.end.isoformat()
    channels = [
        json.loads(x)
        for x in gzip.decompress((day / "creators.jsonl.gz").read_bytes()).splitlines()
    ]
    assert all(isinstance(c["statistics"]["videoCount"], str) for c in channels)
    hidden = [c for c in channels if c["statistics"]["hiddenSubscriberCount"]]
    assert hidden and all("subscriberCount" not in c["statistics"] for c in hidden)
    videos = pl.read_csv(day / "posts.csv", infer_schema=False)
    assert videos["statistics.likeCount"].null_count() > 0


def test_growth_patterns_deliver_what_their_truth_says():
    demo = generate(DemoConfig(creators=800, days=100, seed=5, bought_share=0.3, viral_share=0.2))
    by_kind = defaultdict(list)
    for c in demo.creators:
        for e in c.events:
            by_kind[e.kind].append((c, e))
    assert {"burst", "drip", "purge", "viral"} <= set(by_kind)
    for kind, events in by_kind.items():
        for c, e in events:
            before = c.followers[e.start - timedelta(days=1)]
            after = c.followers[e.start + timedelta(days=e.days + (1 if kind == "viral" else 0))]
            if kind == "purge":  # part of what was bought goes
                assert after < before
            else:  # the share comes within the event's days (a viral rise may start a day late)
                assert after >= before * (1 + 0.6 * e.share), (kind, e)
            assert (kind in ("burst",) and e.days <= 3) or kind != "burst"
            assert (kind == "drip" and 7 <= e.days <= 21) or kind != "drip"


def test_bought_followers_never_engage_and_viral_ones_do():
    demo = generate(DemoConfig(creators=800, days=100, seed=5, bought_share=0.3, viral_share=0.2))
    buyers = [c for c in demo.creators if c.pattern in ("burst", "drip")]
    viral = [c for c in demo.creators if c.pattern == "viral"]
    last = demo.config.end
    assert all(c.audience[last] < 0.95 * c.followers[last] for c in buyers)
    assert all(abs(c.audience[last] - c.followers[last]) <= 1 for c in viral)
    viral_posts = {p.creator.account_id: p for p in demo.posts if p.is_viral}
    assert {c.account_id for c in viral} == set(viral_posts)
    assert all(p.published_at.date() in p.creator.viral_days for p in viral_posts.values())


def test_the_truth_of_an_as_of_date_leaves_out_what_its_window_cannot_show():
    demo = generate(DemoConfig(creators=800, days=150, seed=5, bought_share=0.3, viral_share=0.2))
    truth = demo.truth_as_of(demo.config.end)
    organic = {(c.platform, c.account_id) for c in demo.creators
               if not c.bought and not c.is_hidden}  # fmt: skip
    assert {k for k, bought in truth.items() if not bought} == organic
    first = demo.config.end - timedelta(days=89)
    # a purge whose purchase is older than the window: the purge alone shows it
    purged_only = [c for c in demo.creators if c.pattern == "purge" and c.events[0].start < first]
    assert purged_only and all(truth[c.platform, c.account_id] for c in purged_only)
    later = demo.truth_as_of(demo.config.end - timedelta(days=60))  # before most events
    assert sum(later.values()) < sum(truth.values())


def test_roster_rate_cards_and_fx_rates(folder):
    roster = pl.read_csv(folder / "roster.csv", infer_schema=False)
    cards = pl.read_csv(folder / "rate_cards.csv", infer_schema=False)
    fx = pl.read_csv(folder / "fx_rates.csv")
    assert roster["niche"].n_unique() > 5 and roster["country"].n_unique() > 5
    assert set(cards["currency"]) == {"USD", "EUR", "GBP", "DKK"}
    assert cards.group_by("platform", "account_id").len()["len"].max() == 2  # some prices change
    assert set(fx["currency"]) == {"EUR", "GBP", "DKK"}
    assert fx.group_by("currency").len()["len"].min() == 2  # rates change too


def test_campaigns_pay_creators_of_every_tier_near_their_price_and_record_results(demo, folder):
    campaigns = pl.read_csv(folder / "campaigns.csv", try_parse_dates=True)
    members = pl.read_csv(folder / "campaign_creators.csv", infer_schema=False)
    results = pl.concat(
        [
            pl.read_csv(path, infer_schema=False).with_columns(day=pl.lit(path.parent.name))
            for path in sorted((folder / "results").glob("*/results.csv"))
        ]
        + [
            pl.read_ndjson(io.BytesIO(gzip.decompress(path.read_bytes())), infer_schema_length=None)
            .cast(pl.String)
            .with_columns(day=pl.lit(path.parent.name))
            for path in sorted((folder / "results").glob("*/results.jsonl.gz"))
        ],
        how="diagonal",
    )
    assert campaigns.height >= 2 and (campaigns["end_date"] >= campaigns["start_date"]).all()
    assert campaigns["start_date"].n_unique() == campaigns.height  # different start dates
    by_id = {c.account_id: c for c in demo.creators}
    followers = [by_id[a].base_followers for a in members["account_id"]]
    bands = {next(n for n, b in enumerate((1_000, 10_000, 50_000, 500_000, 10**10)) if f < b)
             for f in followers}  # fmt: skip
    assert bands >= {1, 2, 3, 4}  # nano, micro, mid, macro and above
    assert set(members["currency"]) >= {"USD", "EUR"}
    usd = members.with_columns(
        fee_usd=pl.col("fee").cast(pl.Float64)
        * pl.col("currency").replace_strict(
            {k: v[0] for k, v in USD_PER_UNIT.items()}, default=1.0, return_dtype=pl.Float64
        ),
        band=pl.Series([len(str(f)) for f in followers]),  # digits: 4 for 1,000..9,999
    )
    medians = (
        usd.filter(pl.col("band").is_between(4, 7))  # past 10M, prices are capped
        .group_by("band")
        .agg(pl.col("fee_usd").median())
        .sort("band")["fee_usd"]
    )
    assert medians.is_sorted() and medians[-1] > 20 * medians[0]  # fees follow reach
    assert set(results["currency"]) >= {"USD", "EUR", "GBP"}
    assert results.height > 0 and set(results["day"]) <= {
        str(CONFIG.start + timedelta(days=n)) for n in range(CONFIG.days)
    }
    assert results.select(pl.col("clicks", "purchases").cast(pl.Int64).sum()).row(0)[0] > 0


def test_creators_who_bought_followers_get_clicks_but_few_purchases(demo, folder):
    results = pl.concat(
        pl.read_csv(path, infer_schema=False)
        for path in sorted((folder / "results").glob("*/results.csv"))
    ).with_columns(pl.col("clicks", "purchases").cast(pl.Int64))
    bought = {c.account_id for c in demo.creators if c.bought}
    per_creator = (
        results.group_by("campaign_id", "account_id")
        .agg(pl.col("purchases").sum() / pl.col("clicks").sum())
        .group_by(pl.col("account_id").is_in(bought).alias("bought"))
        .agg(pl.col("purchases").median())
    )
    rates = dict(per_creator.rows())
    assert rates[True] < 0.5 * rates[False], rates  # their median conversion
