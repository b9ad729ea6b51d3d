"""The CLI as a person uses it: real processes, real files, one-line errors."""

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import polars as pl
import pytest

from creatorlens.schemas import declared
from creatorlens.schemas.authenticity_rules import DECLARED
from tests.clirun import creatorlens

pytestmark = pytest.mark.slow  # seconds a test, not milliseconds: out of `make fast`


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["run", "--exports", "nowhere"], {}, "exports folder nowhere does not exist"),
        (
            ["run"],
            {"CREATORLENS_MAX_QUARANTINE_SHARE": "lots"},
            "CREATORLENS_MAX_QUARANTINE_SHARE:",
        ),
        (["run", "--max-quarantine-share", "2"], {}, "option --max-quarantine-share:"),
        (
            ["run"],
            {"CREATORLENS_DUCKDB_MEMORY_LIMIT": "lots"},
            "CREATORLENS_DUCKDB_MEMORY_LIMIT: 'lots' is not a size",
        ),
        (
            ["backfill", "--start", "2026-11-01", "--end", "2026-11-02"],
            {"CREATORLENS_DUCKDB_LOAD_MEMORY_LIMIT": "2 big"},
            "CREATORLENS_DUCKDB_LOAD_MEMORY_LIMIT: '2 big' is not a size",
        ),
        (["run", "--tier-scheme", "galactic"], {}, "unknown tier scheme 'galactic'"),
    ],
)
def test_user_errors_are_one_line_and_exit_non_zero(tmp_path, args, env, message):
    (tmp_path / "data" / "exports").mkdir(parents=True)
    result = creatorlens(*args, cwd=tmp_path, PREFECT_HOME=str(tmp_path / "prefect"), **env)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1


def test_backfill_checks_its_dates_and_platforms_before_starting(tmp_path):
    (tmp_path / "data" / "exports").mkdir(parents=True)
    bad_date = creatorlens("backfill", "--start", "2026-02-30", "--end", "2026-03-01", cwd=tmp_path)
    assert bad_date.returncode == 2 and "2026-02-30" in bad_date.stderr
    bad_platform = creatorlens(
        "backfill",
        "--start",
        "2026-03-01",
        "--end",
        "2026-03-02",
        "--platform",
        "myspace",
        cwd=tmp_path,
    )
    assert bad_platform.returncode == 1
    assert "error: platforms: unknown myspace" in bad_platform.stderr


@pytest.fixture(scope="module")
def ran(tmp_path_factory, prefect_api) -> tuple[Path, subprocess.CompletedProcess]:
    """A folder where `demo` wrote a sample and `run` published its marts, and run's output."""
    folder = tmp_path_factory.mktemp("ran")
    demo = creatorlens("demo", "--creators", "90", "--days", "10", "--seed", "5", cwd=folder)
    assert demo.returncode == 0, demo.stderr
    assert (folder / "data" / "exports" / "roster.csv").exists()
    run = creatorlens("run", "--verbose", cwd=folder, PREFECT_API_URL=prefect_api)
    assert run.returncode == 0, run.stderr
    return folder, run


def marts_of(folder: Path) -> list[tuple]:
    with duckdb.connect(str(folder / "data" / "creatorlens.duckdb"), read_only=True) as con:
        return con.execute("select * from marts.creator_daily_metrics order by all").fetchall()


