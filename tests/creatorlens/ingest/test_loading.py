"""Loading into a real DuckDB warehouse: idempotent, restatements, quarantine, rejections."""

import gzip
import os
from pathlib import Path

import pytest

from creatorlens import runs
from creatorlens.ingest.loading import load_exports
from creatorlens.warehouse import SQL_DIR, open_warehouse
from tests.exportfiles import write_export

DAY = "2026-03-10"


def creators(*followers: int) -> list[dict]:
    return [{"username": f"u{i}", "follower_count": f} for i, f in enumerate(followers)]


def rows(con, query: str) -> list[tuple]:
    return con.execute(query).fetchall()


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    return tmp_path / "exports"


@pytest.fixture
def con(tmp_path: Path):
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as connection:
        yield connection


def test_loading_the_same_content_twice_changes_nothing(exports, con):
    write_export(exports / "tiktok" / DAY / "creators.csv", creators(10, 20))
    first = load_exports(con, exports, "run-1")
    before = rows(con, "select * from staging.stg_creator_snapshots order by account_id")
    loads = rows(con, "select count(*) from ops.loads")
    path = exports / "tiktok" / DAY / "creators.csv"
    os.utime(
        path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9)
    )  # touched, same bytes
    second = load_exports(con, exports, "run-2")
    assert first.count("loaded") == 1
    assert second.count("unchanged") == 1
    assert rows(con, "select * from staging.stg_creator_snapshots order by account_id") == before
    assert rows(con, "select count(*) from ops.loads") == loads == [(1,)]


def test_a_changed_file_replaces_its_partition_only(exports, con):
    write_export(exports / "tiktok" / DAY / "creators.csv", creators(10, 20, 30))
    write_export(exports / "tiktok" / "2026-03-09" / "creators.csv", creators(5))
    load_exports(con, exports, "run-1")
    write_export(exports / "tiktok" / DAY / "creators.csv", creators(11))
    report = load_exports(con, exports, "run-2")
    assert [(f.file, f.status) for f in report.files if f.status == "loaded"] == [
        (f"tiktok/{DAY}/creators.csv", "loaded")
    ]
    assert rows(
        con,
        "select snapshot_date::varchar, account_id, followers from staging.stg_creator_snapshots order by 1",
    ) == [("2026-03-09", "u0", 5), (DAY, "u0", 11)]


def test_a_restated_creators_file_reaches_every_as_of_date_whose_90_day_window_holds_it(
    exports, con
):
    """Its counts are followers on its day to its day + 6, and in the authenticity window of
    every as-of date to its day + 89 (design section 9)."""
    write_export(exports / "tiktok" / DAY / "creators.csv", creators(10, 20))
    load_exports(con, exports, "run-1")
    write_export(exports / "tiktok" / DAY / "creators.csv", creators(11, 20))
    load_exports(con, exports, "run-2")
    assert rows(
        con,
        "select distinct first_as_of_date::varchar, (last_as_of_date - first_as_of_date)::int"
        " from ops.changes",
    ) == [(DAY, 89)]  # recorded by both loads: a new day, then its restatement


def test_bad_rows_are_quarantined_with_file_row_field_rule_value_and_good_rows_load(exports, con):
    write_export(
        exports / "tiktok" / DAY / "posts.csv",
        [
            {"id": "1", "username": "a", "create_time": "1773099000", "like_count": "5",
             "comment_count": "1", "share_count": "0", "view_count": "10"},
            {"id": "2", "username": "a", "create_time": "1773099000", "like_count": "-3",
             "comment_count": "1", "share_count": "0", "view_count": "10"},
            {"id": "", "username": "a", "create_time": "1773099000", "like_count": "1",
             "comment_count": "1", "share_count": "0", "view_count": "10"},
            {"id": "4", "username": "a", "create_time": "1773999000", "like_count": "1",
             "comment_count": "1", "share_count": "0", "view_count": "10"},
        ],
    )  # fmt: skip
    report = load_exports(con, exports, "run-1")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 1, 3)
    assert rows(con, "select post_id from staging.stg_post_snapshots") == [("1",)]
    assert rows(
        con, "select file, row_number, field, rule, value from ops.quarantine order by row_number"
    ) == [
        (f"tiktok/{DAY}/posts.csv", 2, "like_count", "non_negative_integer", "-3"),
        (f"tiktok/{DAY}/posts.csv", 3, "id", "not_null", None),
        (
            f"tiktok/{DAY}/posts.csv",
            4,
            "published_date",
            "published_on_or_before_snapshot_date",
            "2026-03-20",
        ),
    ]


