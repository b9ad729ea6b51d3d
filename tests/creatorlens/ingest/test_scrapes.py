"""Scrapes imported into the landing layout, then loaded as any export is: hand-written files
shaped like the public scrapes (a BOM, CRLF, quoted newlines, columns in another order,
counts like 304.9K and 475.8m, local times without an offset, many days in one file)."""

import re
from datetime import date
from pathlib import Path

import pytest

from creatorlens.errors import CreatorlensError
from creatorlens.ingest.loading import load_exports
from creatorlens.ingest.scrapes import import_scrape, scrape_format
from creatorlens.warehouse import open_warehouse
from tests.clirun import creatorlens

TIKTOK_HEADER = (
    "user_name,user_nfollower,vid_id,vid_caption,vid_postTime,vid_scrapeTime,vid_duration,"
    "vid_nview,vid_nlike,vid_ncomment,vid_nshare,vid_nsave,vid_hashtags,music_nused\n"
)
TIKTOK_ROWS = (
    'trang,304.9K,7506832682593094928,"Giấc mơ 🤷🏻\nphần 2",2025-05-21 09:44:45,'
    '2025-05-29 15:38:41,00:31,541.2K,21.9K,454,742,1098,"xuhuong, trend",3 videos\n'
    "ongsau,17.4K,7507991840340135186,,2025-05-24 12:42:52,2025-05-29 15:39:47,01:05,1.4M,"
    "27.7K,,10.2K,5047,,44 videos\n"
    "trang,301.2K,7492318870162787591,cap,2025-04-12 07:03:45,2025-05-18 06:10:00,01:00,"
    "553.6K,38.9K,258,752,3635,,302 videos\n"
    "linh,,7497123500767857938,x,2025-04-25 05:48:10,2025-05-18 21:41:19,00:11,479.5K,12.5K,"
    "748,4155,725,,4 videos\n"
)
RECRAWL = (  # another order of columns, and a BOM
    "\ufeffuser_name,user_nfollower,vid_id,vid_caption,vid_scrapeTime,vid_postTime,vid_nview,"
    "vid_nlike,vid_ncomment,vid_nshare,vid_nsave\n"
    "trang,305.4K,7506832682593094928,c,2025-06-06 10:16:49,2025-05-21 09:44:45,778.1K,30K,"
    "657,1161,1716\n"
)
TRENDING = (  # CRLF, a description over two lines, midnight-UTC trending dates
    "video_id,title,publishedAt,channelId,channelTitle,trending_date,view_count,likes,"
    "dislikes,comment_count,description\r\n"
    "3C66w5Z0ixs,Girlfriend,2020-08-11T19:20:14Z,UCvtR,Brawadis,2020-08-12T00:00:00Z,1514614,"
    '156908,5855,35313,"SUBSCRIBE\r\nnow"\r\n'
    "3C66w5Z0ixs,Girlfriend,2020-08-11T19:20:14Z,UCvtR,Brawadis,2020-08-13T00:00:00Z,2038853,"
    "160001,5900,35999,x\r\n"
)
PROFILES = (  # a BOM, CRLF, lower-case suffixes, a name with spaces
    "\ufeffrank,channel_info,influence_score,posts,followers,avg_likes,60d_eng_rate,"
    "new_post_avg_like,total_likes,country\r\n"
    "1,cristiano,92,3.3k,475.8m,8.7m,1.39%,6.5m,29.0b,Spain\r\n"
    "2,5-Minute Crafts GIRLY,70,0.01k,32.8m,0.00,NaN%,0.00,1.2b,NaN\r\n"
)
TZ = "Asia/Ho_Chi_Minh"


def scrape(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode())
    return folder / name


@pytest.fixture
def warehouse(tmp_path: Path):
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        yield con


def rows(con, query: str) -> list[tuple]:
    return con.execute(query).fetchall()


