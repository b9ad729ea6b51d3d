"""The published tables, each declared once (a pandera model: columns, types, keys,
descriptions with units), and what is made from the declarations: the warehouse's DDL, the
comments of the published file's tables and views, and the README's data dictionary
(`python -m schemas.declared` rewrites it)."""

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandera.polars as pa
import polars as pl

from schemas import ops
from schemas.marts import (
    AuthenticityEventDays,
    AuthenticityEvents,
    CampaignPerformance,
    CampaignTierSummary,
    CreatorDailyMetrics,
    CreatorRankings,
    TierBenchmarks,
    TierHistory,
)

PUBLISHED: dict[str, type[pa.DataFrameModel]] = {
    "marts.creator_daily_metrics": CreatorDailyMetrics,
    "marts.creator_rankings": CreatorRankings,
    "marts.tier_benchmarks": TierBenchmarks,
    "marts.tier_history": TierHistory,
    "marts.authenticity_events": AuthenticityEvents,
    "marts.campaign_performance": CampaignPerformance,
    "marts.campaign_tier_summary": CampaignTierSummary,
    "ops.runs": ops.Runs,
    "ops.loads": ops.Loads,
    "ops.quarantine": ops.Quarantine,
    "ops.freshness": ops.Freshness,
}
"""Every table of the published file, by its name there (and in the warehouse)."""

WAREHOUSE_ONLY: dict[str, type[pa.DataFrameModel]] = {
    "marts.authenticity_event_days": AuthenticityEventDays,
}
"""Tables of the warehouse made from a declaration that the published file does not hold."""

VIEWS: dict[str, tuple[type[pa.DataFrameModel], str]] = {
    "marts.latest_creator_metrics": (
        CreatorDailyMetrics,
        "creator_daily_metrics of the latest as-of date published, the same columns.",
    ),
    "marts.latest_rankings": (
        CreatorRankings,
        "creator_rankings of the latest as-of date published, the same columns.",
    ),
}
"""The convenience views of the published file (sql/published/<name>.sql): the model whose
columns each has, and its description (empty: the model's)."""

DUCKDB_TYPES = {
    pl.Date: "date",
    pl.String: "varchar",
    pl.Int64: "bigint",
    pl.Int32: "integer",
    pl.Float64: "double",
    pl.Boolean: "boolean",
    pl.Datetime: "timestamp",
    pl.List: "varchar[]",  # the only lists: of flags
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    description: str


def columns(model: type[pa.DataFrameModel]) -> list[Column]:
    """A table's columns in order, with their DuckDB types."""
    return [
        Column(name, DUCKDB_TYPES[column.dtype.type.base_type()], column.nullable,
               column.description or "")
        for name, column in model.to_schema().columns.items()
    ]  # fmt: skip


def polars_columns(model: type[pa.DataFrameModel]) -> dict[str, pl.DataType]:
    """A table's columns in order, with their polars types (what transforms select)."""
    return {name: column.dtype.type for name, column in model.to_schema().columns.items()}


def description(model: type[pa.DataFrameModel]) -> str:
    return model.to_schema().description or ""


def key(model: type[pa.DataFrameModel]) -> list[str]:
    unique = model.to_schema().unique
    return [unique] if isinstance(unique, str) else list(unique or [])


def create_table(table: str) -> list[str]:
    """The statements that create `table` as declared, or add the columns an older warehouse
    lacks (a new column must be nullable)."""
    model = PUBLISHED.get(table) or WAREHOUSE_ONLY[table]
    body = ",\n".join(
        f"    {c.name} {c.type}{'' if c.nullable else ' not null'}" for c in columns(model)
    )
    added = [
        f"alter table {table} add column if not exists {c.name} {c.type}"
        for c in columns(model)
        if c.nullable
    ]
    return [f"create table if not exists {table} (\n{body}\n)", *added]


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comments(table: str, relation: str, kind: str) -> list[str]:
    """COMMENT statements for `relation` (a table or view, `kind`) holding `table`'s rows (a
    published table or a convenience view)."""
    model, about = VIEWS[table] if table in VIEWS else (PUBLISHED[table], "")
    return [
        f"comment on {kind} {relation} is {_quoted(about or description(model))}",
        *(
            f"comment on column {relation}.{c.name} is {_quoted(c.description)}"
            for c in columns(model)
        ),
    ]


def data_dictionary() -> str:
    """The README's data dictionary, made from the declarations."""
    parts = []
    for table, model in PUBLISHED.items():
        grain = key(model)
        parts += [
            f"### `{table}`",
            "",
            description(model) + (f" Key: `({', '.join(grain)})`." if grain else ""),
            "",
            "| column | type | meaning |",
            "|---|---|---|",
            *(
                f"| `{c.name}` | {c.type}{'' if c.nullable else ', not null'} | {c.description} |"
                for c in columns(model)
            ),
            "",
        ]
    parts += ["Views, for dashboards that want them ready-made:", ""]
    for view, (model, about) in VIEWS.items():
        if about:
            parts.append(f"- `{view}`: {about}")
        else:
            listed = ", ".join(f"`{c.name}` ({c.description})" for c in columns(model))
            parts.append(f"- `{view}`: {description(model)} Columns: {listed}.")
    return "\n".join(parts) + "\n"


README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN = "<!-- data dictionary: made by `python -m schemas.declared`, do not edit by hand -->"
END = "<!-- end of data dictionary -->"


def readme_with_dictionary(readme: str) -> str:
    """The README with its data dictionary section made anew."""
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _: f"{BEGIN}\n\n{data_dictionary()}\n{END}", readme)


if __name__ == "__main__":
    README.write_text(readme_with_dictionary(README.read_text()))
    sys.stdout.write(f"wrote the data dictionary of {README}\n")
