"""Copy a loaded warehouse's staging tables K times over, in SQL: `python -m bench.tile_warehouse
<loaded.duckdb> <target.duckdb> K`.

Copy k > 0 has every creator and post id suffixed `x<k>`, as `--copies K` does to the export
files, so the target holds K times the creators with the same distributions, without loading K
times the files (loading 100,000 creators a platform for 90 days takes most of an hour here).
Rows keep their snapshot-date order. Only staging is copied: a backfill on the target, with an
empty landing folder, computes every mart from it (README, "At scale").
"""

import shutil
import sys
import time

import duckdb

IDS = {
    "stg_creator_snapshots": ["account_id"],
    "stg_post_snapshots": ["post_id", "account_id"],
    "stg_post_latest": ["post_id", "account_id", "account_min", "account_max"],
    "stg_roster": ["account_id"],
    "stg_rate_cards": ["account_id"],
}
"""The staging tables that hold creators or posts, and their id columns."""


def tile(source: str, target: str, copies: int) -> None:
    shutil.copyfile(source, target)
    with duckdb.connect(target) as con:
        started = time.perf_counter()
        suffix = "case when k = 0 then '' else 'x' || k end"
        for table, ids in IDS.items():
            columns = [row[0] for row in con.execute(f"describe staging.{table}").fetchall()]
            select = ", ".join(f"{c} || {suffix} as {c}" if c in ids else c for c in columns)
            order = " order by snapshot_date" if table.endswith("_snapshots") else ""
            con.execute(
                f"create table staging.{table}_tiled as select {select}"
                f" from staging.{table}, (select unnest(range({copies})) as k){order}"
            )
            con.execute(f"drop table staging.{table}")
            con.execute(f"alter table staging.{table}_tiled rename to {table}")
            rows = con.execute(f"select count(*) from staging.{table}").fetchall()[0][0]
            print(f"{table}: {rows:,} rows ({time.perf_counter() - started:.0f} s)")
        con.execute("checkpoint")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.splitlines()[0])
    tile(sys.argv[1], sys.argv[2], int(sys.argv[3]))
