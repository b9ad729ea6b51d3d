"""The demo's world written as the platforms' own export files, the agency's files and the
campaign results, with the glitches real exports have."""

import csv
import functools
import gzip
import io
import json
import math
import random
from collections.abc import Iterable
from datetime import UTC, date, timedelta
from pathlib import Path

from creatorlens.demo import audience
from creatorlens.demo.model import (
    CURRENCY_OF,
    PLATFORM_SHARE,
    POST_LIFETIME_DAYS,
    PRICE_PER_1K_FOLLOWERS_USD,
    USD_PER_UNIT,
    Creator,
    Demo,
    DemoConfig,
    Post,
)


@functools.cache
def _share(age: int) -> float:
    """The share of its final counts a post has `age` days after it was published."""
    return 1 - math.exp(-(age + 1) / 2.5)


def counts_on(post: Post, day: date) -> tuple[dict[str, int], int]:
    """A post's counts in the export of `day`: a growing share of its final counts."""
    share = _share((day - post.published_at.date()).days)
    counts = {name: round(value * share) for name, value in post.final.items()}
    return counts, round(post.final_views * share)


def _visible(post: Post, day: date) -> bool:
    age = (day - post.published_at.date()).days
    return 0 <= age < POST_LIFETIME_DAYS


# Export rows, in each platform's API shape -------------------------------------------------


def _instagram_creator(c: Creator, day: date, rng: random.Random) -> dict:
    return {
        "id": c.account_id,
        "username": c.handle,
        "followers_count": c.followers[day],
        "follows_count": rng.randrange(50, 2000),
        "media_count": rng.randrange(20, 3000),
    }


def _instagram_post(p: Post, day: date) -> dict:
    counts, views = counts_on(p, day)
    row = {
        "id": p.post_id,
        "owner": {"id": p.creator.account_id},
        "timestamp": p.published_at.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "media_type": "VIDEO" if "views" not in p.hidden_fields else "IMAGE",
        "caption": p.caption,
        "like_count": counts["likes"],
        "comments_count": counts["comments"],
        "saved": counts["saves"],
        "shares": counts["shares"],
        "views": views,
    }
    for hidden in p.hidden_fields:
        row.pop({"saves": "saved"}.get(hidden, hidden), None)
    return row


def _tiktok_creator(c: Creator, day: date, rng: random.Random) -> dict:
    return {
        "username": c.handle,
        "display_name": c.handle.replace("_", " ").replace(".", " ").title(),
        "follower_count": c.followers[day],
        "following_count": rng.randrange(10, 900),
        "likes_count": c.followers[day] * rng.randrange(3, 12),
        "video_count": rng.randrange(10, 900),
    }


def _tiktok_post(p: Post, day: date) -> dict:
    counts, views = counts_on(p, day)
    return {
        "id": p.post_id,
        "username": p.creator.account_id,
        "create_time": int(p.published_at.replace(tzinfo=UTC).timestamp()),
        "video_description": p.caption,
        "like_count": counts["likes"],
        "comment_count": counts["comments"],
        "share_count": counts["shares"],
        "view_count": views,
    }


def _youtube_creator(c: Creator, day: date, rng: random.Random) -> dict:
    statistics = {
        "viewCount": str(c.followers[day] * rng.randrange(40, 200)),
        "hiddenSubscriberCount": c.is_hidden,
        "videoCount": str(rng.randrange(10, 600)),
    }
    if not c.is_hidden:
        statistics["subscriberCount"] = str(c.followers[day])
    return {
        "kind": "youtube#channel",
        "id": c.account_id,
        "snippet": {"title": c.handle, "country": c.country},
        "statistics": statistics,
    }


def _youtube_post(p: Post, day: date) -> dict:
    counts, views = counts_on(p, day)
    row = {
        "id": p.post_id,
        "snippet.channelId": p.creator.account_id,
        "snippet.publishedAt": p.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "snippet.title": p.caption.splitlines()[0],
        "statistics.viewCount": str(views),
        "statistics.likeCount": str(counts["likes"]),
        "statistics.commentCount": str(counts["comments"]),
    }
    for hidden in p.hidden_fields:
        row[f"statistics.{hidden[:-1]}Count"] = ""
    return row