def test_a_tiktok_scrape_of_many_days_loads_as_daily_creators_and_posts(tmp_path, warehouse):
    exports = tmp_path / "exports"
    raw = scrape(tmp_path / "scrapes", "raw_data.csv", TIKTOK_HEADER + TIKTOK_ROWS)
    imported = import_scrape(raw, scrape_format("tiktok-videos"), exports, time_zone=TZ, day=None)
    assert imported.days == [date(2025, 5, 17), date(2025, 5, 18), date(2025, 5, 29)]
    assert imported.rows == {"creators": 4, "posts": 4}
    report = load_exports(warehouse, exports, "run-1")
    assert report.count("rejected") == 0
    assert report.rows_quarantined == 1  # linh's empty follower count: required
    assert report.half_days == []
    assert rows(
        warehouse,
        "select snapshot_date::varchar, account_id, followers from staging.stg_creator_snapshots "
        "order by all",
    ) == [
        ("2025-05-17", "trang", 301200),  # 06:10 in UTC+7 is the day before in UTC
        ("2025-05-29", "ongsau", 17400),
        ("2025-05-29", "trang", 304900),
    ]
    posts = "select post_id, snapshot_date::varchar, published_at::varchar, likes, comments, "
    posts += "shares, views from staging.stg_post_snapshots order by all"
    assert rows(warehouse, posts) == [
        ("7492318870162787591", "2025-05-17", "2025-04-12 00:03:45", 38900, 258, 752, 553600),
        ("7497123500767857938", "2025-05-18", "2025-04-24 22:48:10", 12500, 748, 4155, 479500),
        ("7506832682593094928", "2025-05-29", "2025-05-21 02:44:45", 21900, 454, 742, 541200),
        ("7507991840340135186", "2025-05-29", "2025-05-24 05:42:52", 27700, None, 10200, 1400000),
    ]

    recrawl = scrape(tmp_path / "scrapes", "recrawled.csv", RECRAWL)
    import_scrape(recrawl, scrape_format("tiktok-videos"), exports, time_zone=TZ, day=None)
    again = load_exports(warehouse, exports, "run-2")
    assert [f.file for f in again.files if f.status == "loaded"] == [
        "tiktok/2025-06-06/creators.csv", "tiktok/2025-06-06/posts.csv",
    ]  # fmt: skip
    assert rows(warehouse, "select likes from staging.stg_post_snapshots where snapshot_date = "
                "'2025-06-06'") == [(30000,)]  # fmt: skip


def test_a_second_scrape_of_a_day_adds_to_it_and_restates_the_rows_it_scraped_again(tmp_path):
    exports = tmp_path / "exports"
    scrapes = tmp_path / "scrapes"
    first = scrape(scrapes, "a.csv", TIKTOK_HEADER + TIKTOK_ROWS)
    import_scrape(first, scrape_format("tiktok-videos"), exports, time_zone=TZ, day=None)
    later = TIKTOK_HEADER + (
        "trang,306K,7506832682593094928,c,2025-05-21 09:44:45,2025-05-29 20:00:00,00:31,600K,"
        "22K,460,750,1100,,3 videos\n"
        "mai,1.1K,111,c,2025-05-28 09:00:00,2025-05-29 20:01:00,00:10,10,1,0,0,0,,1 videos\n"
    )
    import_scrape(scrape(scrapes, "b.csv", later), scrape_format("tiktok-videos"), exports,
                  time_zone=TZ, day=None)  # fmt: skip
    day = (exports / "tiktok" / "2025-05-29" / "creators.csv").read_text().splitlines()
    assert sorted(day[1:]) == ["mai,1100", "ongsau,17400", "trang,306000"]


def test_trending_videos_load_as_posts_and_the_run_names_the_creators_file_to_deliver(
    tmp_path, warehouse
):
    exports = tmp_path / "exports"
    trending = scrape(tmp_path / "scrapes", "US_youtube_trending_data.csv", TRENDING)
    imported = import_scrape(
        trending, scrape_format("youtube-trending"), exports, time_zone=None, day=None
    )
    assert imported.days == [date(2020, 8, 12), date(2020, 8, 13)]
    report = load_exports(warehouse, exports, "run-1")
    assert rows(
        warehouse, "select snapshot_date::varchar, views, likes, comments from "
        "staging.stg_post_snapshots order by 1",
    ) == [("2020-08-12", 1514614, 156908, 35313), ("2020-08-13", 2038853, 160001, 35999)]  # fmt: skip
    assert report.half_days == [
        f"youtube 2020-08-{d}: no creators file that day or the 6 days before, for the posts of "
        f"youtube/2020-08-{d}/posts.csv; deliver creators.csv"
        for d in (12, 13)
    ]


