"""Loading the landing folder into the warehouse: validate, quarantine, replace partitions."""

import hashlib
import os
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandera.polars as pa
import polars as pl

from creatorlens.ingest import changes
from creatorlens.ingest.files import (
    ExportFile,
    RejectedFileError,
    discover,
    parse_rows,
    read_content,
)
from creatorlens.warehouse import (
    insert_frame,
    query_frame,
    registered,
    release_cache,
    sql,
    transaction,
)
from schemas.declared import QUARANTINE_ENTRY, key, table_metadata
from schemas.kinds import with_parsed
from schemas.platforms import EntitySpec
from schemas.raw import raw_schema, required_fields
from schemas.staging import STAGED
from transforms import staging
from transforms.staging import ENGAGEMENT_COLUMNS, ROW

RULE_NAMES = {"not_nullable": "not_null"}
FILE = "_file_index"
"""Which file of a batch validated together a row comes from."""


@dataclass(frozen=True)
class Target:
    """Where one entity's rows go, as its staging table's declaration says (schemas.staging)."""

    model: type[pa.DataFrameModel]

    @property
    def table(self) -> str:
        return table_metadata(self.model)["table"]

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(key(self.model))

    @property
    def partition(self) -> tuple[str, ...]:
        """The columns naming the part of the table a file replaces (none: the whole table),
        its date last."""
        return tuple(table_metadata(self.model)["partition"])

    def stage(self, raw: pl.DataFrame, spec: EntitySpec, file: ExportFile) -> pl.DataFrame:
        return staging.stage(self.model, raw, spec, file.platform, file.snapshot_date)


TARGETS: dict[str, Target] = {entity: Target(model) for entity, model in STAGED.items()}
MEMBERS = ("campaign_id", "platform", "account_id")
"""A campaign's creator: a results row of any other creator is quarantined (in_campaign)."""


@dataclass
class FileOutcome:
    """What loading one file did."""

    file: str
    status: str  # loaded | unchanged | rejected
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    message: str | None = None


class Phases:
    """Seconds spent in each phase of loading (discover, read, validate, write)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def timing(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.seconds[phase] = self.seconds.get(phase, 0.0) + elapsed

    def __str__(self) -> str:
        return ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in self.seconds.items())


@dataclass
class LoadReport:
    """What loading the landing folder did, file by file."""

    files: list[FileOutcome] = field(default_factory=list)
    phases: Phases = field(default_factory=Phases)
    unpublished: list[FileOutcome] = field(default_factory=list)
    """Unchanged files that earlier runs loaded but no run has published since: their rows
    (and quarantined rows) are published by this run too, so they count towards its share."""

    def count(self, status: str) -> int:
        """How many files ended with `status`."""
        return sum(1 for f in self.files if f.status == status)

    @property
    def rejected(self) -> list[FileOutcome]:
        """The files rejected whole."""
        return [f for f in self.files if f.status == "rejected"]

    @property
    def rows_read(self) -> int:
        """Rows read from the files loaded in this run."""
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        """Rows written to staging in this run."""
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        """Rows set aside in ops.quarantine in this run."""
        return sum(f.rows_quarantined for f in self.files)

    @property
    def quarantine_share(self) -> float:
        """Share of the rows a publish would newly publish (this run's, and those of earlier
        runs that did not publish) that were quarantined."""
        to_publish = self.files + self.unpublished
        read = sum(f.rows_read for f in to_publish)
        return sum(f.rows_quarantined for f in to_publish) / read if read else 0.0

    def problems(self, max_quarantine_share: float) -> list[str]:
        """Why this load must not be published: each rejected file, or too many quarantined rows."""
        problems = [f"{f.file}: rejected ({f.message})" for f in self.rejected]
        if self.quarantine_share > max_quarantine_share:
            worst = sorted(self.files + self.unpublished, key=lambda f: -f.rows_quarantined)[:3]
            files = ", ".join(
                f"{f.file} ({f.rows_quarantined})" for f in worst if f.rows_quarantined
            )
            problems.append(
                f"{self.quarantine_share:.2%} of rows quarantined, over the "
                f"{max_quarantine_share:.2%} allowed (CREATORLENS_MAX_QUARANTINE_SHARE): {files}"
            )
        return problems


@dataclass
class ValidatedFile:
    """A file's good staging rows, its quarantine entries and its row counts."""

    rows_read: int
    rows: pl.DataFrame
    quarantine: pl.DataFrame
    duplicates: int

    def outcome(self, file: ExportFile, status: str) -> FileOutcome:
        """The file's outcome with every row accounted for."""
        return FileOutcome(
            file.relative,
            status,
            rows_read=self.rows_read,
            rows_loaded=self.rows.height,
            rows_quarantined=self.quarantine["row_number"].n_unique(),
            rows_duplicate=self.duplicates,
        )


