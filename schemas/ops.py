"""Ops layer: the pipeline's own records (design section 5), the first four copied into the
published file for BI, the last three the warehouse's alone. Declarations only: the pipeline
writes these rows itself, they are not validated."""

import pandera.polars as pa
import polars as pl
from pandera.typing.polars import Series

TIMESTAMP = pl.Datetime("us")
ENTRY = {"entry": True}
"""A column of a quarantine entry as the checks make it (the loader adds which load and when)."""


class Runs(pa.DataFrameModel):
    """runs: one row per flow run that reached the warehouse."""

    run_id: str = pa.Field(description="the Prefect flow run's id")
    flow: str = pa.Field(description="nightly or backfill")
    parameters: str = pa.Field(nullable=True, description="the run's parameters, as JSON")
    started_at: Series[TIMESTAMP] = pa.Field(description="when the run started (UTC)")
    finished_at: Series[TIMESTAMP] = pa.Field(
        nullable=True, description="when the run ended (UTC); null while it runs"
    )
    status: str = pa.Field(
        description="running, completed, failed or cancelled (stopped by Ctrl-C or SIGTERM)"
    )
    rows_loaded: Series[pl.Int64] = pa.Field(
        nullable=True, description="rows (count) the run wrote to staging"
    )
    rows_quarantined: Series[pl.Int64] = pa.Field(
        nullable=True, description="rows (count) the run set aside in quarantine"
    )
    rows_published: Series[pl.Int64] = pa.Field(
        nullable=True, description="mart rows (count) of the file the run published"
    )
    failure_reason: str = pa.Field(
        nullable=True, description="why the run failed, one line; null unless it did"
    )
    first_as_of_date: pl.Date = pa.Field(
        nullable=True, description="the first as-of date the run computed"
    )
    last_as_of_date: pl.Date = pa.Field(
        nullable=True, description="the last as-of date the run computed"
    )
    rows_written: Series[pl.Int64] = pa.Field(
        nullable=True, description="mart rows (count) the run computed and wrote"
    )
    computed_dates: str = pa.Field(
        nullable=True, description="which as-of dates the run computed, and why"
    )

    class Config:
        unique = ["run_id"]
        description = "One row per flow run: what it was asked, how it ended, what it moved."


class Loads(pa.DataFrameModel):
    """loads: one row per file load."""

    load_id: str = pa.Field(description="the load's id")
    run_id: str = pa.Field(nullable=True, description="the run that loaded the file")
    file: str = pa.Field(description="the file's path in the export folder")
    platform: str = pa.Field(nullable=True, description="its platform; null for agency files")
    entity: str = pa.Field(
        nullable=True, description="creators, posts, roster, rate_cards or fx_rates"
    )
    snapshot_date: pl.Date = pa.Field(
        nullable=True, description="the date folder it came in; null for agency files"
    )
    content_sha256: str = pa.Field(nullable=True, description="SHA-256 of its bytes, hex")
    file_size: Series[pl.Int64] = pa.Field(nullable=True, description="its size, bytes")
    file_mtime_ns: Series[pl.Int64] = pa.Field(
        nullable=True, description="its modification time, nanoseconds since 1970 (UTC)"
    )
    status: str = pa.Field(description="loaded or rejected")
    rows_read: Series[pl.Int32] = pa.Field(nullable=True, description="rows (count) in the file")
    rows_loaded: Series[pl.Int32] = pa.Field(
        nullable=True, description="rows (count) written to staging"
    )
    rows_quarantined: Series[pl.Int32] = pa.Field(
        nullable=True, description="rows (count) set aside in quarantine"
    )
    rows_duplicate: Series[pl.Int32] = pa.Field(
        nullable=True, description="rows (count) dropped as repeats of a key (the last kept)"
    )
    message: str = pa.Field(nullable=True, description="why the file was rejected, and what to do")
    loaded_at: Series[TIMESTAMP] = pa.Field(description="when it was loaded or rejected (UTC)")

    class Config:
        unique = ["load_id"]
        description = (
            "One row per file load: a file loaded (first time or restated) or rejected; "
            "unchanged files add none."
        )


