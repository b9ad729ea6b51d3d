"""Raw text columns, as delivered, to typed staging rows (stg_ tables), as each table's
declaration says (schemas.staging): the columns the file's folder gives, the delivered fields
typed by their kind's parse, and the columns made from those."""

from collections.abc import Callable
from datetime import date

import pandera.polars as pa
import polars as pl

from creatorlens.schemas.audience import AUDIENCES, GENDER_LABELS
from creatorlens.schemas.kinds import parsed_value
from creatorlens.schemas.platforms import EntitySpec
from creatorlens.schemas.staging import (
    DELIVERED,
    FOLDER,
    StgAudience,
    StgCreatorSnapshots,
    StgPostSnapshots,
)

ROW = "source_row"
"""1-based record number of a row in its file, carried from reading to quarantine."""

ENGAGEMENT_COLUMNS = ("likes", "comments", "shares", "saves")


def declared_fields(
    model: type[pa.DataFrameModel], source: dict[str, str]
) -> dict[str, pl.DataType]:
    """A staging table's columns of one source (FOLDER, DELIVERED), with their polars types."""
    return {
        name: column.dtype.type
        for name, column in model.to_schema().columns.items()
        if (column.metadata or {}).get("source") == source["source"]
    }


def _typed_fields(
    raw: pl.DataFrame, spec: EntitySpec, fields: dict[str, pl.DataType]
) -> list[pl.Expr]:
    exprs = []
    for target, dtype in fields.items():
        field = spec.field(target)
        if field is None or field.source not in raw.columns:
            exprs.append(pl.lit(None, dtype).alias(target))
        else:
            value = parsed_value(raw.columns, field.source, field.kind)
            exprs.append(value.cast(dtype).alias(target))
    return exprs


def _folder_columns(
    model: type[pa.DataFrameModel], platform: str | None, day: date | None
) -> list[pl.Expr]:
    """The columns the file's place gives: its platform folder, and its date folder."""
    return [
        pl.lit(platform if dtype == pl.String else day, dtype).alias(name)
        for name, dtype in declared_fields(model, FOLDER).items()
    ]


def _hidden_followers(typed: pl.DataFrame) -> pl.DataFrame:
    """Followers null where the platform hides them."""
    hidden = pl.col("is_followers_hidden").fill_null(False)
    return typed.with_columns(
        is_followers_hidden=hidden,
        followers=pl.when(hidden).then(None).otherwise(pl.col("followers")),
    )


def _published_date(typed: pl.DataFrame) -> pl.DataFrame:
    """A post's published UTC date."""
    return typed.with_columns(published_date=pl.col("published_at").dt.date())


AGE_LABELS = pl.DataFrame(
    [
        (platform, label, bucket)
        for platform, spec in AUDIENCES.items()
        for label, bucket in spec.ages.items()
    ],
    schema={"platform": pl.String, "label": pl.String, "age": pl.String},
    orient="row",
)
"""Each platform's age labels and the canonical bucket of each."""


def _gender(label: pl.Expr) -> pl.Expr:
    lower = label.str.to_lowercase()
    return lower.replace_strict(GENDER_LABELS, default=label, return_dtype=pl.String)


def _canonical_buckets(typed: pl.DataFrame) -> pl.DataFrame:
    """An audience row's canonical bucket (and gender, for a joint age-and-gender cell); a
    label the platform's declaration does not know is kept as delivered, for the checks to
    quarantine."""
    with_ages = typed.join(AGE_LABELS, on=["platform", "label"], how="left")
    dimension, label = pl.col("dimension"), pl.col("label")
    return with_ages.with_columns(
        bucket=pl.when(dimension == "country")
        .then(label.str.to_uppercase())
        .when(dimension.is_in(["age", "age_gender"]))
        .then(pl.coalesce("age", label))
        .when(dimension == "gender")
        .then(_gender(label))
        .otherwise(label),
        gender=pl.when(dimension == "age_gender").then(_gender(pl.col("gender_label"))),
    ).drop("age")


DERIVED: dict[type[pa.DataFrameModel], Callable[[pl.DataFrame], pl.DataFrame]] = {
    StgCreatorSnapshots: _hidden_followers,
    StgPostSnapshots: _published_date,
    StgAudience: _canonical_buckets,
}
"""What each staging table makes of its typed fields (its columns declared DERIVED, and any
rule between columns)."""


def stage(
    model: type[pa.DataFrameModel],
    raw: pl.DataFrame,
    spec: EntitySpec,
    platform: str | None = None,
    day: date | None = None,
) -> pl.DataFrame:
    """One typed row per delivered row of a file for the staging table `model` declares, with
    its source row; `platform` and `day` are the file's folders (none for an agency file)."""
    typed = raw.select(
        *_folder_columns(model, platform, day),
        *_typed_fields(raw, spec, declared_fields(model, DELIVERED)),
        pl.col(ROW),
    )
    return DERIVED.get(model, lambda frame: frame)(typed)


def one_row_per_key(frame: pl.DataFrame, key: list[str]) -> bool:
    """Whether no two rows share a key, shown by their keys' hashes all differing: a third of
    the cost of an exact check. A collision answers False, so it only sends rows the general
    (sort and unique) way, never wrongly past it."""
    return frame.select(pl.struct(key).hash().n_unique()).item() == frame.height


def keep_last_per_key(frame: pl.DataFrame, key: list[str]) -> tuple[pl.DataFrame, int]:
    """The frame with only the last row (by source row) of each key, and how many were dropped."""
    if one_row_per_key(frame, key):  # as an export gives
        return frame, 0
    deduplicated = frame.sort(ROW).unique(subset=key, keep="last", maintain_order=True)
    return deduplicated, frame.height - deduplicated.height
