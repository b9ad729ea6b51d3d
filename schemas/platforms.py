"""Platform adapters: every platform's field names, types and quirks, declared in one place.

A new platform (or a new export of one) is a new declaration here; the loader, the pandera
raw schemas and the staging transforms read these declarations and know no platform names.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from creatorlens.schemas.audience import (
    INSTAGRAM_AUDIENCE,
    TIKTOK_AUDIENCE,
    YOUTUBE_AUDIENCE,
    AudienceSpec,
)


class Kind(StrEnum):
    """How a delivered value is read (every value arrives as text)."""

    ID = "id"
    TEXT = "text"
    COUNT = "count"
    BOOLEAN = "boolean"
    AMOUNT = "amount"
    DATE = "date"
    ISO_TIMESTAMP = "iso_timestamp"
    UNIX_SECONDS = "unix_seconds"
    LIST = "list"
    """Values separated by `;` (surrounding spaces and empty values dropped; empty: none)."""


@dataclass(frozen=True)
class SourceField:
    """One delivered field (dots for nesting) and the staging column it becomes."""

    source: str
    target: str
    kind: Kind
    required: bool = False
    """The file must have this field at all; otherwise the whole file is rejected."""
    nullable: bool = True
    """A row may leave the field empty; otherwise that row is quarantined."""


@dataclass(frozen=True)
class EntitySpec:
    """How one platform delivers one entity (creators or posts)."""

    fields: tuple[SourceField, ...]

    def field(self, target: str) -> SourceField | None:
        """The field that fills staging column `target`, if the platform delivers one."""
        return next((f for f in self.fields if f.target == target), None)


@dataclass(frozen=True)
class PlatformAdapter:
    """A platform's creators, posts and audience exports."""

    platform: str
    creators: EntitySpec
    posts: EntitySpec
    audience: AudienceSpec

    def entity(self, name: str) -> EntitySpec:
        """The spec of entity `name` ('creators', 'posts' or 'audience': an audience line's
        buckets, one row each, as creatorlens.ingest.files lays them out)."""
        return {"creators": self.creators, "posts": self.posts, "audience": AUDIENCE_ROWS}[name]


ENTITIES = ("creators", "posts", "audience")

AUDIENCE_ROWS = EntitySpec(
    (
        SourceField("account_id", "account_id", Kind.ID, required=True, nullable=False),
        SourceField("dimension", "dimension", Kind.TEXT, required=True, nullable=False),
        SourceField("label", "label", Kind.TEXT, required=True),
        SourceField("gender_label", "gender_label", Kind.TEXT, required=True),
        SourceField("value", "value", Kind.AMOUNT, required=True),
    )
)
"""An audience line's buckets, one row each (dimension, the bucket's label as delivered, the
gender label of a joint age-and-gender cell, the value), with the line's creator key: the
platform's layout of the line is its AudienceSpec (schemas.audience)."""

FUTURE_DAYS = 1
"""A snapshot folder may be dated this many days after today's UTC date (an export of a time
zone ahead of UTC), no later: a later one is a typo, and as a snapshot date it would become
the latest one, the date a nightly run computes and publishes."""


def _key(source: str, target: str, kind: Kind = Kind.ID) -> SourceField:
    return SourceField(source, target, kind, required=True, nullable=False)


INSTAGRAM = PlatformAdapter(
    platform="instagram",
    # Graph API IG User and IG Media; saved, shares and views are optional insights.
    creators=EntitySpec(
        (
            _key("id", "account_id"),
            SourceField("username", "handle", Kind.TEXT),
            SourceField("followers_count", "followers", Kind.COUNT, required=True, nullable=False),
        )
    ),
    posts=EntitySpec(
        (
            _key("id", "post_id"),
            _key("owner.id", "account_id"),
            _key("timestamp", "published_at", Kind.ISO_TIMESTAMP),
            SourceField("like_count", "likes", Kind.COUNT, required=True),
            SourceField("comments_count", "comments", Kind.COUNT, required=True),
            SourceField("shares", "shares", Kind.COUNT),
            SourceField("saved", "saves", Kind.COUNT),
            SourceField("views", "views", Kind.COUNT),
        )
    ),
    audience=INSTAGRAM_AUDIENCE,
)

TIKTOK = PlatformAdapter(
    platform="tiktok",
    # Research API user info and video objects; a user's key is the username.
    creators=EntitySpec(
        (
            _key("username", "account_id"),
            SourceField("username", "handle", Kind.TEXT),
            SourceField("follower_count", "followers", Kind.COUNT, required=True, nullable=False),
        )
    ),
    posts=EntitySpec(
        (
            _key("id", "post_id"),
            _key("username", "account_id"),
            _key("create_time", "published_at", Kind.UNIX_SECONDS),
            SourceField("like_count", "likes", Kind.COUNT, required=True),
            SourceField("comment_count", "comments", Kind.COUNT, required=True),
            SourceField("share_count", "shares", Kind.COUNT, required=True),
            SourceField("view_count", "views", Kind.COUNT, required=True),
        )
    ),
    audience=TIKTOK_AUDIENCE,
)

