"""What loading did, file by file: each file's outcome and rows, the time each phase took, and
why a run must not publish."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import polars as pl

from creatorlens.transforms.followers import STALE_AFTER_DAYS


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
    half_days: list[str] = field(default_factory=list)
    """Platform days, not published yet, with creators or posts loaded but not the other: one
    line each, naming the file to deliver."""

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
        """Why this load must not be published: each rejected file, each platform day that lacks
        its creators or its posts, or too many quarantined rows."""
        problems = [f"{f.file}: rejected ({f.message})" for f in self.rejected]
        problems += self.half_days
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


def half_days(loads: pl.DataFrame, rejected: list[str]) -> list[str]:
    """What a platform lacks to be computed, one line each, among the `loads` (platform, entity,
    snapshot_date, file, unpublished) no run has published yet (once published, with
    --allow-partial, it no longer stops runs): a day of posts without a creators file that day
    or in the STALE_AFTER_DAYS before it (no followers to divide by), and a platform with
    creators but no posts file on any day. What a `rejected` file would have held is left to
    its rejection."""
    loads = loads.sort("snapshot_date")
    creators = loads.filter(pl.col("entity") == "creators").select(
        "platform", pl.col("snapshot_date").alias("creators_date")
    )
    posts = loads.filter(pl.col("entity") == "posts")
    alone = (
        posts.filter("unpublished")
        .join_asof(
            creators,
            left_on="snapshot_date",
            right_on="creators_date",
            by="platform",
            tolerance=f"{STALE_AFTER_DAYS}d",
            check_sortedness=False,  # sorted above, by date over every platform
        )
        .filter(pl.col("creators_date").is_null())
    )
    lines = [
        (
            day["platform"],
            day["snapshot_date"],
            "creators",
            f"no creators file that day or the {STALE_AFTER_DAYS} days before, for the posts "
            f"of {day['file']}",
            day["file"],
        )
        for day in alone.iter_rows(named=True)
    ]
    no_posts = (
        loads.filter(
            pl.col("entity") == "creators",
            ~pl.col("platform").is_in(posts["platform"].unique().to_list()),
        )
        .filter("unpublished")
        .group_by("platform")
        .first()
    )
    lines += [
        (row["platform"], row["snapshot_date"], "posts", "no posts file on any day", row["file"])
        for row in no_posts.iter_rows(named=True)
    ]
    return [
        f"{platform} {day}: {what}; deliver {entity}.{file.rpartition('/')[2].partition('.')[2]}"
        for platform, day, entity, what, file in sorted(lines)
        if not any(
            r.startswith(f"{platform}/") and r.split("/")[-1].startswith(f"{entity}.")
            for r in rejected
        )
    ]