def test_duplicate_keys_keep_the_last_row_and_the_count_is_recorded(exports, con):
    write_export(
        exports / "tiktok" / DAY / "creators.csv",
        [*creators(10, 20), {"username": "u0", "follower_count": 12}],
    )
    load_exports(con, exports, "run-1")
    assert rows(
        con, "select followers from staging.stg_creator_snapshots where account_id = 'u0'"
    ) == [(12,)]
    assert rows(con, "select rows_read, rows_loaded, rows_duplicate from ops.loads") == [(3, 2, 1)]


def test_an_unreadable_file_is_rejected_whole_and_other_files_still_load(exports, con):
    good = write_export(exports / "tiktok" / DAY / "creators.csv", creators(10))
    broken = exports / "instagram" / DAY / "creators.jsonl.gz"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(gzip.compress(b'{"id": "1", "followers_count": 5}\n' * 50)[:-20])
    report = load_exports(con, exports, "run-1")
    assert [f.file for f in report.rejected] == [f"instagram/{DAY}/creators.jsonl.gz"]
    assert "gzip" in report.rejected[0].message
    assert rows(con, "select platform, count(*) from staging.stg_creator_snapshots group by 1") == [
        ("tiktok", 1)
    ]
    assert rows(con, "select file, status from ops.loads order by file") == [
        (f"instagram/{DAY}/creators.jsonl.gz", "rejected"),
        (good.relative_to(exports).as_posix(), "loaded"),
    ]


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        ("vimeo/2026-03-10/creators.csv", "unknown platform 'vimeo'"),
        ("tiktok/2026-02-30/creators.csv", "folder '2026-02-30' is not a date"),
        ("tiktok/latest/creators.csv", "folder 'latest' is not a date"),
        ("tiktok/2026-03-10/followers.csv", "unknown file"),
    ],
)
def test_files_outside_the_landing_layout_are_rejected_with_the_reason(
    exports, con, relative, reason
):
    write_export(exports / relative, creators(10))
    report = load_exports(con, exports, "run-1")
    assert [(f.file, reason in f.message) for f in report.rejected] == [(relative, True)]
    assert rows(con, "select count(*) from staging.stg_creator_snapshots") == [(0,)]


def test_a_file_missing_a_required_field_is_rejected(exports, con):
    write_export(exports / "tiktok" / DAY / "creators.csv", [{"username": "a", "followers": 3}])
    report = load_exports(con, exports, "run-1")
    assert "missing required field follower_count" in report.rejected[0].message


def test_roster_loads_and_a_new_roster_replaces_it(exports, con):
    write_export(
        exports / "roster.csv",
        [{"platform": "tiktok", "account_id": "a", "niche": "food", "country": "DK"}],
    )
    load_exports(con, exports, "run-1")
    write_export(
        exports / "roster.csv",
        [{"platform": "tiktok", "account_id": "b", "niche": "tech", "country": ""}],
    )
    load_exports(con, exports, "run-2")
    assert rows(con, "select platform, account_id, niche, country from staging.stg_roster") == [
        ("tiktok", "b", "tech", None)
    ]


def test_rate_cards_with_a_bad_price_or_currency_are_quarantined(exports, con):
    write_export(
        exports / "rate_cards.csv",
        [
            {
                "platform": "tiktok",
                "account_id": "a",
                "price_per_post": "100",
                "currency": "EUR",
                "valid_from": "2026-01-01",
            },
            {
                "platform": "tiktok",
                "account_id": "b",
                "price_per_post": "0",
                "currency": "EUR",
                "valid_from": "2026-01-01",
            },
            {
                "platform": "tiktok",
                "account_id": "c",
                "price_per_post": "-5",
                "currency": "EUR",
                "valid_from": "2026-01-01",
            },
            {
                "platform": "tiktok",
                "account_id": "d",
                "price_per_post": "ten",
                "currency": "EUR",
                "valid_from": "2026-01-01",
            },
            {
                "platform": "tiktok",
                "account_id": "e",
                "price_per_post": "10",
                "currency": "euro",
                "valid_from": "2026-01-01",
            },
            {
                "platform": "vine",
                "account_id": "f",
                "price_per_post": "10",
                "currency": "USD",
                "valid_from": "2026-01-01",
            },
        ],
    )
    load_exports(con, exports, "run-1")
    assert rows(con, "select account_id from staging.stg_rate_cards") == [("a",)]
    assert rows(
        con, "select row_number, field, rule, value from ops.quarantine order by row_number"
    ) == [
        (2, "price_per_post", "greater_than", "0.0"),
        (3, "price_per_post", "greater_than", "-5.0"),
        (4, "price_per_post", "number", "ten"),
        (5, "currency", "str_matches", "euro"),
        (6, "platform", "isin", "vine"),
    ]