YOUTUBE = PlatformAdapter(
    platform="youtube",
    # Data API Channel and Video resources: counts are strings; a hidden subscriber count
    # and hidden like or comment counts are simply left out.
    creators=EntitySpec(
        (
            _key("id", "account_id"),
            SourceField("snippet.title", "handle", Kind.TEXT),
            SourceField("statistics.subscriberCount", "followers", Kind.COUNT),
            SourceField("statistics.hiddenSubscriberCount", "is_followers_hidden", Kind.BOOLEAN),
        )
    ),
    posts=EntitySpec(
        (
            _key("id", "post_id"),
            _key("snippet.channelId", "account_id"),
            _key("snippet.publishedAt", "published_at", Kind.ISO_TIMESTAMP),
            SourceField("statistics.likeCount", "likes", Kind.COUNT),
            SourceField("statistics.commentCount", "comments", Kind.COUNT),
            SourceField("statistics.viewCount", "views", Kind.COUNT, required=True),
        )
    ),
    audience=YOUTUBE_AUDIENCE,
)

ADAPTERS: dict[str, PlatformAdapter] = {a.platform: a for a in (INSTAGRAM, TIKTOK, YOUTUBE)}

Platform = Literal[tuple(ADAPTERS)]
"""A platform's name, as flow parameters take it (an enum in Prefect's parameter form)."""

# The agency's own files at the top of the landing folder (design section 2).
AGENCY_SPECS: dict[str, EntitySpec] = {
    "roster": EntitySpec(
        (
            _key("platform", "platform"),
            _key("account_id", "account_id"),
            SourceField("niche", "niche", Kind.TEXT, required=True),
            SourceField("country", "country", Kind.TEXT, required=True),
        )
    ),
    "rate_cards": EntitySpec(
        (
            _key("platform", "platform"),
            _key("account_id", "account_id"),
            _key("price_per_post", "price_per_post", Kind.AMOUNT),
            _key("currency", "currency"),
            _key("valid_from", "valid_from", Kind.DATE),
        )
    ),
    "fx_rates": EntitySpec(
        (
            _key("currency", "currency"),
            _key("usd_per_unit", "usd_per_unit", Kind.AMOUNT),
            _key("valid_from", "valid_from", Kind.DATE),
        )
    ),
    # a brand's campaigns and the fee agreed with each creator (design section 8)
    "campaigns": EntitySpec(
        (
            _key("campaign_id", "campaign_id"),
            SourceField("brand", "brand", Kind.TEXT, required=True),
            SourceField("name", "campaign_name", Kind.TEXT, required=True),
            _key("start_date", "start_date", Kind.DATE),
            _key("end_date", "end_date", Kind.DATE),
        )
    ),
    # a brand's target audience (design section 10): lists are ;-separated canonical values
    "briefs": EntitySpec(
        (
            _key("brief_id", "brief_id"),
            SourceField("brand", "brand", Kind.TEXT, required=True),
            SourceField("countries", "countries", Kind.LIST, required=True),
            SourceField("ages", "ages", Kind.LIST, required=True),
            SourceField("genders", "genders", Kind.LIST, required=True),
            SourceField("niches", "niches", Kind.LIST, required=True),
            SourceField("platforms", "platforms", Kind.LIST, required=True),
            SourceField("min_followers", "min_followers", Kind.COUNT, required=True),
            SourceField("max_followers", "max_followers", Kind.COUNT, required=True),
        )
    ),
    "campaign_creators": EntitySpec(
        (
            _key("campaign_id", "campaign_id"),
            _key("platform", "platform"),
            _key("account_id", "account_id"),
            _key("fee", "fee", Kind.AMOUNT),
            _key("currency", "currency"),
        )
    ),
}

DATED_SPECS: dict[str, EntitySpec] = {
    # results/<YYYY-MM-DD>/results.<ext>: a day's campaign results per creator, as a brand's
    # link tracking, promo codes or affiliate network export them
    "results": EntitySpec(
        (
            _key("campaign_id", "campaign_id"),
            _key("platform", "platform"),
            _key("account_id", "account_id"),
            SourceField("clicks", "clicks", Kind.COUNT, required=True),
            SourceField("signups", "signups", Kind.COUNT, required=True),
            SourceField("purchases", "purchases", Kind.COUNT, required=True),
            SourceField("revenue", "revenue", Kind.AMOUNT, required=True),
            SourceField("currency", "currency", Kind.TEXT, required=True),
        )
    ),
}
"""Files of one date that belong to no platform: <entity>/<YYYY-MM-DD>/<entity>.<ext>."""
