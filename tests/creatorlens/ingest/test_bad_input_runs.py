"""Bad input met by whole runs: results checked again when their campaign's creators change,
rate cards without an FX rate, a folder dated in the future, and values that look like SQL."""

import shutil
from datetime import datetime

import duckdb

from creatorlens import reference
from creatorlens.ingest.loading import load_exports
from creatorlens.warehouse import open_warehouse
from tests.badfiles import (
    DAY,
    GOOD,
    MEMBERS,
    encoded,
    raw,
    where,
    with_bad_row,
    with_members,
)
from tests.clirun import creatorlens
from tests.computing import compute_marts
from tests.exportfiles import land


def test_results_are_checked_again_when_the_campaign_creators_change(tmp_path):
    """Results delivered before their campaign's creators are quarantined (in_campaign); once
    campaign_creators.csv arrives the unchanged results file is checked again, and its rows
    load. A creator dropped from the campaign later has its rows quarantined again."""
    exports = tmp_path / "exports"
    land(exports, with_bad_row("results", "csv"))

    def load(run_id: str) -> tuple[list, list]:
        with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
            report = load_exports(con, exports, run_id)
            staged = con.execute(
                "select account_id from staging.stg_campaign_results order by 1"
            ).fetchall()
            quarantined = con.execute(
                "select value from ops.quarantine where run_id = ? and rule = 'in_campaign'"
                " order by 1",
                [run_id],
            ).fetchall()
        outcome = next(f for f in report.files if f.file.startswith("results/"))
        return [
            (outcome.status, outcome.rows_loaded, outcome.rows_quarantined),
            staged,
        ], quarantined

    assert load("run-1") == ([("loaded", 0, 2), []], [("bo",), ("cy",)])
    land(exports, with_members({}))
    assert load("run-2") == ([("loaded", 2, 0), [("bo",), ("cy",)]], [])
    assert load("run-3")[0][0] == ("unchanged", 0, 0)  # nothing changed: nothing read
    (exports / MEMBERS).write_bytes(encoded(MEMBERS, [GOOD["campaign_creators"]]))
    assert load("run-4") == ([("loaded", 1, 1), [("bo",)]], [("cy",)])


def test_rate_cards_without_an_fx_rate_in_force_are_reported_and_defaults_priced(tmp_path):
    """Accepted at load, the rule applies at compute: a card whose currency has no FX rate in
    force on the as-of date is not used, the default price applies, the card is reported."""
    exports = tmp_path / "exports"
    files = {
        **with_bad_row("tiktok/creators", "csv"),  # two good creators: bo and cy
        **with_bad_row("rate_cards", "csv", currency="XYZ"),  # no FX rates for XYZ at all
        **raw("fx_rates.csv", b"currency,usd_per_unit,valid_from\nDKK,0.145,2026-03-11\n"),
    }  # DKK's first rate starts the day after the as-of date: missing on the day
    land(exports, files)
    as_of = datetime.fromisoformat(DAY).date()
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        load_exports(con, exports, "run-1")
        compute_marts(con, reference.tier_scheme("default"), as_of, as_of, run_id="run-1")
        reported = con.execute(
            "select file, row_number, field, rule, value from ops.quarantine order by row_number"
        ).fetchall()
        prices = con.execute(
            "select account_id, price_source from marts.creator_daily_metrics order by 1"
        ).fetchall()
    assert reported == [
        ("rate_cards.csv", 1, "currency", "fx_rate_in_force", "DKK"),
        ("rate_cards.csv", 2, "currency", "fx_rate_in_force", "XYZ"),
    ]
    assert prices == [("bo", "tier_default"), ("cy", "tier_default")]


def test_a_folder_dated_in_the_future_never_becomes_the_date_a_run_computes(tmp_path, prefect_api):
    """A typo'd folder (2062) beside normal days is refused with its reason; published anyway
    (--allow-partial), the marts are as of the latest real day; a warehouse that loaded such a
    partition before it was refused does not compute it either."""
    server = {"PREFECT_API_URL": prefect_api}
    assert creatorlens("demo", "--creators", "30", "--days", "4", cwd=tmp_path).returncode == 0
    exports = tmp_path / "data" / "exports"
    latest = max(p.name for p in (exports / "tiktok").iterdir())
    typo = exports / "tiktok" / "2062-11-20"
    typo.mkdir()
    shutil.copy(exports / "tiktok" / latest / "creators.csv", typo / "creators.csv")
    refused = creatorlens("run", cwd=tmp_path, **server)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    (error,) = [line for line in refused.stderr.splitlines() if line.startswith("error:")]
    assert (
        "tiktok/2062-11-20/creators.csv: rejected (folder '2062-11-20' is dated after tomorrow"
        in error
    )
    published = creatorlens("run", "--allow-partial", cwd=tmp_path, **server)
    assert published.returncode == 0, published.stderr
    marts = tmp_path / "data" / "creatorlens.duckdb"
    with duckdb.connect(str(marts), read_only=True) as con:
        dates = con.execute("select max(as_of_date)::varchar from marts.creator_daily_metrics")
        assert dates.fetchall() == [(latest,)]
    shutil.rmtree(typo)
    with open_warehouse(
        tmp_path / "data" / "warehouse.duckdb", migrate=True
    ) as con:  # loaded by an older version
        con.execute(
            "insert into staging.stg_creator_snapshots select * replace ('2062-11-20'::date as"
            " snapshot_date) from staging.stg_creator_snapshots where snapshot_date = ?",
            [latest],
        )
    again = creatorlens("run", cwd=tmp_path, **server)
    assert again.returncode == 0, again.stderr
    assert f"as of {latest}" in again.stdout


def test_values_and_names_that_look_like_sql_are_only_data(tmp_path):
    """Values from files reach DuckDB as parameters or registered frames, never as SQL text."""
    exports = tmp_path / "exports"
    hostile = "x'); drop table staging.stg_creator_snapshots; --"
    files = {
        where("tiktok/creators", "csv"): encoded(
            "creators.csv", [{"username": hostile, "follower_count": "12"}]
        ),
        f"tiktok/{DAY}/posts'; drop table ops.loads; --.csv": b"id\n1\n",
        "youtube/2026-03-10'--/creators.csv": b"id\n1\n",
    }
    land(exports, files)
    with open_warehouse(tmp_path / "warehouse.duckdb", migrate=True) as con:
        report = load_exports(con, exports, "run-1")
        handles = con.execute("select account_id, handle from staging.stg_creator_snapshots")
        assert handles.fetchall() == [(hostile, hostile)]
        recorded = con.execute("select file, status from ops.loads order by file").fetchall()
    assert sorted((f.file, f.status) for f in report.files) == recorded
    assert recorded == [
        (f"tiktok/{DAY}/creators.csv", "loaded"),
        (f"tiktok/{DAY}/posts'; drop table ops.loads; --.csv", "rejected"),
        ("youtube/2026-03-10'--/creators.csv", "rejected"),
    ]