def test_demo_then_run_publishes_marts_and_prints_a_summary(ran):
    folder, run = ran
    assert "creatorlens nightly" in run.stdout and "as of 2026-11-20" in run.stdout
    for platform in ("instagram", "tiktok", "youtube"):
        assert f"Top {platform} creators per tier by cost per engagement" in run.stdout
    assert "leaked" not in run.stderr and "Traceback" not in run.stderr
    files = sum(1 for path in (folder / "data" / "exports").rglob("*") if path.is_file())
    assert files > 63  # the platforms' 60, the agency's files and the campaign results
    assert f"read {files} of {files} new files" in run.stderr  # progress while files are read
    assert "Campaign results by tier, all campaigns" in run.stdout
    assert "by cost per engagement from its audience" in run.stdout  # a brief's best creators
    assert len(marts_of(folder)) == 90
    header = next(line for line in run.stdout.splitlines() if "ER 30d" in line and "┃" in line)
    assert "country" in header and "price from" in header
    legend = [line.split()[0] for line in run.stdout.splitlines() if line.startswith("  ")]
    for name in ("ER", "CPE", "price", "authentic", "ROAS", "CPA"):  # explained, once
        assert legend.count(name) == 1, run.stdout
    with duckdb.connect(str(folder / "data" / "creatorlens.duckdb"), read_only=True) as con:
        (cards, defaults, off_roster) = con.execute(
            "select count(*) filter (price_source = 'rate_card'), count(*) filter "
            "(price_source = 'tier_default'), count(*) filter (niche is null and country is null) "
            "from marts.creator_daily_metrics where as_of_date = '2026-11-20'"
        ).fetchone()
    assert cards and defaults and off_roster
    assert f"prices: {cards} creators by their rate card, {defaults} by tier default" in run.stdout
    assert f"roster: {off_roster} of 90 creators are not on it" in run.stdout


def test_top_prints_a_brief_s_ranking_and_names_the_briefs_there_are(ran):
    folder, _ = ran
    with duckdb.connect(str(folder / "data" / "creatorlens.duckdb"), read_only=True) as con:
        (brief, platform), *_ = con.execute(
            "select brief_id, platform from marts.brief_matches where rank = 1 order by all"
        ).fetchall()
        best = con.execute(
            "select account_id from marts.brief_matches where rank = 1 and brief_id = ?"
            " and platform = ?",
            [brief, platform],
        ).fetchall()[0][0]
    shown = creatorlens("top", "--brief", brief, "--platform", platform, "--format", "csv",
                        cwd=folder)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    header, first, *_ = shown.stdout.splitlines()
    assert header.startswith("platform,rank,handle,account_id")
    assert first.split(",")[3] == best
    table = creatorlens("top", "--brief", brief, cwd=folder)
    assert "by cost per targeted engagement" in table.stdout
    unknown = creatorlens("top", "--brief", "B-NOPE", cwd=folder)
    assert unknown.returncode == 1
    assert "error: --brief B-NOPE: no such brief published; briefs: B-" in unknown.stderr
    bare = creatorlens("top", cwd=folder)
    assert "error: top needs --platform and --tier (or --brief ID" in bare.stderr


def test_a_rerun_with_nothing_new_reads_no_file_and_says_so(ran, prefect_api):
    again = creatorlens("run", cwd=ran[0], PREFECT_API_URL=prefect_api)
    assert again.returncode == 0, again.stderr
    assert " new files" not in again.stderr  # no progress lines: nothing was read
    files = sum(1 for path in (ran[0] / "data" / "exports").rglob("*") if path.is_file())
    assert f"files: 0 loaded, {files} unchanged, 0 rejected" in again.stdout


