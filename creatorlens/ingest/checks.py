"""A batch of files' rows checked: the raw layer's rules (readable fields), then typed into their
staging table as its declaration says and checked by its model, duplicates of a key dropped;
the rows that break a rule become quarantine entries, a file missing a required field is
rejected."""

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandera.polars as pa
import polars as pl

from creatorlens.ingest.files import (
    ExportFile,
    RejectedFileError,
)
from creatorlens.ingest.report import FileOutcome
from creatorlens.schemas.audience import BRIEF_LISTS
from creatorlens.schemas.declared import QUARANTINE_ENTRY, key, table_metadata
from creatorlens.schemas.kinds import parse_value, with_parsed
from creatorlens.schemas.platforms import ADAPTERS, EntitySpec, Kind
from creatorlens.schemas.raw import raw_schema, required_fields
from creatorlens.schemas.staging import STAGED
from creatorlens.transforms import staging
from creatorlens.transforms.staging import ROW
from creatorlens.warehouse import registered

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
    file: ExportFile,
    raw: pl.DataFrame,
    members: pl.DataFrame | None = None,
    creators: pl.DataFrame | None = None,
) -> ValidatedFile:
    """Typed staging rows of a file, its quarantined rows and its duplicate count (`members`:
    the campaigns' creators a results file is checked against; `creators`: the creators of
    the days an audience file is checked against)."""
    (result,) = validate_files([(file, raw)], members, creators)
    if isinstance(result, RejectedFileError):
        raise result
    return result


def validate_files(
    files: list[tuple[ExportFile, pl.DataFrame]],
    members: pl.DataFrame | None = None,
    creators: pl.DataFrame | None = None,
) -> list[ValidatedFile | RejectedFileError]:
    """Each file's typed staging rows, quarantined rows and duplicates, or why it is rejected.

    Files of one kind with the same fields are checked together, in one pandera validation per
    layer: its cost is mostly per call, so this is what makes validation cost per row rather
    than per file. Each file's rows, quarantine and counts come out as if checked alone.
    A results row of a creator not in `members` (campaign_id, platform, account_id; none
    given: no campaign has creators) is quarantined, and so is an audience line of a creator
    not in `creators` (platform, snapshot_date, account_id: the creators files of its day).
    """
    results: list[ValidatedFile | RejectedFileError | None] = [None] * len(files)
    groups: dict[tuple, list[int]] = {}
    for index, (file, raw) in enumerate(files):
        try:
            _check_fields(file, raw)
            if file.entity == "briefs":
                _check_brief_values(file, raw)
        except RejectedFileError as error:
            results[index] = error
            continue
        groups.setdefault((file.platform, file.entity, tuple(raw.columns)), []).append(index)
    for indices in groups.values():
        group = [files[index] for index in indices]
        checked = _validate_group(group, members, creators)
        for index, validated in zip(indices, checked, strict=True):
            results[index] = validated
    return results


def _validate_group(
    files: list[tuple[ExportFile, pl.DataFrame]],
    members: pl.DataFrame | None,
    creators: pl.DataFrame | None,
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
    if first.entity == "audience":
        good, outsiders = _in_creators(good, creators)
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


MEMBER_SCHEMA = dict.fromkeys(MEMBERS, pl.String)
CREATOR = {"platform": pl.String, "snapshot_date": pl.Date, "account_id": pl.String}
"""A creator of a day: an audience line of any other is quarantined (in_creators)."""


def _in_campaign(
    rows: pl.DataFrame, members: pl.DataFrame | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(results rows of a campaign's creators, quarantine entries of the others)."""
    return _among(rows, members, MEMBER_SCHEMA, "in_campaign")


def _in_creators(
    rows: pl.DataFrame, creators: pl.DataFrame | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(audience rows of the creators of their day, quarantine entries of the others: one a
    line and rule, whatever its buckets)."""
    return _among(rows, creators, CREATOR, "in_creators")


def _among(
    rows: pl.DataFrame, known: pl.DataFrame | None, key: dict, rule: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the rows whose `key` is among `known`'s, quarantine entries of the others under
    `rule`, their account_id the value reported)."""
    known = pl.DataFrame(schema=key) if known is None else known.select(list(key)).unique()
    outside = rows.join(known, on=list(key), how="anti")
    entries = outside.select(
        pl.col(FILE),
        pl.col(ROW).alias("row_number"),
        pl.lit("account_id").alias("field"),
        pl.lit(rule).alias("rule"),
        pl.col("account_id").alias("value"),
    ).unique(maintain_order=True)
    return rows.join(outside.select(FILE, ROW), on=[FILE, ROW], how="anti"), entries


def creators_of(con: duckdb.DuckDBPyConnection, files: list[ExportFile]) -> pl.DataFrame:
    """The creators loaded for the days (and platforms) of `files` (platform, snapshot_date,
    account_id): what their audience lines are checked against."""
    days = pl.DataFrame(
        [(f.platform, f.snapshot_date) for f in files],
        schema={"platform": pl.String, "snapshot_date": pl.Date},
        orient="row",
    ).unique()
    with registered(con, "audience_days", days):
        return con.sql(
            "select platform, snapshot_date, account_id from staging.stg_creator_snapshots"
            " semi join audience_days using (platform, snapshot_date)"
        ).pl()


def _check_brief_values(file: ExportFile, raw: pl.DataFrame) -> None:
    """Reject a briefs file naming a value its lists do not know, with the brief and value."""
    lists = {**BRIEF_LISTS, "platforms": tuple(ADAPTERS)}
    for column, known in lists.items():
        if column not in raw.columns:
            continue
        values = raw.select(
            pl.col("brief_id"), parse_value(column, Kind.LIST).alias("value")
        ).explode("value")
        unknown = values.filter(pl.col("value").is_not_null() & ~pl.col("value").is_in(known))
        if unknown.height:
            brief, value = unknown.row(0)
            shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
            raise RejectedFileError(
                file.relative,
                f"brief {brief}: {column} value '{value}' is not one of {shown}; use canonical "
                "values separated by ;",
            )


def campaign_members(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The campaigns' creators loaded (campaign_id, platform, account_id)."""
    return con.sql(f"select {', '.join(MEMBERS)} from staging.stg_campaign_creators").pl()