AUDIENCE_FILES = {"instagram": "audience.jsonl", "tiktok": "audience.ndjson",
                  "youtube": "audience.jsonl.gz"}  # fmt: skip
AUDIENCE_KEYS = {"instagram": "id", "tiktok": "username", "youtube": "id"}
"""The creators row's field holding the key an audience line names its creator by."""

EXPORTS = {
    # platform: (creator row, creators file, post row, posts file)
    "instagram": (_instagram_creator, "creators.jsonl", _instagram_post, "posts.jsonl.gz"),
    "tiktok": (_tiktok_creator, "creators.csv", _tiktok_post, "posts.csv.gz"),
    "youtube": (_youtube_creator, "creators.jsonl.gz", _youtube_post, "posts.csv"),
}


def _encode(name: str, rows: list[dict], header: list[str], lines: list[str] = ()) -> bytes:
    if lines:
        text = "".join(f"{line}\n" for line in lines)
    elif ".jsonl" in name:
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    data = text.encode()
    # gzip's own default level: a third of the time of the highest, files a tenth larger
    return gzip.compress(data, compresslevel=6, mtime=0) if name.endswith(".gz") else data


def _header(rows: Iterable[dict]) -> list[str]:
    return list(dict.fromkeys(name for row in rows for name in row))


def _with_glitches(rng: random.Random, rows: list[dict], count_field: str) -> list[dict]:
    """Rare export glitches: a row delivered twice, a count the platform sent negative."""
    glitched = []
    for row in rows:
        delivered = {**row, count_field: -1} if rng.random() < 1 / 2500 else row
        glitched.append(delivered)
        if rng.random() < 1 / 2500:
            glitched.append(delivered)
    return glitched