def test_a_symlink_to_a_file_outside_the_exports_folder_is_refused(exports, con, tmp_path):
    outside = write_export(tmp_path / "elsewhere" / "creators.csv", creators(10))
    link = exports / "tiktok" / DAY / "creators.csv"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    inside = write_export(exports / ".store" / "creators.csv", creators(5))  # hidden: not an export
    (exports / "tiktok" / "2026-03-09").mkdir()
    (exports / "tiktok" / "2026-03-09" / "creators.csv").symlink_to(inside)
    report = load_exports(con, exports, "run-1")
    assert [(f.file, f.status) for f in report.files if f.file.endswith("creators.csv")] == [
        (f"tiktok/{DAY}/creators.csv", "rejected"),
        ("tiktok/2026-03-09/creators.csv", "loaded"),
    ]
    assert "outside the exports folder" in report.rejected[0].message


def test_an_empty_json_object_line_is_a_row_with_every_field_missing(exports, con):
    path = exports / "tiktok" / DAY / "creators.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text('{"username": "a", "follower_count": 1}\n{}\n')
    report = load_exports(con, exports, "run-1")
    assert (report.rows_loaded, report.rows_quarantined) == (1, 1)
    assert rows(con, "select row_number, field, rule from ops.quarantine order by field") == [
        (2, "follower_count", "not_null"),
        (2, "username", "not_null"),
    ]


@pytest.mark.slow
def test_batches_by_text_size_load_the_same_as_one_batch(tmp_path, monkeypatch):
    """Files batched to hold little text (a file a batch here) give the same tables."""
    from creatorlens.demo import DemoConfig, generate, write  # noqa: PLC0415
    from creatorlens.ingest import loading  # noqa: PLC0415

    write(generate(DemoConfig(creators=60, days=8, seed=3)), tmp_path / "exports")
    tables = ("staging.stg_creator_snapshots", "staging.stg_post_snapshots", "ops.quarantine")
    queries = {t: f"select * exclude (load_id) from {t}" for t in tables if "stg" in t} | {
        "ops.quarantine": "select file, row_number, field, rule, value from ops.quarantine",
        "staging.stg_post_latest": "select * from staging.stg_post_latest",  # posts of 2 days
    }

    def loaded(name: str) -> tuple[int, dict]:
        with open_warehouse(tmp_path / f"{name}.duckdb", migrate=True) as con:
            batches: list[int] = []  # progress is reported once a batch
            report = load_exports(
                con, tmp_path / "exports", "run", lambda done, _: batches.append(done)
            )
            return len(batches), {
                t: rows(con, f"{query} order by all") for t, query in queries.items()
            } | {"rows": report.rows_loaded}

    together_batches, together = loaded("together")
    monkeypatch.setattr(loading, "BATCH_TEXT_BYTES", 1)
    apart_batches, apart = loaded("apart")
    assert apart == together and together["rows"] > 1000
    assert apart_batches > together_batches


def tiktok_post(post_id: str, user: str, created: int, likes: int) -> dict:
    return {"id": post_id, "username": user, "create_time": str(created),
            "like_count": str(likes), "comment_count": "1", "share_count": "0",
            "view_count": "10"}  # fmt: skip


