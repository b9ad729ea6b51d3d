"""The demo's audiences and briefs (design section 10): each creator's followers by country, age
and gender, which follow the creator's own country and niche (a Danish beauty creator's
followers are mostly Danish women aged 18-34, a gamer's mostly young men), written weekly in
each platform's own API shape, for most creators; and three brand briefs."""

import json
import random
from datetime import date, timedelta

from creatorlens.demo.model import COUNTRIES, Creator, DemoConfig

AGES = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_MIX = {
    "beauty": (5, 38, 34, 13, 6, 3, 1),
    "fashion": (6, 40, 32, 13, 5, 3, 1),
    "gaming": (18, 42, 25, 10, 3, 1, 1),
    "tech": (6, 30, 32, 19, 8, 4, 1),
    "parenting": (1, 10, 45, 30, 9, 4, 1),
    "fitness": (4, 30, 35, 18, 8, 4, 1),
    "food": (3, 18, 30, 24, 14, 8, 3),
    "travel": (2, 20, 32, 24, 13, 7, 2),
    "home": (1, 12, 30, 28, 16, 9, 4),
}
"""Each niche's audience by age (percent): what drives whom a creator reaches."""
FEMALE_SHARE = {
    "beauty": 0.85, "fashion": 0.78, "parenting": 0.80, "home": 0.70, "food": 0.60,
    "fitness": 0.55, "travel": 0.55, "tech": 0.25, "gaming": 0.22,
}  # fmt: skip
OTHER_SHARE = 0.02
ABROAD = {**COUNTRIES, "BR": 6, "IN": 6, "MX": 4, "SE": 4, "NL": 4, "NO": 3}
"""Where a creator's followers from abroad live (weights)."""
AUDIENCE_SHARE = 0.85
"""Creators whose audience the demo delivers at all."""
STALE_SHARE = 0.1
"""Of those, creators whose exports stopped delivering their audience long ago."""
WEEK = 7

BRIEFS = [
    {"brief_id": "B-DK-BEAUTY", "brand": "Nordlys Skincare", "countries": "DK",
     "ages": "18-24;25-34", "genders": "female", "niches": "beauty", "platforms": "",
     "min_followers": "", "max_followers": ""},
    {"brief_id": "B-US-GAMING", "brand": "Pixel Forge", "countries": "US", "ages": "18-24",
     "genders": "", "niches": "gaming", "platforms": "", "min_followers": "",
     "max_followers": ""},
    {"brief_id": "B-GB-FOOD", "brand": "Larder & Co", "countries": "GB;IE",
     "ages": "25-34;35-44", "genders": "", "niches": "food;home",
     "platforms": "instagram;youtube", "min_followers": "5000", "max_followers": "500000"},
]  # fmt: skip
"""The demo's briefs.csv: women aged 18-34 in Denmark for a skincare brand, US gamers aged
18-24, and British and Irish home cooks aged 25-44 on Instagram and YouTube."""


def profile(rng: random.Random, creator: Creator) -> dict[str, dict]:
    """A creator's audience as shares: by country (mostly its own), age and gender (its niche's
    mix, with its own variation)."""
    home = rng.uniform(0.35, 0.75)
    abroad = {k: w * rng.uniform(0.5, 1.5) for k, w in ABROAD.items() if k != creator.country}
    total = sum(abroad.values())
    countries = {creator.country: home} | {k: (1 - home) * w / total for k, w in abroad.items()}
    ages = _jittered(rng, dict(zip(AGES, AGE_MIX[creator.niche], strict=True)), 0.3)
    female = min(0.97, max(0.03, FEMALE_SHARE[creator.niche] + rng.uniform(-0.1, 0.1)))
    genders = {"female": female * (1 - OTHER_SHARE), "male": (1 - female) * (1 - OTHER_SHARE),
               "other": OTHER_SHARE}  # fmt: skip
    return {"country": countries, "age": ages, "gender": genders}


def _jittered(rng: random.Random, shares: dict[str, float], spread: float) -> dict[str, float]:
    varied = {k: v * rng.uniform(1 - spread, 1 + spread) for k, v in shares.items()}
    total = sum(varied.values())
    return {k: v / total for k, v in varied.items()}


def snapshot_days(rng: random.Random, config: DemoConfig) -> list[date]:
    """The days a creator's audience is delivered: weekly from a day of its own, for most
    creators; a few stopped after their first weeks (their latest snapshot goes stale)."""
    if rng.random() >= AUDIENCE_SHARE:
        return []
    days = [config.start + timedelta(days=d) for d in range(rng.randrange(WEEK), config.days, WEEK)]
    if rng.random() < STALE_SHARE:
        return days[: max(1, len(days) // 4)]
    return days


def line(rng: random.Random, creator: Creator, key: str, followers: int, shares: dict) -> str:
    """The creator's audience line in its platform's API shape, the shares drifting a little
    from one delivery to the next."""
    drift = {dimension: _jittered(rng, values, 0.05) for dimension, values in shares.items()}
    return json.dumps(_SHAPES[creator.platform](key, max(followers, 100), drift))


def _instagram(key: str, followers: int, shares: dict) -> dict:
    def breakdown(dimension: str, values: dict[str, float], labels: dict[str, str]) -> dict:
        results = [
            {"dimension_values": [labels.get(bucket, bucket)], "value": round(share * followers)}
            for bucket, share in values.items()
            if round(share * followers) > 0
        ]
        return {
            "name": "follower_demographics",
            "period": "lifetime",
            "title": "Follower demographics",
            "total_value": {"breakdowns": [{"dimension_keys": [dimension], "results": results}]},
        }

    genders = {"female": "F", "male": "M", "other": "U"}
    return {
        "id": key,
        "data": [
            breakdown("country", shares["country"], {}),
            breakdown("age", shares["age"], {}),
            breakdown("gender", shares["gender"], genders),
        ],
    }


def _tiktok(key: str, followers: int, shares: dict) -> dict:
    del followers
    ages = dict(shares["age"])
    ages["18-24"] += ages.pop("13-17")  # the Research API starts at 18-24
    ages["55+"] = ages.pop("55-64") + ages.pop("65+")
    countries = sorted(shares["country"].items(), key=lambda item: -item[1])[:10]
    genders = {"female": "Female", "male": "Male", "other": "Other"}
    return {
        "username": key,
        "audience_countries": [{"country": k, "percentage": round(v, 4)} for k, v in countries],
        "audience_genders": [
            {"gender": genders[k], "percentage": round(v, 4)} for k, v in shares["gender"].items()
        ],
        "audience_ages": [{"age": k, "percentage": round(v, 4)} for k, v in ages.items()],
    }


def _youtube(key: str, followers: int, shares: dict) -> dict:
    ages = {"age65-" if a == "65+" else f"age{a}": s for a, s in shares["age"].items()}
    genders = {"female": "female", "male": "male", "other": "user_specified"}
    rows = [
        [age, genders[gender], round(100 * age_share * gender_share, 2)]
        for age, age_share in ages.items()
        for gender, gender_share in shares["gender"].items()
    ]
    views = followers * 40
    countries = [[k, round(v * views)] for k, v in shares["country"].items() if round(v * views)]
    return {
        "channelId": key,
        "ageGender": {"columnHeaders": ["ageGroup", "gender", "viewerPercentage"], "rows": rows},
        "country": {"columnHeaders": ["country", "views"], "rows": countries},
    }


_SHAPES = {"instagram": _instagram, "tiktok": _tiktok, "youtube": _youtube}
