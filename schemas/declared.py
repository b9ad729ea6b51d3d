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


RULE_COLUMNS = ("authenticity_flags", "authenticity_score")
"""Columns whose comment in the published file also states the authenticity rules."""


def rules_summary() -> str:
    """The authenticity rules in one paragraph (each flag, its meaning and penalty), from
    their declaration."""
    from transforms.authenticity_rules import DECLARED  # noqa: PLC0415

    return "Rules: " + "; ".join(
        f"{rule.flag} (-{rule['penalty']:g}): {rule.meaning}" for rule in DECLARED.rules
    )


def comments(table: str, relation: str, kind: str) -> list[str]:
    """COMMENT statements for `relation` (a table or view, `kind`) holding `table`'s rows (a
    published table or a convenience view)."""
    model, about = VIEWS[table] if table in VIEWS else (PUBLISHED[table], "")
    rules = rules_summary()
    return [
        f"comment on {kind} {relation} is {_quoted(about or description(model))}",
        *(
            f"comment on column {relation}.{c.name} is "
            + _quoted(f"{c.description}. {rules}" if c.name in RULE_COLUMNS else c.description)
            for c in columns(model)
        ),
    ]


def rules_markdown() -> str:
    """The README's table of the authenticity rules and their parameters, from their
    declaration (transforms/authenticity_rules.py)."""
    from transforms.authenticity_rules import DECLARED  # noqa: PLC0415

    lines = ["| rule | parameter | value | unit | meaning |", "|---|---|---|---|---|"]
    for rule in (DECLARED.signals, *DECLARED.rules, DECLARED.score):
        lines.append(f"| **`{rule.flag}`** | | | | {rule.meaning} |")
        lines += [
            f"| | `{p.name}` | {p.value:g} | {p.unit} | {p.meaning} |" for p in rule.parameters
        ]
    return "\n".join(lines) + "\n"


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


RULES_BEGIN = (
    "<!-- authenticity rules: made by `python -m schemas.declared` from "
    "transforms/authenticity_rules.py, do not edit by hand -->"
)
RULES_END = "<!-- end of authenticity rules -->"


def readme_with_dictionary(readme: str) -> str:
    """The README with its data dictionary and its table of authenticity rules made anew."""
    for begin, end, made in (
        (BEGIN, END, data_dictionary),
        (RULES_BEGIN, RULES_END, rules_markdown),
    ):
        pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
        readme = pattern.sub(lambda _, b=begin, e=end, m=made: f"{b}\n\n{m()}\n{e}", readme)
    return readme


if __name__ == "__main__":
    README.write_text(readme_with_dictionary(README.read_text()))
    sys.stdout.write(f"wrote the data dictionary of {README}\n")