def test_each_posts_latest_snapshot_is_kept_through_new_and_restated_days(exports, con):
    """staging.stg_post_latest, kept at load, equals the same table made from the snapshots
    after new days, a restated latest day (a post gone, one under another account, one with
    another published time), a restated older day, a latest snapshot with no view count
    where the earlier ones had one, and a new day older than all the others."""
    created = 1773099000  # 2026-03-09
    days = {"2026-03-10": 10, "2026-03-11": 20, "2026-03-12": 30}
    for day, likes in days.items():
        write_export(
            exports / "tiktok" / day / "posts.csv",
            [tiktok_post(p, "a", created, likes + i) for i, p in enumerate("12345")],
        )
    load_exports(con, exports, "run-1")
    steps = [
        ("2026-03-12", [tiktok_post("1", "a", created, 99), tiktok_post("2", "b", created, 5),
                        tiktok_post("3", "a", created + 86400, 7), tiktok_post("6", "a", created, 1)]),
        ("2026-03-10", [tiktok_post("4", "c", created, 2), tiktok_post("7", "a", created, 3)]),
        ("2026-03-13", [tiktok_post("5", "a", created, 50) | {"view_count": ""}]),
        ("2026-03-08", [tiktok_post("1", "d", created - 2 * 86400, 1000),
                        tiktok_post("8", "a", created - 2 * 86400, 4)]),  # a day older than all
        ("2026-03-14", [tiktok_post("3", "a", created + 86400, 8)]),  # kept: published 03-09
    ]  # fmt: skip
    rebuilt = (SQL_DIR / "staging" / "stg_post_latest.sql").read_text().split(" as\n", 1)[1]
    for day, posts in steps:
        write_export(exports / "tiktok" / day / "posts.csv", posts)
        load_exports(con, exports, "run")
        kept = rows(con, "select * from staging.stg_post_latest order by all")
        assert kept == rows(con, f"select * from ({rebuilt}) order by all")
    latest = {r[1]: (r[2], r[3].isoformat(), r[5]) for r in kept}
    assert [r[9] for r in kept if r[1] == "5"] == [None]  # views of its latest snapshot
    assert latest == {
        "1": ("a", "2026-03-12", 99),
        "2": ("b", "2026-03-12", 5),
        "3": ("a", "2026-03-14", 8),
        "4": ("a", "2026-03-11", 23),
        "5": ("a", "2026-03-13", 50),
        "6": ("a", "2026-03-12", 1),
        "7": ("a", "2026-03-10", 3),
        "8": ("a", "2026-03-08", 4),
    }
    ranges = {r[1]: (r[10].isoformat(), r[11].isoformat(), r[12], r[13]) for r in kept}
    assert ranges["1"] == ("2026-03-07", "2026-03-09", "a", "d")  # from the older day too
    assert ranges["3"] == ("2026-03-09", "2026-03-10", "a", "a")


def test_posts_without_creators_to_divide_by_or_creators_without_posts_stop_publishing(
    exports, con
):
    """Named with the file to deliver: a day of posts with no creators file that day or in the
    6 days before, a platform with creators and no posts at all. A creators day without posts
    is a day like any other (posts keep their latest snapshot); a missing file that was
    rejected is left to its rejection; published (--allow-partial), a day no longer stops runs;
    a delivered file ends it."""
    created = 1773099000
    post = [tiktok_post("1", "u0", created, 3)]
    write_export(exports / "tiktok" / "2026-03-03" / "creators.csv", creators(10, 20))
    write_export(exports / "tiktok" / "2026-03-09" / "posts.csv", post)  # creators 6 days before
    write_export(exports / "tiktok" / "2026-03-10" / "posts.csv.gz", post)
    write_export(exports / "tiktok" / "2026-03-11" / "creators.csv", creators(11, 21))
    write_export(exports / "youtube" / "2026-03-10" / "creators.jsonl", [{"id": "UC1"}])
    write_export(exports / "instagram" / "2026-03-10" / "posts.csv", [{"id": "p1"}])
    write_export(exports / "instagram" / "2026-03-10" / "creators.csv", [{"id": "1"}])
    report = load_exports(con, exports, "run-1")
    assert report.half_days == [
        "tiktok 2026-03-10: no creators file that day or the 6 days before, for the posts of "
        "tiktok/2026-03-10/posts.csv.gz; deliver creators.csv.gz",
        "youtube 2026-03-10: no posts file on any day; deliver posts.jsonl",
    ]
    problems = report.problems(max_quarantine_share=1.0)
    assert [p.split(":")[0] for p in problems[:2]] == [
        "instagram/2026-03-10/creators.csv", "instagram/2026-03-10/posts.csv",
    ]  # fmt: skip
    assert problems[2:] == report.half_days

    assert load_exports(con, exports, "run-2").half_days == report.half_days  # still lacking
    write_export(exports / "tiktok" / "2026-03-10" / "creators.csv", creators(10, 20))
    assert load_exports(con, exports, "run-3").half_days == report.half_days[1:]
    runs.start_run(con, "run-4", "nightly", {})
    runs.finish_run(con, runs.RunEnd("run-4", "completed"))  # youtube published as it is
    assert load_exports(con, exports, "run-5").half_days == []