class Quarantine(pa.DataFrameModel):
    """quarantine: one row per broken rule of a delivered row."""

    load_id: str = pa.Field(description="the load of the file")
    run_id: str = pa.Field(nullable=True, description="the run that loaded it")
    file: str = pa.Field(description="the file's path in the export folder")
    row_number: Series[pl.Int64] = pa.Field(
        nullable=True, description="the row's 1-based record number in the file", metadata=ENTRY
    )
    field: str = pa.Field(nullable=True, description="the field as delivered", metadata=ENTRY)
    rule: str = pa.Field(
        description="the rule the value broke (README, loading rules)", metadata=ENTRY
    )
    value: str = pa.Field(nullable=True, description="the value as delivered", metadata=ENTRY)
    quarantined_at: Series[TIMESTAMP] = pa.Field(description="when it was set aside (UTC)")

    class Config:
        description = (
            "One row per broken rule of a delivered row: which file, row, field, rule and value."
        )


class Freshness(pa.DataFrameModel):
    """freshness: how recent each source was at the last run."""

    platform: str = pa.Field(description="instagram, tiktok or youtube")
    entity: str = pa.Field(description="creators or posts")
    latest_snapshot_date: pl.Date = pa.Field(description="the latest snapshot date loaded")
    latest_loaded_at: Series[TIMESTAMP] = pa.Field(
        description="when a file of it was last loaded (UTC)"
    )
    checked_on: pl.Date = pa.Field(description="the run's date it was compared with")
    days_behind: Series[pl.Int32] = pa.Field(
        description="days (count) from latest_snapshot_date to checked_on"
    )
    status: str = pa.Field(
        description="fresh; warn from CREATORLENS_FRESHNESS_WARN_AFTER_DAYS behind (1); error "
        "from CREATORLENS_FRESHNESS_ERROR_AFTER_DAYS behind (3)"
    )

    class Config:
        unique = ["platform", "entity"]
        description = (
            "One row per platform and entity at the last run: the latest snapshot date loaded, "
            "the latest load time, and how far it lags the run's date, to hear when a source "
            "stops delivering."
        )


class Changes(pa.DataFrameModel):
    """changes: one row per loaded partition whose rows can change computed as-of dates."""

    load_id: str = pa.Field(description="the load of the partition (ops.loads)")
    first_as_of_date: pl.Date = pa.Field(
        nullable=True, description="the first as-of date its rows reach; null: open-ended"
    )
    last_as_of_date: pl.Date = pa.Field(
        nullable=True, description="the last as-of date its rows reach; null: open-ended"
    )
    reason: str = pa.Field(description="why those dates change, for the run's record")

    class Config:
        description = (
            "One row per loaded partition whose rows can change already-computed as-of dates, "
            "until a nightly run recomputes them."
        )


class PublishedFiles(pa.DataFrameModel):
    """published_files: one row per Parquet file a publish wrote, until it is removed."""

    mart: str = pa.Field(description="the mart the file holds")
    as_of_date: pl.Date = pa.Field(
        nullable=True, description="the as-of date it holds; null: the whole mart"
    )
    path: str = pa.Field(description="its path in the folder beside the published file")
    published_at: Series[TIMESTAMP] = pa.Field(description="when a publish wrote it (UTC)")
    retired_at: Series[TIMESTAMP] = pa.Field(
        nullable=True, description="when no published file named it any more; null while one does"
    )

    class Config:
        description = "One row per Parquet file a publish wrote, until it is removed."


class UnpublishedDates(pa.DataFrameModel):
    """unpublished_dates: the as-of dates computed but not yet published."""

    as_of_date: pl.Date = pa.Field(description="an as-of date computed since the last publish")

    class Config:
        description = "The as-of dates computed into the warehouse but not yet published."
        unique = ["as_of_date"]
        metadata = {"primary_key": True}


class BriefChanges(Changes):
    """brief_changes: one row per loaded audience partition or briefs file whose rows can change
    the brief_matches of computed as-of dates."""

    class Config:
        description = (
            "One row per loaded audience partition or briefs file whose rows can change "
            "marts.brief_matches of already-computed as-of dates, until a run recomputes it "
            "(the other marts of those dates need nothing)."
        )
