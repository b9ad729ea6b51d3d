from datetime import date

import polars as pl
from polars.testing import assert_frame_equal

from creatorlens.schemas.scrapes import SCRAPE_FORMATS, ScrapeKind
from creatorlens.transforms.scrapes import counts, snapshots, times


def test_counts_read_plain_and_abbreviated_values_in_either_case():
    delivered = ["1991", "304.9K", "1.4M", "475.8m", "29.0b", "0.89k", "30K", ".5k", " 12,345 ",
                 "0.00", "", None, "12.3X", "3669 videos", "NaN"]  # fmt: skip
    expected = ["1991", "304900", "1400000", "475800000", "29000000000", "890", "30000", "500",
                "12345", "0", "", None, "12.3X", "3669 videos", "NaN"]  # fmt: skip
    frame = pl.DataFrame({"v": delivered}, schema={"v": pl.String})
    assert frame.select(counts(pl.col("v")))["v"].to_list() == expected


def test_local_times_are_read_in_the_sources_time_zone_and_iso_times_by_their_offset():
    local = pl.DataFrame(
        {"v": ["2025-05-21 09:44:45", "2025-05-21T00:30:00", "2025-05-21 07:00", "x"]}
    )
    in_utc = local.select(times(pl.col("v"), ScrapeKind.LOCAL_TIME, "Asia/Ho_Chi_Minh"))["v"]
    assert [t and t.isoformat() for t in in_utc] == [
        "2025-05-21T02:44:45+00:00", "2025-05-20T17:30:00+00:00", "2025-05-21T00:00:00+00:00", None,
    ]  # fmt: skip
    iso = pl.DataFrame(
        {"v": ["2020-08-12T00:00:00Z", "2026-11-20T18:10:00+0000", "2026-11-20T01:10:00+07:00"]}
    )
    in_utc = iso.select(times(pl.col("v"), ScrapeKind.ISO_TIME, None))["v"]
    assert [t.isoformat() for t in in_utc] == [
        "2020-08-12T00:00:00+00:00", "2026-11-20T18:10:00+00:00", "2026-11-19T18:10:00+00:00",
    ]  # fmt: skip


def video(user: str, followers: str, vid: str, likes: str, scraped: str) -> dict:
    return {"user_name": user, "user_nfollower": followers, "vid_id": vid,
            "vid_postTime": "2025-05-01 08:00:00", "vid_scrapeTime": scraped, "vid_nview": "1.2K",
            "vid_nlike": likes, "vid_ncomment": "3", "vid_nshare": "", "vid_nsave": "9"}  # fmt: skip


def test_a_scrape_of_many_days_becomes_each_days_latest_row_per_creator_and_post():
    """Days by the UTC date of the scrape time: 06:30 local (UTC+7) on 05-29 is 05-28 in UTC.
    A creator scraped twice a day keeps the later row; a row scraped at an unreadable time is
    left out, counted."""
    rows = pl.DataFrame(
        [
            video("ana", "10.1K", "v1", "100", "2025-05-29 06:30:00"),  # 05-28 UTC
            video("ana", "10.2K", "v2", "5", "2025-05-29 15:00:00"),
            video("ana", "10.3K", "v1", "120", "2025-05-29 16:00:00"),
            video("bo", "2039", "v3", "1.5k", "2025-05-29 15:30:00"),
            video("bo", "2040", "v3", "1.6k", "2025-05-29 14:00:00"),  # earlier, listed later
            video("cy", "7", "v4", "1", "not a time"),
        ]
    )
    split = snapshots(
        rows, SCRAPE_FORMATS["tiktok-videos"], time_zone="Asia/Ho_Chi_Minh", day=None,
        unix={"create_time"},
    )  # fmt: skip
    assert split.unplaced == 1
    assert sorted(split.frames) == [
        ("creators", date(2025, 5, 28)), ("creators", date(2025, 5, 29)),
        ("posts", date(2025, 5, 28)), ("posts", date(2025, 5, 29)),
    ]  # fmt: skip
    assert_frame_equal(
        split.frames[("creators", date(2025, 5, 29))].sort("username"),
        pl.DataFrame({"username": ["ana", "bo"], "follower_count": ["10300", "2039"]}),
    )
    assert_frame_equal(
        split.frames[("posts", date(2025, 5, 29))].sort("id"),
        pl.DataFrame(
            {
                "id": ["v1", "v2", "v3"],
                "username": ["ana", "ana", "bo"],
                "create_time": ["1746061200"] * 3,  # 2025-05-01 01:00 UTC
                "like_count": ["120", "5", "1500"],
                "comment_count": ["3"] * 3,
                "share_count": [""] * 3,  # as delivered: loading decides
                "view_count": ["1200"] * 3,
            }
        ),
    )
    assert split.frames[("creators", date(2025, 5, 28))]["follower_count"].to_list() == ["10100"]


def test_an_undated_scrape_is_one_snapshot_on_the_day_given():
    rows = pl.DataFrame(
        {"rank": ["1", "2"], "channel_info": ["cristiano", "5-Minute Crafts GIRLY"],
         "followers": ["475.8m", "32.8M"], "posts": ["3.3k", "0.01k"], "country": ["Spain", "NaN"]}
    )  # fmt: skip
    day = date(2022, 6, 1)
    split = snapshots(
        rows, SCRAPE_FORMATS["instagram-profiles"], time_zone=None, day=day, unix=set()
    )
    assert list(split.frames) == [("creators", day)]
    assert split.frames[("creators", day)].rows() == [
        ("cristiano", "cristiano", "475800000", "3300"),
        ("5-Minute Crafts GIRLY", "5-Minute Crafts GIRLY", "32800000", "10"),
    ]