def test_a_backfill_summary_is_named_after_it_and_shows_only_its_platforms(ran, prefect_api):
    result = creatorlens(
        "backfill", "--start", "2026-11-19", "--end", "2026-11-20", "--platform", "tiktok",
        cwd=ran[0], PREFECT_API_URL=prefect_api,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "creatorlens backfill" in result.stdout
    assert "as of 2026-11-19 to 2026-11-20 (tiktok)" in result.stdout
    assert "Top tiktok creators" in result.stdout
    assert "Top instagram" not in result.stdout and "Top youtube" not in result.stdout


def test_an_export_of_one_platform_prints_only_that_platform(tmp_path, prefect_api):
    demo = creatorlens("demo", "--creators", "30", "--days", "8", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    for platform in ("instagram", "youtube"):
        shutil.rmtree(tmp_path / "data" / "exports" / platform)
    for agency in ("roster.csv", "rate_cards.csv"):  # a first export: no agency files yet
        (tmp_path / "data" / "exports" / agency).unlink()
    result = creatorlens("run", cwd=tmp_path, PREFECT_API_URL=prefect_api)
    assert result.returncode == 0, result.stderr
    assert "Top tiktok creators" in result.stdout
    assert "instagram" not in result.stdout and "youtube" not in result.stdout
    with duckdb.connect(str(tmp_path / "data" / "creatorlens.duckdb"), read_only=True) as con:
        (creators,) = con.execute(
            "select count(*) from marts.creator_daily_metrics where as_of_date = '2026-11-20'"
        ).fetchone()
    assert f"prices: all {creators} are tier defaults" in result.stdout
    assert f"roster: none of the {creators} creators is on it" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--date", "2026-12-01"],
        ["backfill", "--start", "2026-11-15", "--end", "2026-12-15"],
        ["backfill", "--start", "2025-01-01", "--end", "2025-01-31"],
    ],
)
def test_as_of_dates_without_data_are_refused_with_one_line_and_nothing_republished(
    ran, prefect_api, args
):
    before = marts_of(ran[0])
    result = creatorlens(*args, cwd=ran[0], PREFECT_API_URL=prefect_api)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "2026-11-20" in errors[0], result.stderr
    assert "choose as-of dates from 2026-11-11 to 2026-11-20" in errors[0]
    assert "Traceback" not in result.stderr
    assert marts_of(ran[0]) == before


def test_validate_reports_what_would_be_rejected_or_quarantined_and_loads_nothing(ran, tmp_path):
    exports = tmp_path / "exports"
    shutil.copytree(ran[0] / "data" / "exports", exports)
    (exports / "tiktok" / "2026-11-20" / "creators.csv").write_text(
        "username,follower_count\nzero,0\nbad,many\n"
    )
    (exports / "youtube" / "2026-11-31").mkdir()
    (exports / "youtube" / "2026-11-31" / "posts.csv").write_text("id\n")
    results = exports / "results" / "2026-11-20" / "results.csv"
    results.write_text(
        results.read_text() + "C202611-01,tiktok,not-booked,9,0,0,0,USD\n"
    )  # a creator outside the campaign
    result = creatorlens("validate", str(exports), cwd=tmp_path)
    assert result.returncode == 1
    rejected = result.stdout.split("Files that would be rejected")[1].split("Valid files")[0]
    assert "youtube/2026-11-31/posts.csv" in rejected and "is not a date" in rejected
    assert "tiktok/2026-11-20/creators.csv" not in rejected
    with_rows = result.stdout.split("Valid files with rows that would be quarantined")[1]
    assert "tiktok/2026-11-20/creators.csv" in with_rows.split("Rows that would be")[0]
    assert "follower_count" in result.stdout and "non_negative_integer" in result.stdout
    assert "in_campaign" in result.stdout and "not-booked" in result.stdout
    assert "Files with problems" not in result.stdout
    assert (
        "error: 1 problem(s) would stop a run: youtube/2026-11-31/posts.csv: rejected"
        in result.stderr
    )
    assert not (tmp_path / "data").exists()

    one_file = creatorlens(
        "validate", str(exports / "tiktok" / "2026-11-20" / "creators.csv"), cwd=tmp_path
    )
    assert "2 rows, 1 would be quarantined (50.000%)" in one_file.stdout
    assert one_file.returncode == 1 and "over the 1.00% allowed" in one_file.stderr