def test_an_undated_profile_scrape_loads_on_the_day_given(tmp_path, warehouse):
    exports = tmp_path / "exports"
    profiles = scrape(tmp_path / "scrapes", "top_insta_influencers_data.csv", PROFILES)
    import_scrape(
        profiles, scrape_format("instagram-profiles"), exports, time_zone=None, day=date(2022, 6, 1)
    )
    load_exports(warehouse, exports, "run-1")
    assert rows(
        warehouse, "select account_id, handle, followers from staging.stg_creator_snapshots "
        "order by followers desc",
    ) == [("cristiano", "cristiano", 475800000), ("5-Minute Crafts GIRLY", "5-Minute Crafts GIRLY", 32800000)]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "text", "options", "message"),
    [
        ("tiktok-videos", TIKTOK_HEADER, {}, "--time-zone: the tiktok-videos format's times carry"),
        ("tiktok-videos", TIKTOK_HEADER, {"time_zone": "Asia/Saigon City"}, "--time-zone Asia/Saigon City: no such time zone"),
        ("tiktok-videos", TIKTOK_HEADER, {"time_zone": TZ, "day": date(2025, 5, 1)}, "--date: a tiktok-videos file dates each row by vid_scrapeTime"),
        ("instagram-profiles", PROFILES, {}, "--date: a instagram-profiles file is one undated snapshot"),
        ("youtube-trending", PROFILES, {}, "lacks the youtube-trending format's column(s) channelId, comment_count"),
        ("tiktok-videos", "\x00\xff", {"time_zone": TZ}, "lacks the tiktok-videos format's column(s)"),
    ],
    ids=["no-time-zone", "bad-time-zone", "date-of-dated", "no-date", "other-format", "binary"],
)  # fmt: skip
def test_a_scrape_that_cannot_be_imported_names_the_option_or_file(
    tmp_path, name, text, options, message
):
    file = scrape(tmp_path / "scrapes", "s.csv", text)
    with pytest.raises(CreatorlensError, match=re.escape(message)):
        import_scrape(file, scrape_format(name), tmp_path / "exports",
                      **({"time_zone": None, "day": None} | options))  # fmt: skip
    assert not (tmp_path / "exports").exists()


def test_a_day_delivered_by_the_platform_api_is_not_overwritten(tmp_path):
    exports = tmp_path / "exports"
    (exports / "tiktok" / "2025-05-29").mkdir(parents=True)
    (exports / "tiktok" / "2025-05-29" / "posts.jsonl").write_text("{}\n")
    file = scrape(tmp_path / "scrapes", "s.csv", TIKTOK_HEADER + TIKTOK_ROWS)
    with pytest.raises(CreatorlensError, match=r"posts\.jsonl: already delivered for that day"):
        import_scrape(file, scrape_format("tiktok-videos"), exports, time_zone=TZ, day=None)


def test_the_cli_imports_with_the_time_zone_setting_of_the_format(tmp_path):
    file = scrape(tmp_path / "scrapes", "raw.csv", TIKTOK_HEADER + TIKTOK_ROWS)
    done = creatorlens(
        "import-scrape", str(file), "--format", "tiktok-videos", "--exports", "exports",
        cwd=tmp_path, CREATORLENS_SCRAPE_TIME_ZONES=f'{{"tiktok-videos": "{TZ}"}}',
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        f"imported {file} (tiktok-videos): 3 days (2025-05-17 to 2025-05-29), "
        "4 creator snapshots, 4 post snapshots, into exports/tiktok."
    )
    refused = creatorlens("import-scrape", str(file), "--format", "tiktok", cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: --format tiktok: no such scrape format; use one of")
    assert len(refused.stderr.splitlines()) == 1