def _failures(error: pa.errors.SchemaErrors, rows: pl.DataFrame) -> pl.DataFrame:
    """Quarantine entries (file index, source_row, field, rule, value) from pandera's failure
    cases."""
    cases = error.failure_cases.filter(pl.col("index").is_not_null())
    if cases.height < error.failure_cases.height:
        raise error  # a schema-level failure is a bug in the staging code, not bad data
    rows_by_index = (
        rows.select(FILE, ROW).with_row_index("index").with_columns(pl.col("index").cast(pl.Int64))
    )
    return (
        cases.with_columns(pl.col("index").cast(pl.Int64))
        .join(rows_by_index, on="index")
        .select(
            pl.col(FILE),
            pl.col(ROW).alias("row_number"),
            pl.col("column").alias("field"),
            pl.col("check").replace(RULE_NAMES).str.replace(r"\(.*$", "").alias("rule"),
            pl.col("failure_case").alias("value"),
        )
    )


QUARANTINE_SCHEMA = {FILE: pl.Int64, **QUARANTINE_ENTRY}
"""Quarantine entries of files checked together: which file, and the declared entry."""


def _split(
    rows: pl.DataFrame, validate: Callable[[pl.DataFrame], object]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows that pass, quarantine entries of those that do not), rows keyed by file and row."""
    try:
        validate(rows)
    except pa.errors.SchemaErrors as error:
        failures = _failures(error, rows)
        failed = failures.select(FILE, pl.col("row_number").alias(ROW)).unique()
        return rows.join(failed, on=[FILE, ROW], how="anti"), failures
    return rows, pl.DataFrame(schema=QUARANTINE_SCHEMA)


def _check_fields(file: ExportFile, raw: pl.DataFrame) -> None:
    """Reject a file that lacks a field its rows cannot do without."""
    missing = [name for name in required_fields(file.spec) if name not in raw.columns]
    if missing:
        found = [name for name in raw.columns if name != ROW]
        separator = next((s for s in (";", "\t", "|") if any(s in name for name in found)), None)
        hint = (
            f"; the header looks {separator!r}-separated, export comma-separated CSV"
            if file.format == "csv" and separator
            else f"; found {', '.join(found[:12]) or 'no fields'}"
        )
        raise RejectedFileError(file.relative, f"missing required field {', '.join(missing)}{hint}")


def validate_file(
    file: ExportFile, raw: pl.DataFrame, members: pl.DataFrame | None = None
) -> ValidatedFile:
    """Typed staging rows of a file, its quarantined rows and its duplicate count (`members`:
    the campaigns' creators a results file is checked against)."""
    (result,) = validate_files([(file, raw)], members)
    if isinstance(result, RejectedFileError):
        raise result
    return result


def validate_files(
    files: list[tuple[ExportFile, pl.DataFrame]], members: pl.DataFrame | None = None
) -> list[ValidatedFile | RejectedFileError]:
    """Each file's typed staging rows, quarantined rows and duplicates, or why it is rejected.

    Files of one kind with the same fields are checked together, in one pandera validation per
    layer: its cost is mostly per call, so this is what makes validation cost per row rather
    than per file. Each file's rows, quarantine and counts come out as if checked alone.
    A results row of a creator not in `members` (campaign_id, platform, account_id; none
    given: no campaign has creators) is quarantined.
    """
    results: list[ValidatedFile | RejectedFileError | None] = [None] * len(files)
    groups: dict[tuple, list[int]] = {}
    for index, (file, raw) in enumerate(files):
        try:
            _check_fields(file, raw)
        except RejectedFileError as error:
            results[index] = error
            continue
        groups.setdefault((file.platform, file.entity, tuple(raw.columns)), []).append(index)
    for indices in groups.values():
        group = [files[index] for index in indices]
        for index, validated in zip(indices, _validate_group(group, members), strict=True):
            results[index] = validated
    return results


def _validate_group(
    files: list[tuple[ExportFile, pl.DataFrame]], members: pl.DataFrame | None
) -> list[ValidatedFile]:
    """Validate files of one kind and the same fields together (see validate_files)."""
    first = files[0][0]
    spec, target = first.spec, TARGETS[first.entity]
    schema = raw_schema(spec, name=first.entity)
    raw = with_parsed(
        pl.concat(
            [
                rows.with_columns(pl.lit(index, pl.Int64).alias(FILE))
                for index, (_, rows) in enumerate(files)
            ]
        ),
        spec,
    )
    good_raw, raw_failures = _split(raw, lambda rows: schema.validate(rows, lazy=True))
    good_by_file = good_raw.partition_by(FILE, as_dict=True, include_key=False)
    typed = pl.concat(
        [
            target.stage(good_by_file.get((index,), rows.clear()), spec, file).with_columns(
                pl.lit(index, pl.Int64).alias(FILE)
            )
            for index, (file, rows) in enumerate(files)
        ]
    )
    staged, _ = staging.keep_last_per_key(typed, [FILE, *target.key])
    rows_per_file = (
        typed.group_by(FILE)
        .len()
        .join(staged.group_by(FILE).len(), on=FILE, how="left", suffix="_kept")
    )
    duplicates = dict(
        rows_per_file.select(FILE, pl.col("len") - pl.col("len_kept").fill_null(0)).rows()
    )
    good, stg_failures = _split(staged, lambda rows: target.model.validate(rows, lazy=True))
    if first.entity == "results":
        good, outsiders = _in_campaign(good, members)
        stg_failures = pl.concat([stg_failures, outsiders])
    good_by_file = good.partition_by(FILE, as_dict=True, include_key=False)
    failures = pl.concat([raw_failures, stg_failures]).partition_by(
        FILE, as_dict=True, include_key=False
    )
    empty = pl.DataFrame(schema={k: v for k, v in QUARANTINE_SCHEMA.items() if k != FILE})
    return [
        ValidatedFile(
            rows.height,
            good_by_file.get((index,), staged.clear().drop(FILE)),
            failures.get((index,), empty),
            duplicates.get(index, 0),
        )
        for index, (_, rows) in enumerate(files)
    ]


def _in_campaign(
    rows: pl.DataFrame, members: pl.DataFrame | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(results rows of a campaign's creators, quarantine entries of the others)."""
    if members is None:
        members = pl.DataFrame(schema=dict.fromkeys(MEMBERS, pl.String))
    outside = rows.join(members.select(MEMBERS).unique(), on=MEMBERS, how="anti")
    entries = outside.select(
        pl.col(FILE),
        pl.col(ROW).alias("row_number"),
        pl.lit("account_id").alias("field"),
        pl.lit("in_campaign").alias("rule"),
        pl.col("account_id").alias("value"),
    )
    return rows.join(outside.select(FILE, ROW), on=[FILE, ROW], how="anti"), entries


def campaign_members(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The campaigns' creators loaded (campaign_id, platform, account_id)."""
    return con.sql(f"select {', '.join(MEMBERS)} from staging.stg_campaign_creators").pl()


def _load_record(file: ExportFile, run_id: str, **values: object) -> pl.DataFrame:
    record = {
        "load_id": uuid.uuid4().hex,
        "run_id": run_id,
        "file": file.relative,
        "platform": file.platform,
        "entity": file.entity,
        "snapshot_date": file.snapshot_date,
        "loaded_at": datetime.now(UTC).replace(tzinfo=None),
        **values,
    }
    return pl.DataFrame([record])


def _replace_partitions(
    con: duckdb.DuckDBPyConnection, loads: list[tuple[ExportFile, pl.DataFrame, str]]
) -> None:
    """Replace each file's partition with its rows (tagged with its load id): one delete and
    one insert per staging table."""
    for table in dict.fromkeys(TARGETS[file.entity].table for file, _, _ in loads):
        mine = [load for load in loads if TARGETS[load[0].entity].table == table]
        partition = TARGETS[mine[0][0].entity].partition
        if not partition:  # an agency file replaces its whole table
            con.execute(f"delete from {table}")
        else:
            columns = ", ".join(partition)
            days = changes.partition_days([file for file, _, _ in mine])
            replaced = days.select(
                pl.col("platform"), pl.col("snapshot_date").alias("result_date"), "snapshot_date"
            )
            with registered(con, "replaced_partitions", replaced.select(partition)):
                con.execute(
                    f"delete from {table} where {partition[-1]} between $first and $last"  # date
                    f" and ({columns}) in (select ({columns}) from replaced_partitions)",
                    changes.day_bounds(days),
                )
        rows = pl.concat([rows.with_columns(load_id=pl.lit(load_id)) for _, rows, load_id in mine])
        insert_frame(con, table, rows)


LATEST_KEY = ["platform", "post_id"]
LATEST_VALUES = ["account_id", "snapshot_date", "published_date", *ENGAGEMENT_COLUMNS, "views"]
"""A post's latest snapshot: the columns of staging.stg_post_latest taken from that one row."""


def update_post_latest(
    con: duckdb.DuckDBPyConnection, added: pl.DataFrame, replaced: pl.DataFrame
) -> None:
    """Bring staging.stg_post_latest in step with posts rows `added` and the rows of the days
    they `replaced` (platform, post_id): a post that lost rows is taken again from all its
    snapshots, one that only gained rows from its kept row and the latest of the new ones."""
    lost = replaced.select(LATEST_KEY).unique()
    gained = added.select(*LATEST_KEY, *LATEST_VALUES)
    if lost.height:
        gained = gained.join(lost, on=LATEST_KEY, how="anti")
    if staging.one_row_per_key(gained, LATEST_KEY):
        # one row a post, as a day's files give: it is the latest, and its own ranges (the
        # group-by below took 2.8 s for one new day at 100,000 creators a platform)
        fresh = gained.with_columns(
            published_min=pl.col("published_date"),
            published_max=pl.col("published_date"),
            account_min=pl.col("account_id"),
            account_max=pl.col("account_id"),
        )
    else:
        last = pl.col("snapshot_date").arg_max()  # a post has one row a snapshot date
        fresh = gained.group_by(LATEST_KEY).agg(
            *(pl.col(column).get(last) for column in LATEST_VALUES),
            published_min=pl.col("published_date").min(),
            published_max=pl.col("published_date").max(),
            account_min=pl.col("account_id").min(),
            account_max=pl.col("account_id").max(),
        )
    with registered(con, "lost_posts", lost), registered(con, "fresh_posts", fresh):
        lost_from = None
        if lost.height:  # no snapshot predates its post
            (lost_from,) = con.execute(
                "select min(published_min) from staging.stg_post_latest"
                " semi join lost_posts using (platform, post_id)"
            ).fetchall()[0]
        con.execute(
            f"create or replace temp table post_latest_update as"
            f" {sql('staging/update_post_latest')}",
            {"lost_from": lost_from},
        )
        if lost.height:
            con.execute(
                "delete from staging.stg_post_latest where (platform, post_id) in"
                " (select (platform, post_id) from lost_posts)"
            )
    # rowids hold within the caller's transaction: nothing moves rows before this delete
    con.execute(
        "delete from staging.stg_post_latest where rowid in"
        " (select kept_rowid from post_latest_update where kept_rowid is not null)"
    )
    con.execute(
        "insert into staging.stg_post_latest by name"
        " select * exclude (kept_rowid) from post_latest_update"
    )
    con.execute("drop table post_latest_update")


def record_rejection(
    con: duckdb.DuckDBPyConnection, error: RejectedFileError, file: ExportFile | None, run_id: str
) -> FileOutcome:
    """Write a rejected file to ops.loads; nothing of it loads."""
    if file is None:
        record = pl.DataFrame(
            [{"load_id": uuid.uuid4().hex, "run_id": run_id, "file": error.relative}]
        )
        record = record.with_columns(loaded_at=pl.lit(datetime.now(UTC).replace(tzinfo=None)))
    else:
        record = _load_record(file, run_id)
    insert_frame(
        con,
        "ops.loads",
        record.with_columns(status=pl.lit("rejected"), message=pl.lit(error.reason)),
    )
    return FileOutcome(error.relative, "rejected", message=error.reason)


@dataclass(frozen=True)
class ReadFile:
    """A file read and parsed, waiting to be validated with others."""

    file: ExportFile
    raw: pl.DataFrame
    digest: str
    size: int
    mtime_ns: int

    def without_rows(self) -> "ReadFile":
        """The same file with its rows let go: what writing it needs once it is validated."""
        return replace(self, raw=self.raw.clear())


def read_file(file: ExportFile, current: dict | None) -> ReadFile | FileOutcome:
    """A file's rows as delivered, or its outcome when it is unchanged; raises
    RejectedFileError when it cannot be read."""
    stat = file.path.stat()
    content = read_content(file)
    digest = hashlib.sha256(content).hexdigest()
    if current and current["content_sha256"] == digest:
        return FileOutcome(file.relative, "unchanged")
    return ReadFile(file, parse_rows(file, content), digest, stat.st_size, stat.st_mtime_ns)


def write_files(
    con: duckdb.DuckDBPyConnection, files: list[tuple[ReadFile, ValidatedFile]], run_id: str
) -> list[FileOutcome]:
    """Replace each file's partition with its good rows, and record the loads, their
    quarantine and the as-of dates they change, a few statements for the whole batch (the
    caller holds the transaction)."""
    outcomes, records, quarantines, loads = [], [], [], []
    for read, validated in files:
        file = read.file
        outcome = validated.outcome(file, "loaded")
        record = _load_record(
            file,
            run_id,
            content_sha256=read.digest,
            file_size=read.size,
            file_mtime_ns=read.mtime_ns,
            status="loaded",
            rows_read=outcome.rows_read,
            rows_loaded=outcome.rows_loaded,
            rows_quarantined=outcome.rows_quarantined,
            rows_duplicate=outcome.rows_duplicate,
        )
        load_id = record["load_id"][0]
        quarantines.append(
            validated.quarantine.with_columns(
                load_id=pl.lit(load_id),
                run_id=pl.lit(run_id),
                file=pl.lit(file.relative),
                quarantined_at=record["loaded_at"][0],
            )
        )
        outcomes.append(outcome)
        records.append(record)
        loads.append((file, validated.rows, load_id))
    if not loads:
        return []
    before = changes.partitions_before(con, [file for file, _, _ in loads])
    _replace_partitions(con, loads)
    added = [rows for file, rows, _ in loads if file.entity == "posts"]
    if added:
        update_post_latest(con, pl.concat(added, how="diagonal_relaxed"), before["posts"])
    changes.record_changes(con, loads, before)
    insert_frame(con, "ops.loads", pl.concat(records, how="diagonal_relaxed"))
    quarantine = pl.concat(quarantines, how="diagonal_relaxed")
    if quarantine.height:
        insert_frame(con, "ops.quarantine", quarantine)
    return outcomes


BATCH_FILES = 64
"""Files read, validated together and written in one transaction, at most, at a time (few
pandera calls and commits); fewer when that keeps progress every tenth, or the text too large."""

BATCH_TEXT_BYTES = 256 * 2**20
"""The text a batch holds, at most (unless one file alone is larger): memory follows this, not
the number of creators in a file."""

GZIP_TEXT_RATIO = 6
"""Text bytes per byte of a gzip file on disk, as the batch sizes reckon (exports compress
about 4 to 8 times)."""


READERS = max(2, os.cpu_count() or 1)
"""Files of a batch read at once: decompressing and parsing run outside Python's lock, and a
file's parse alone keeps about one core busy."""


def _batches(
    files: list[tuple[ExportFile, dict | None]], most_files: int
) -> Iterator[list[tuple[ExportFile, dict | None]]]:
    """The files in order, in batches of at most `most_files` files and BATCH_TEXT_BYTES."""
    batch: list[tuple[ExportFile, dict | None]] = []
    text = 0
    for file, loaded in files:
        try:
            size = file.path.stat().st_size * (GZIP_TEXT_RATIO if file.compressed else 1)
        except OSError:
            size = 0  # gone or unreadable: reading it says so
        if batch and (len(batch) == most_files or text + size > BATCH_TEXT_BYTES):
            yield batch
            batch, text = [], 0
        batch.append((file, loaded))
        text += size
    if batch:
        yield batch


def load_exports(
    con: duckdb.DuckDBPyConnection,
    exports_dir: Path,
    run_id: str,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> LoadReport:
    """Load every new or restated file of the landing folder; record rejections.

    The agency files load first, in their own batch: results files are checked against
    the campaigns' creators, so a campaign_creators.csv that changed has every results file
    checked again, changed or not.
    """
    report = LoadReport()
    with report.phases.timing("discover"):
        files, rejected = discover(exports_dir)
        current = {
            (row["platform"], row["entity"], row["snapshot_date"]): row
            for row in query_frame(con, "int/int_current_loads").iter_rows(named=True)
        }
        for error in rejected:
            report.files.append(record_rejection(con, error, None, run_id))
        to_read, same = [], []
        for file in files:
            loaded = current.get(file.partition)
            (same if _same_on_disk(file, loaded) else to_read).append((file, loaded))
    agency = [(file, loaded) for file, loaded in to_read if file.snapshot_date is None]
    dated = [(file, loaded) for file, loaded in to_read if file.snapshot_date is not None]
    if agency:
        _load_batch(con, agency, run_id, report)
    if any(f.file == "campaign_creators.csv" and f.status == "loaded" for f in report.files):
        dated += [(file, None) for file, _ in same if file.entity == "results"]
        same = [(file, loaded) for file, loaded in same if file.entity != "results"]
    for file, loaded in same:
        _unchanged(report, file, loaded)
    total = len(agency) + len(dated)
    if agency:
        progress(len(agency), total)
    done = len(agency)
    for batch in _batches(dated, min(BATCH_FILES, max(1, len(dated) // 10))):
        _load_batch(con, batch, run_id, report)
        # the checkpoint DuckDB would make when the warehouse closes, a batch at a time (at
        # 30,000 creators a platform, closing after a nightly's load peaked 100 MB higher
        # than any batch), then what the batch read let go of
        con.execute("checkpoint")
        release_cache(con)
        done += len(batch)
        progress(done, total)
    return report


def _load_batch(
    con: duckdb.DuckDBPyConnection,
    batch: list[tuple[ExportFile, dict | None]],
    run_id: str,
    report: LoadReport,
) -> None:
    """Read a batch of files, validate them together, then write them in one transaction: a
    run killed meanwhile leaves none of them loaded, and the next run loads them."""
    with report.phases.timing("read"), ThreadPoolExecutor(READERS) as readers:
        results: list[ReadFile | FileOutcome | RejectedFileError] = list(
            readers.map(_read_or_reject, batch)
        )
    positions = [n for n, result in enumerate(results) if isinstance(result, ReadFile)]
    with report.phases.timing("validate"):
        members = campaign_members(con) if any(f.entity == "results" for f, _ in batch) else None
        checked = validate_files([(results[n].file, results[n].raw) for n in positions], members)
    for n, outcome in zip(positions, checked, strict=True):
        results[n] = (results[n].without_rows(), outcome)  # the raw rows' memory, before writing
    with report.phases.timing("write"), transaction(con):
        valid = [result for result in results if _is_valid(result)]
        written = iter(write_files(con, valid, run_id))
        for (file, loaded), result in zip(batch, results, strict=True):
            if _is_valid(result):
                report.files.append(next(written))
            elif isinstance(result, FileOutcome):
                _unchanged(report, file, loaded)
            else:  # rejected when read, or when validated
                error = result[1] if isinstance(result, tuple) else result
                report.files.append(record_rejection(con, error, file, run_id))


def _read_or_reject(
    item: tuple[ExportFile, dict | None],
) -> ReadFile | FileOutcome | RejectedFileError:
    """`read_file`, with a file that cannot be read as its rejection."""
    try:
        return read_file(*item)
    except RejectedFileError as error:
        return error


def _is_valid(result: object) -> bool:
    """Whether a batch's result is a file read and validated, to write."""
    return isinstance(result, tuple) and isinstance(result[1], ValidatedFile)


def _same_on_disk(file: ExportFile, current: dict | None) -> bool:
    """Whether the partition's current load is this very file, unmodified (no need to read it)."""
    if current is None:
        return False
    stat = file.path.stat()
    return (current["file"], current["file_size"], current["file_mtime_ns"]) == (
        file.relative,
        stat.st_size,
        stat.st_mtime_ns,
    )


def _unchanged(report: LoadReport, file: ExportFile, current: dict) -> None:
    """Count a file already loaded; its rows count again while no run has published them."""
    report.files.append(FileOutcome(file.relative, "unchanged"))
    if current["unpublished"]:
        counts = ("rows_read", "rows_loaded", "rows_quarantined", "rows_duplicate")
        report.unpublished.append(
            FileOutcome(file.relative, "unpublished", **{c: current[c] for c in counts})
        )
