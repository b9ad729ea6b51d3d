"""Loading the landing folder into the warehouse: find the files that are new or changed, read
them a batch at a time, check them together, and write each batch in one transaction."""

import hashlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from creatorlens.ingest.checks import (
    ValidatedFile,
    campaign_members,
    creators_of,
    validate_files,
)
from creatorlens.ingest.files import (
    ExportFile,
    RejectedFileError,
    discover,
)
from creatorlens.ingest.report import FileOutcome, LoadReport, half_days
from creatorlens.ingest.rows import parse_rows, read_content
from creatorlens.ingest.writing import ReadFile, record_rejection, write_files
from creatorlens.warehouse import (
    query_frame,
    release_cache,
    transaction,
)


def read_file(file: ExportFile, current: dict | None) -> ReadFile | FileOutcome:
    """A file's rows as delivered, or its outcome when it is unchanged; raises
    RejectedFileError when it cannot be read."""
    stat = file.path.stat()
    content = read_content(file)
    digest = hashlib.sha256(content).hexdigest()
    if current and current["content_sha256"] == digest:
        return FileOutcome(file.relative, "unchanged")
    return ReadFile(file, parse_rows(file, content), digest, stat.st_size, stat.st_mtime_ns)


BATCH_FILES = 64
"""Files read, validated together and written in one transaction, at most, at a time (few
pandera calls and commits); fewer when that keeps progress every tenth, or the text too large."""

MIN_BATCH_FILES = 16
"""Files a batch takes at least (text allowing): a nightly's few files load in one batch, one
transaction and one checkpoint (a batch each cost about 0.1 s a file at 3,000 creators a
platform), and its progress lines were of no use."""

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
    dated = [(f, loaded) for f, loaded in to_read if f.snapshot_date and f.entity != "audience"]
    audience = [(file, loaded) for file, loaded in to_read if file.entity == "audience"]
    if agency:
        with ThreadPoolExecutor(READERS) as readers, ThreadPoolExecutor(1) as ahead:
            _load_batch(con, agency, run_id, report, ahead.submit(_read_batch, agency, readers))
    if any(f.file == "campaign_creators.csv" and f.status == "loaded" for f in report.files):
        dated += [(file, None) for file, _ in same if file.entity == "results"]
        same = [(file, loaded) for file, loaded in same if file.entity != "results"]
    # audience lines are checked against their day's creators: they load after them, and
    # an audience file whose day's creators file changed is checked again
    new_creators = {(f.platform, f.snapshot_date) for f, _ in dated if f.entity == "creators"}
    again = [
        (f, None) for f, _ in same if f.entity == "audience" and f.partition[::2] in new_creators
    ]
    same = [(f, loaded) for f, loaded in same if (f, None) not in again]
    audience += again
    for file, loaded in same:
        _unchanged(report, file, loaded)
    total = len(agency) + len(dated) + len(audience)
    if agency:
        progress(len(agency), total)
    done = len(agency)
    most = min(BATCH_FILES, max(MIN_BATCH_FILES, (len(dated) + len(audience)) // 10))
    # audience batches only after every creators file is written: no batch holds both
    batches = [*_batches(dated, most), *_batches(audience, most)]
    with ThreadPoolExecutor(READERS) as readers, ThreadPoolExecutor(1) as ahead:
        reads = [ahead.submit(_read_batch, batch, readers) for batch in batches[:1]]
        for number, batch in enumerate(batches):
            # the next batch is read while this one is checked and written (which leave a
            # core idle much of the time): two batches' rows in memory at most
            if number + 1 < len(batches):
                reads.append(ahead.submit(_read_batch, batches[number + 1], readers))
            _load_batch(con, batch, run_id, report, reads[number])
            reads[number] = None
            # the checkpoint DuckDB would make when the warehouse closes, a batch at a time
            # (made once at the close, it was a large nightly's peak), then what the batch
            # read let go of
            with report.phases.timing("write"):  # writing the batch's rows to the file, in fact
                con.execute("checkpoint")
            release_cache(con)
            done += len(batch)
            progress(done, total)
    loads = query_frame(con, "int/int_current_loads")
    report.half_days = half_days(loads, [f.file for f in report.rejected])
    return report


@dataclass
class Pending:
    """One file of a batch on its way: read (or left unchanged, or rejected), then checked."""

    file: ExportFile
    loaded: dict | None
    """Its partition's current load (none: a new partition)."""
    read: ReadFile | None = None
    unchanged: bool = False
    checked: ValidatedFile | None = None
    rejection: RejectedFileError | None = None

    def take(self) -> "Pending":
        """Read the file (in a reader thread): its rows, or that it is unchanged or rejected."""
        try:
            result = read_file(self.file, self.loaded)
        except RejectedFileError as error:
            self.rejection = error
            return self
        if isinstance(result, FileOutcome):
            self.unchanged = True
        else:
            self.read = result
        return self


def _read_batch(
    batch: list[tuple[ExportFile, dict | None]], readers: ThreadPoolExecutor
) -> list[Pending]:
    """Read a batch's files, READERS at once."""
    return list(readers.map(Pending.take, [Pending(*item) for item in batch]))


def _load_batch(
    con: duckdb.DuckDBPyConnection,
    batch: list[tuple[ExportFile, dict | None]],
    run_id: str,
    report: LoadReport,
    reading: Future,
) -> None:
    """Take a batch's files as `reading` reads them, validate them together, then write them
    in one transaction: a run killed meanwhile leaves none of them loaded, and the next run
    loads them. The read phase is the time spent waiting for the reading."""
    with report.phases.timing("read"):
        pending = reading.result()
    read = [p for p in pending if p.read is not None]
    with report.phases.timing("validate"):
        members = campaign_members(con) if any(f.entity == "results" for f, _ in batch) else None
        audience = [f for f, _ in batch if f.entity == "audience"]
        creators = creators_of(con, audience) if audience else None
        checked = validate_files([(p.read.file, p.read.raw) for p in read], members, creators)
    for item, result in zip(read, checked, strict=True):
        item.read = item.read.without_rows()  # the raw rows' memory, before writing
        if isinstance(result, RejectedFileError):
            item.rejection = result
        else:
            item.checked = result
    with report.phases.timing("write"), transaction(con):
        valid = [p for p in pending if p.checked is not None]
        written = iter(write_files(con, [(p.read, p.checked) for p in valid], run_id))
        for item in pending:
            if item.checked is not None:
                report.files.append(next(written))
            elif item.unchanged:
                _unchanged(report, item.file, item.loaded)
            else:
                report.files.append(record_rejection(con, item.rejection, item.file, run_id))


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