def test_campaigns_prints_each_campaigns_creators_best_return_on_spend_first(ran):
    with duckdb.connect(str(ran[0] / "data" / "creatorlens.duckdb"), read_only=True) as con:
        published = con.execute(
            "select campaign_id, count(*) from marts.campaign_performance group by 1 order by 1"
        ).fetchall()
    assert len(published) >= 2
    every = creatorlens("campaigns", cwd=ran[0])
    assert every.returncode == 0, every.stderr
    assert all(f"{campaign}: " in every.stdout for campaign, _ in published)
    campaign, creators = published[-1]
    one = creatorlens("campaigns", "--campaign", campaign, cwd=ran[0])
    assert one.returncode == 0, one.stderr
    rows = [line for line in one.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == creators
    returns = [float(cell) for line in rows for cell in re.findall(r"│ +([\d.]+)x │", line)]
    assert returns == sorted(returns, reverse=True) and len(returns) > 1
    unknown = creatorlens("campaigns", "--campaign", "C-NONE", cwd=ran[0])
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("error: --campaign C-NONE: no such campaign; published: ")


def test_status_shows_each_runs_as_of_dates_and_the_rows_it_wrote(ran):
    result = creatorlens("status", cwd=ran[0])
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "as_of" in line)
    assert "wrote" in header and "published" not in header
    with duckdb.connect(str(ran[0] / "data" / "creatorlens.duckdb"), read_only=True) as con:
        (written,) = con.execute(
            "select count(*) from marts.creator_daily_metrics where as_of_date = '2026-11-20'"
        ).fetchone()
    rows = [
        line for line in result.stdout.splitlines() if "nightly" in line and "completed" in line
    ]
    assert rows and all("2026-11-20" in row for row in rows)
    assert written < int(rows[-1].split("│")[9].replace(",", ""))  # daily rows, plus rankings
    assert "Loads" in result.stdout and "Quarantined rows by rule" in result.stdout


def table_rows(stdout: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in stdout.splitlines()
        if line.startswith("│ ")
    ]


def test_top_prints_a_ranking_one_row_a_line_in_a_pipe(ran):
    result = creatorlens(
        "top", "--platform", "instagram", "--tier", "Nano", "--limit", "3", cwd=ran[0], COLUMNS="60"
    )
    assert result.returncode == 0, result.stderr
    assert "instagram nano creators by cost per engagement, 2026-11-20" in result.stdout
    rows = table_rows(result.stdout)
    assert [row[0] for row in rows] == ["1", "2", "3"]
    with duckdb.connect(str(ran[0] / "data" / "creatorlens.duckdb"), read_only=True) as con:
        handles = con.execute(
            "select handle from marts.creator_rankings where platform = 'instagram' "
            "and tier = 'nano' and as_of_date = '2026-11-20' order by rank limit 3"
        ).fetchall()
    assert [row[1] for row in rows] == [h for (h,) in handles]


def test_top_filters_by_niche_and_country_and_prints_csv_or_json(ran):
    folder = ran[0]
    everyone = creatorlens(
        "top", "--platform", "tiktok", "--tier", "micro", "--format", "csv", cwd=folder
    )
    assert everyone.returncode == 0, everyone.stderr
    frame = pl.read_csv(io.StringIO(everyone.stdout))
    assert frame["rank"].to_list() == list(range(1, frame.height + 1))
    assert {"account_id", "handle", "niche", "country", "cpe_usd"} <= set(frame.columns)
    niche, country = frame["niche"].drop_nulls()[0], frame["country"].drop_nulls()[0]
    by_niche = creatorlens(
        "top", "--platform", "tiktok", "--tier", "micro", "--niche", niche.upper(),
        "--format", "json", cwd=folder,
    )  # fmt: skip
    assert by_niche.returncode == 0, by_niche.stderr
    chosen = json.loads(by_niche.stdout)
    assert chosen and {row["niche"] for row in chosen} == {niche}
    assert [row["rank"] for row in chosen] == frame.filter(pl.col("niche") == niche)[
        "rank"
    ].to_list()
    by_country = creatorlens(
        "top", "--platform", "tiktok", "--tier", "micro", "--country", country, "--format", "csv",
        cwd=folder,
    )  # fmt: skip
    assert set(pl.read_csv(io.StringIO(by_country.stdout))["country"]) == {country}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--platform", "vine", "--tier", "nano"], "error: platforms: unknown vine"),
        (
            ["--platform", "instagram", "--tier", "giant"],
            "--tier giant: no ranked instagram creators in tier 'giant' on 2026-11-20; ranked tiers: nano, micro",
        ),
        (
            ["--platform", "instagram", "--tier", "emerging"],
            "--tier emerging: emerging creators are never ranked; ranked tiers: nano, micro",
        ),
        (
            ["--platform", "instagram", "--tier", "nano", "--date", "2026-11-10"],
            "--date 2026-11-10: no instagram ranking published for that date; published as-of dates: 2026-11-20",
        ),
        (
            ["--platform", "instagram", "--tier", "nano", "--niche", "knitting"],
            "no ranked instagram nano creators of niche 'knitting' on 2026-11-20",
        ),
    ],
)
def test_top_says_what_there_is_to_ask_for(ran, args, message):
    result = creatorlens("top", *args, cwd=ran[0])
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_help_version_and_bad_dates_read_well(tmp_path):
    assert creatorlens("--version", cwd=tmp_path).stdout.startswith("creatorlens 0.")
    run_help = creatorlens("run", "--help", cwd=tmp_path).stdout
    assert "--allow-partial" in run_help and "<bool>" not in run_help
    assert "--date YYYY-MM-DD" in run_help
    demo_help = creatorlens("demo", "--help", cwd=tmp_path).stdout
    assert "[default: 2026-11-20]" in demo_help and "00:00:00" not in demo_help
    bad = creatorlens("backfill", "--start", "2026-11-31", "--end", "2026-12-01", cwd=tmp_path)
    assert bad.returncode == 2
    assert "--start': 2026-11-31 is not a date (day is out of range for month)" in bad.stderr
    short = creatorlens("run", "--date", "11/20/2026", cwd=tmp_path)
    assert "11/20/2026 is not a date (use YYYY-MM-DD)" in short.stderr


