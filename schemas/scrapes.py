"""Scrape formats: the shapes scraping tools export, declared beside the platform APIs' shapes.

A scrape is not an export of design section 2: one file may hold many days, creators and posts
in the same rows, counts abbreviated as people read them (`304.9K`, `475.8m`) and timestamps in
the scraper's local time without an offset. `creatorlens import-scrape` turns one into the
landing layout, a file per platform, entity and day in the platform API's own field names, which
the platform's adapter (schemas.platforms) then loads with every check. A new scraping tool is a
new declaration here.
"""

from dataclasses import dataclass
from enum import StrEnum


class ScrapeKind(StrEnum):
    """How a scraped value is read."""

    TEXT = "text"
    """As it is (keys, names)."""
    COUNT = "count"
    """A count, plain (`1991`, `12,345`) or abbreviated with K, M or B in either case
    (`304.9K`, `0.89k`, `475.8m`, `29.0b`)."""
    LOCAL_TIME = "local_time"
    """`YYYY-MM-DD HH:MM:SS` without an offset, in the source's time zone (a setting)."""
    ISO_TIME = "iso_time"
    """ISO 8601 with an offset or `Z`."""


@dataclass(frozen=True)
class ScrapeColumn:
    """A scraped column and the platform API field it becomes."""

    source: str
    target: str
    kind: ScrapeKind = ScrapeKind.TEXT


@dataclass(frozen=True)
class ScrapeFormat:
    """One scraping tool's file: the platform, the columns that make each entity, and the
    column whose time is each row's snapshot (none: the file is one snapshot, dated by the
    `--date` of the import)."""

    name: str
    platform: str
    about: str
    creators: tuple[ScrapeColumn, ...] = ()
    posts: tuple[ScrapeColumn, ...] = ()
    snapshot_time: ScrapeColumn | None = None

    @property
    def entities(self) -> dict[str, tuple[ScrapeColumn, ...]]:
        """The entities the file holds, with their columns (the key column first)."""
        return {
            e: columns
            for e, columns in (("creators", self.creators), ("posts", self.posts))
            if columns
        }

    @property
    def kinds(self) -> set[ScrapeKind]:
        """Every kind of value the format reads."""
        columns = [c for cs in self.entities.values() for c in cs]
        return {c.kind for c in [*columns, *([self.snapshot_time] if self.snapshot_time else [])]}


SCRAPE_FORMATS: dict[str, ScrapeFormat] = {
    f.name: f
    for f in (
        ScrapeFormat(
            name="tiktok-videos",
            platform="tiktok",
            about="a row per video with its creator's follower count, scraped over days "
            "(user_name, user_nfollower, vid_id, vid_postTime, vid_scrapeTime, vid_n...)",
            creators=(
                ScrapeColumn("user_name", "username"),
                ScrapeColumn("user_nfollower", "follower_count", ScrapeKind.COUNT),
            ),
            posts=(
                ScrapeColumn("vid_id", "id"),
                ScrapeColumn("user_name", "username"),
                ScrapeColumn("vid_postTime", "create_time", ScrapeKind.LOCAL_TIME),
                ScrapeColumn("vid_nlike", "like_count", ScrapeKind.COUNT),
                ScrapeColumn("vid_ncomment", "comment_count", ScrapeKind.COUNT),
                ScrapeColumn("vid_nshare", "share_count", ScrapeKind.COUNT),
                ScrapeColumn("vid_nview", "view_count", ScrapeKind.COUNT),
            ),
            snapshot_time=ScrapeColumn("vid_scrapeTime", "scraped_at", ScrapeKind.LOCAL_TIME),
        ),
        ScrapeFormat(
            name="instagram-profiles",
            platform="instagram",
            about="a row per account from an influencer-analytics site, one undated snapshot "
            "(channel_info, followers, posts, ...): creators only, keyed by username",
            creators=(
                ScrapeColumn("channel_info", "id"),
                ScrapeColumn("channel_info", "username"),
                ScrapeColumn("followers", "followers_count", ScrapeKind.COUNT),
                ScrapeColumn("posts", "media_count", ScrapeKind.COUNT),
            ),
        ),
        ScrapeFormat(
            name="youtube-trending",
            platform="youtube",
            about="a row per trending video per day, from the Data API (video_id, channelId, "
            "publishedAt, trending_date, view_count, likes, comment_count): posts only",
            posts=(
                ScrapeColumn("video_id", "id"),
                ScrapeColumn("channelId", "snippet.channelId"),
                ScrapeColumn("publishedAt", "snippet.publishedAt", ScrapeKind.ISO_TIME),
                ScrapeColumn("view_count", "statistics.viewCount", ScrapeKind.COUNT),
                ScrapeColumn("likes", "statistics.likeCount", ScrapeKind.COUNT),
                ScrapeColumn("comment_count", "statistics.commentCount", ScrapeKind.COUNT),
            ),
            snapshot_time=ScrapeColumn("trending_date", "trending_at", ScrapeKind.ISO_TIME),
        ),
    )
}