def _agency_files(demo: Demo, rng: random.Random) -> dict[str, list[dict]]:
    config = demo.config
    roster, rate_cards = [], []
    for c in demo.creators:
        if not c.in_roster:
            continue
        roster.append(
            {
                "platform": c.platform,
                "account_id": c.account_id,
                "niche": c.niche,
                "country": c.country,
            }
        )
        if rng.random() < 0.4:
            rate_cards.extend(_rate_cards(rng, c, config))
    change = config.start + timedelta(days=config.days // 2)
    fx_rates = [
        {"currency": currency, "usd_per_unit": rate, "valid_from": valid_from.isoformat()}
        for currency, rates in USD_PER_UNIT.items()
        for rate, valid_from in zip(
            rates, (config.start - timedelta(days=365), change), strict=True
        )
    ]
    return {"roster.csv": roster, "rate_cards.csv": rate_cards, "fx_rates.csv": fx_rates}


def _rate_cards(rng: random.Random, c: Creator, config: DemoConfig) -> list[dict]:
    currency = CURRENCY_OF.get(c.country, "USD")
    usd_per_unit = USD_PER_UNIT.get(currency, (1.0,))[0]
    price_usd = max(5.0, PRICE_PER_1K_FOLLOWERS_USD[c.platform] * c.base_followers / 1000)
    price_usd *= rng.lognormvariate(0, 0.35)
    cards = [(price_usd, config.start - timedelta(days=rng.randrange(0, 120)))]
    if rng.random() < 0.2:
        cards.append(
            (
                price_usd * rng.uniform(0.85, 1.3),
                config.start + timedelta(days=rng.randrange(config.days)),
            )
        )
    return [
        {
            "platform": c.platform,
            "account_id": c.account_id,
            "price_per_post": round(price / usd_per_unit, 2),
            "currency": currency,
            "valid_from": valid_from.isoformat(),
        }
        for price, valid_from in cards
    ]


# Campaigns (design section 8) ------------------------------------------------------------

BRANDS = (
    # brand, campaign name, currency of the revenue it reports, average order value in it
    ("Glow Labs", "Winter skin reset", "EUR", 38.0),
    ("TrailFuel", "New year, new trail", "USD", 52.0),
    ("PixelForge", "Launch week", "GBP", 64.0),
)
FOLLOWER_BANDS = ((1_000, 10_000), (10_000, 50_000), (50_000, 500_000), (500_000, 10**9))
"""Creators are drawn from each band, so every campaign has creators of every tier."""
CAMPAIGN_DAYS = 14
MAX_PRICE_PER_POST_USD = 60_000.0
"""The fee is a price per post (as the rate cards) for the posts a creator makes while the
campaign runs; the few celebrities of the demo are capped at this."""
RESULTS_AFTER_END_DAYS = 5
"""Promo codes keep converting for a few days after a campaign ends."""


def _campaign_creators(rng: random.Random, demo: Demo, per_band: int) -> list[Creator]:
    chosen = []
    for platform in PLATFORM_SHARE:
        for low, high in FOLLOWER_BANDS:
            band = [
                c
                for c in demo.creators
                if c.platform == platform and low <= c.base_followers < high and not c.is_hidden
            ]
            chosen += rng.sample(band, min(per_band, len(band)))
    # one who bought followers, as brands do book them: engagement, but few purchases
    buyers = [c for c in demo.creators if c.bought and c not in chosen]
    return chosen + rng.sample(buyers, min(1, len(buyers)))


def _buyers(rng: random.Random, clicks: int, conversion: float) -> int:
    """How many of `clicks` buy (binomial; its normal approximation for many clicks)."""
    if clicks <= 500:
        return sum(rng.random() < conversion for _ in range(clicks))
    mean = clicks * conversion
    return max(0, round(rng.gauss(mean, math.sqrt(mean * (1 - conversion)))))


def _campaign_files(demo: Demo, rng: random.Random) -> dict[str, list[dict]]:
    """campaigns.csv, campaign_creators.csv and the daily results of a few campaigns.

    A creator's clicks follow their real audience (followers before any bought ones, times
    their engagement rate) and buyers convert better with smaller creators; fees follow the
    rate-card prices. So micro creators return more per dollar, and creators who bought
    followers show engagement but few purchases.
    """
    config = demo.config
    campaigns, members, results = [], [], {}
    per_band = max(2, config.creators // 400)
    for number, (brand, name, currency, order_value) in enumerate(BRANDS, start=1):
        start = config.start + timedelta(days=config.days // 3 + 4 * (number - 1))
        end = min(start + timedelta(days=CAMPAIGN_DAYS - 1), config.end)
        if start > config.end:
            continue
        campaign_id = f"C{start:%Y%m}-{number:02d}"
        campaigns.append(
            {
                "campaign_id": campaign_id,
                "brand": brand,
                "name": name,
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
            }
        )
        for c in _campaign_creators(rng, demo, per_band):
            fee_currency = CURRENCY_OF.get(c.country, "USD")
            usd_per_unit = USD_PER_UNIT.get(fee_currency, (1.0,))[0]
            price_usd = PRICE_PER_1K_FOLLOWERS_USD[c.platform] * c.base_followers / 1000
            price_usd = min(max(5.0, price_usd), MAX_PRICE_PER_POST_USD)
            posts = max(1, round(c.posts_per_week * ((end - start).days + 1) / 7))
            fee = price_usd * posts * rng.lognormvariate(0, 0.25) / usd_per_unit
            members.append(
                {
                    "campaign_id": campaign_id,
                    "platform": c.platform,
                    "account_id": c.account_id,
                    "fee": f"{fee:.2f}",
                    "currency": fee_currency,
                }
            )
            audience = c.base_followers * c.engagement_rate
            click_rate = 0.25 * rng.lognormvariate(0, 0.4)
            conversion = 0.04 * (max(c.base_followers, 1_000) / 10_000) ** -0.25
            conversion *= rng.lognormvariate(0, 0.3) * (0.1 if c.bought else 1.0)
            last = min(end + timedelta(days=RESULTS_AFTER_END_DAYS), config.end)
            for offset in range((last - start).days + 1):
                day = start + timedelta(days=offset)
                fading = 1.0 if day <= end else 0.3
                clicks = round(audience * click_rate * fading * rng.uniform(0.5, 1.5) / 3)
                purchases = _buyers(rng, clicks, min(conversion, 1.0))
                signups = purchases + round(clicks * conversion * rng.uniform(0.5, 1.5))
                revenue = sum(order_value * rng.lognormvariate(0, 0.3) for _ in range(purchases))
                results.setdefault(day, []).append(
                    {
                        "campaign_id": campaign_id,
                        "platform": c.platform,
                        "account_id": c.account_id,
                        "clicks": clicks,
                        "signups": signups,
                        "purchases": purchases,
                        "revenue": f"{revenue:.2f}",
                        "currency": currency,
                    }
                )
    files = {"campaigns.csv": campaigns, "campaign_creators.csv": members}
    for day, rows in sorted(results.items()):
        name = "results.jsonl.gz" if day.weekday() == 6 else "results.csv"
        files[f"results/{day.isoformat()}/{name}"] = rows
    return files


def write(demo: Demo, out: Path) -> int:
    """Write the demo as an export folder under `out`; returns the number of files written."""
    rng = random.Random(demo.config.seed + 1)
    by_platform: dict[str, tuple[list[Creator], list[Post]]] = {p: ([], []) for p in EXPORTS}
    for c in demo.creators:
        by_platform[c.platform][0].append(c)
    for p in demo.posts:
        by_platform[p.creator.platform][1].append(p)
    written = 0
    audience_rng = random.Random(demo.config.seed + 3)  # the other files stay as they were
    plans = {
        id(c): (
            audience.profile(audience_rng, c),
            set(audience.snapshot_days(audience_rng, demo.config)),
        )
        for c in demo.creators
    }
    for offset in range(demo.config.days):
        day = demo.config.start + timedelta(days=offset)
        for platform, (creator_row, creators_name, post_row, posts_name) in EXPORTS.items():
            creators, posts = by_platform[platform]
            folder = out / platform / day.isoformat()
            folder.mkdir(parents=True, exist_ok=True)
            present = [c for c in creators if rng.random() >= c.missing_share]
            c_rows = [creator_row(c, day, rng) for c in present]
            p_rows = [post_row(p, day) for p in posts if _visible(p, day)]
            if platform == "tiktok":
                p_rows = _with_glitches(rng, p_rows, "like_count")
            (folder / creators_name).write_bytes(_encode(creators_name, c_rows, _header(c_rows)))
            (folder / posts_name).write_bytes(_encode(posts_name, p_rows, _header(p_rows)))
            written += 2
            lines = [
                audience.line(audience_rng, c, row[AUDIENCE_KEYS[platform]], c.followers[day],
                              plans[id(c)][0])
                for c, row in zip(present, c_rows, strict=True)
                if day in plans[id(c)][1]
            ]  # fmt: skip
            if lines:
                name = AUDIENCE_FILES[platform]
                (folder / name).write_bytes(_encode(name, [], [], lines))
                written += 1
    for name, rows in _agency_files(demo, rng).items():
        (out / name).write_bytes(_encode(name, rows, _header(rows)))
        written += 1
    briefs = audience.BRIEFS
    (out / "briefs.csv").write_bytes(_encode("briefs.csv", briefs, _header(briefs)))
    written += 1
    campaign_rng = random.Random(demo.config.seed + 2)  # the other files stay as they were
    for name, rows in _campaign_files(demo, campaign_rng).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(_encode(name, rows, _header(rows)))
        written += 1
    return written


def write_labels(demo: Demo, path: Path) -> None:
    """The truth behind an export as CSV (platform, account_id, pattern, bought, hidden,
    events), for measuring a detector."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    labels = demo.labels()
    writer = csv.DictWriter(buffer, fieldnames=list(labels[0]) if labels else ["platform"])
    writer.writeheader()
    writer.writerows(labels)
    path.write_text(buffer.getvalue())