def test_status_before_any_run_says_what_to_do(tmp_path):
    result = creatorlens("status", cwd=tmp_path)
    assert result.returncode == 1
    assert "no published marts yet; run `creatorlens run` first" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["status"],
        ["top", "--platform", "tiktok", "--tier", "nano"],
        ["validate", "data/exports"],
    ],
)
def test_commands_that_run_no_flow_do_not_import_prefect(ran, args):
    # Python lists every module the process imports (PYTHONPROFILEIMPORTTIME) on stderr
    result = creatorlens(*args, cwd=ran[0], PYTHONPROFILEIMPORTTIME="1")
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert {"typer", "creatorlens"} <= imported
    assert "prefect" not in imported


def test_the_published_file_opened_directly_describes_every_table_and_column(ran):
    with duckdb.connect(str(ran[0] / "data" / "creatorlens.duckdb"), read_only=True) as con:
        assert len(con.sql("select * from marts.creator_rankings").fetchall()) > 10
        latest = con.sql("select max(as_of_date) from marts.creator_daily_metrics").fetchall()
        assert con.sql("select * from marts.latest_creator_metrics order by all").fetchall() == (
            con.sql(
                "select * from marts.creator_daily_metrics where as_of_date = ? order by all",
                params=latest[0],
            ).fetchall()
        )
        assert con.sql("select distinct as_of_date from marts.latest_rankings").fetchall() == latest
        fresh = con.sql("select platform, entity, latest_snapshot_date from ops.freshness")
        assert ("tiktok", "posts", latest[0][0]) in fresh.fetchall()
        relations = con.sql(
            "select schema_name || '.' || table_name, comment from duckdb_tables()"
            " union all select schema_name || '.' || view_name, comment from duckdb_views()"
            " where not internal"
        ).fetchall()
        columns = con.sql(
            "select schema_name || '.' || table_name, column_name, comment from duckdb_columns()"
            " where schema_name in ('marts', 'ops')"
        ).fetchall()
    models = declared.PUBLISHED | {view: model for view, (model, _) in declared.VIEWS.items()}
    assert sorted(name for name, _ in relations) == sorted(models)
    assert all(len(comment) > 20 for _, comment in relations)
    described = {
        (table, column.name): column.description
        for table, model in models.items()
        for column in declared.columns(model)
    }
    commented = {(table, name): comment for table, name, comment in columns}
    assert commented.keys() == described.keys() and all(described.values())
    for key, comment in commented.items():
        assert comment.startswith(described[key]), key
        if key[1] in declared.RULE_COLUMNS:  # the rules are stated where BI shows the column
            assert all(rule.meaning in comment for rule in DECLARED.rules), key
        else:
            assert comment == described[key], key
