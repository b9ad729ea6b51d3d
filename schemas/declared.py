"""Every table, each declared once (a pandera model: columns, types, keys, descriptions with
units, and for staging where each column comes from), and what is made from the declarations:
the warehouse's DDL and column comments, the comments of the published file's tables and views,
the data dictionaries docs/marts.md and docs/warehouse.md, and the table of the authenticity
rules in docs/authenticity.md (`python -m creatorlens.schemas.declared` writes them)."""

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandera.polars as pa
import polars as pl

from creatorlens.schemas import ops
from creatorlens.schemas.marts import (
    AuthenticityEventDays,
    AuthenticityEvents,
    BriefMatches,
    CampaignPerformance,
    CampaignTierSummary,
    CreatorDailyMetrics,
    CreatorRankings,
    TierBenchmarks,
    TierHistory,
)
from creatorlens.schemas.staging import LINEAGE, STAGED

PUBLISHED: dict[str, type[pa.DataFrameModel]] = {
    "marts.creator_daily_metrics": CreatorDailyMetrics,
    "marts.creator_rankings": CreatorRankings,
    "marts.tier_benchmarks": TierBenchmarks,
    "marts.tier_history": TierHistory,
    "marts.authenticity_events": AuthenticityEvents,
    "marts.campaign_performance": CampaignPerformance,
    "marts.campaign_tier_summary": CampaignTierSummary,
    "marts.brief_matches": BriefMatches,
    "ops.runs": ops.Runs,
    "ops.loads": ops.Loads,
    "ops.quarantine": ops.Quarantine,
    "ops.freshness": ops.Freshness,
}
"""Every table of the published file, by its name there (and in the warehouse)."""

MARTS = {
    "creator_daily_metrics": ("as_of_date", "platform", "account_id"),
    "creator_rankings": ("as_of_date", "platform", "tier", "rank"),
    "tier_benchmarks": ("as_of_date", "platform", "tier"),
    "tier_history": ("platform", "account_id", "valid_from"),
    "authenticity_events": ("platform", "account_id", "flag", "start_date"),
    "campaign_performance": ("campaign_id", "platform", "account_id"),
    "campaign_tier_summary": ("campaign_id", "platform", "tier_at_start"),
    "brief_matches": ("as_of_date", "brief_id", "platform", "account_id"),
}
"""Each mart (schema marts) and the columns its rows are ordered by: its key, or for rankings
the columns that sort them. The published files are written in this order."""


def table_metadata(model: type[pa.DataFrameModel]) -> dict:
    """What a model's Config.metadata declares of its table (name, entity, partition, ...)."""
    return getattr(model.Config, "metadata", None) or {}


STAGING: dict[str, type[pa.DataFrameModel]] = {
    table_metadata(model)["table"]: model for model in STAGED.values()
}
"""The staging tables the loader writes, by name."""

WAREHOUSE_ONLY: dict[str, type[pa.DataFrameModel]] = {
    "marts.authenticity_event_days": AuthenticityEventDays,
    "ops.changes": ops.Changes,
    "ops.published_files": ops.PublishedFiles,
    "ops.unpublished_dates": ops.UnpublishedDates,
    "ops.brief_changes": ops.BriefChanges,
    **STAGING,
}
"""Tables of the warehouse that the published file does not hold."""

DECLARED_TABLES = {**PUBLISHED, **WAREHOUSE_ONLY}
"""Every table of the warehouse made from its declaration, in the order they are created."""

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


QUARANTINE_ENTRY = {
    name: dtype
    for name, dtype in polars_columns(ops.Quarantine).items()
    if (ops.Quarantine.to_schema().columns[name].metadata or {}).get("entry")
}
"""A quarantine entry as the checks make it (row_number, field, rule, value): ops.quarantine's
columns the loader does not add itself."""


def description(model: type[pa.DataFrameModel]) -> str:
    return model.to_schema().description or ""


def key(model: type[pa.DataFrameModel]) -> list[str]:
    unique = model.to_schema().unique
    return [unique] if isinstance(unique, str) else list(unique or [])


def warehouse_columns(table: str) -> list[Column]:
    """A warehouse table's columns as created: the declared ones, and a staging table's lineage
    (schemas.staging.LINEAGE) after them."""
    model = PUBLISHED.get(table) or WAREHOUSE_ONLY[table]
    lineage = [Column(name, kind, False, meaning) for name, (kind, meaning) in LINEAGE.items()]
    return columns(model) + (lineage if "entity" in table_metadata(model) else [])


def create_table(table: str) -> list[str]:
    """The statements that create `table` as declared, or add the columns an older warehouse
    lacks (a new column must be nullable), and comment it."""
    model = PUBLISHED.get(table) or WAREHOUSE_ONLY[table]
    declared = warehouse_columns(table)
    body = [f"    {c.name} {c.type}{'' if c.nullable else ' not null'}" for c in declared]
    if table_metadata(model).get("primary_key"):
        body.append(f"    primary key ({', '.join(key(model))})")
    added = [
        f"alter table {table} add column if not exists {c.name} {c.type}"
        for c in declared
        if c.nullable
    ]
    comments = [
        f"comment on table {table} is {_quoted(text)}"
        if column is None
        else f"comment on column {table}.{column} is {_quoted(text)}"
        for column, text in warehouse_comments(table).items()
    ]
    body_text = ",\n".join(body)
    return [f"create table if not exists {table} (\n{body_text}\n)", *added, *comments]


def warehouse_comments(table: str) -> dict[str | None, str]:
    """The comments a warehouse table carries, by column (None: the table's own). A published
    table carries none in the warehouse: the published file's copy of it does."""
    if table in PUBLISHED:
        return {}
    about = {None: description(WAREHOUSE_ONLY[table])}
    return about | {c.name: c.description for c in warehouse_columns(table)}


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


RULE_COLUMNS = ("authenticity_flags", "authenticity_score")
"""Columns whose comment in the published file also states the authenticity rules."""


def rules_summary() -> str:
    """The authenticity rules in one paragraph (each flag, its meaning and penalty), from
    their declaration."""
    from creatorlens.schemas.authenticity_rules import DECLARED  # noqa: PLC0415

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
    """docs/authenticity.md's table of the authenticity rules and their parameters, from their
    declaration (schemas/authenticity_rules.py)."""
    from creatorlens.schemas.authenticity_rules import DECLARED  # noqa: PLC0415

    lines = ["| rule | parameter | value | unit | meaning |", "|---|---|---|---|---|"]
    for rule in (DECLARED.signals, *DECLARED.rules, DECLARED.score):
        lines.append(f"| **`{rule.flag}`** | | | | {rule.meaning} |")
        lines += [
            f"| | `{p.name}` | {p.value:g} | {p.unit} | {p.meaning} |" for p in rule.parameters
        ]
    return "\n".join(lines) + "\n"


def _section(table: str, model: type[pa.DataFrameModel], listed: list[Column]) -> list[str]:
    grain = key(model)
    partition = table_metadata(model).get("partition")
    replaced = (
        f" A file replaces the rows of its `({', '.join(partition)})`."
        if partition
        else " A file replaces the whole table."
        if partition is not None
        else ""
    )
    return [
        f"### `{table}`",
        "",
        description(model) + (f" Key: `({', '.join(grain)})`." if grain else "") + replaced,
        "",
        "| column | type | meaning |",
        "|---|---|---|",
        *(
            f"| `{c.name}` | {c.type}{'' if c.nullable else ', not null'} | {c.description} |"
            for c in listed
        ),
        "",
    ]


GENERATED = (
    "<!-- made by `python -m creatorlens.schemas.declared` from schemas/, do not edit by hand -->"
)


def marts_dictionary() -> str:
    """docs/marts.md: the published file's tables and views, the BI interface."""
    parts = [
        GENERATED,
        "",
        "# The published marts",
        "",
        "The tables and views of the published file (`data/creatorlens.duckdb`) that BI tools "
        "read; the same text is on each table and column as a comment in the file. Names and "
        "columns change only with a note in CHANGELOG.md.",
        "",
    ]
    for table, model in PUBLISHED.items():
        parts += _section(table, model, columns(model))
    parts += ["Views, for dashboards that want them ready-made:", ""]
    for view, (model, about) in VIEWS.items():
        if about:
            parts.append(f"- `{view}`: {about}")
        else:
            listed = ", ".join(f"`{c.name}` ({c.description})" for c in columns(model))
            parts.append(f"- `{view}`: {description(model)} Columns: {listed}.")
    return "\n".join(parts) + "\n"


def warehouse_dictionary() -> str:
    """docs/warehouse.md: the warehouse's own tables (staging, and its ops and marts records)."""
    parts = [
        GENERATED,
        "",
        "# The warehouse's own tables",
        "",
        "The pipeline's DuckDB file (`data/warehouse.duckdb`) holds the published tables "
        "(docs/marts.md) and these, which only the pipeline reads. A staging table's columns come "
        "from the file's folder (platform, date), a delivered field (named per platform in "
        "schemas/platforms.py) or the staging transform; every staging row also carries "
        + " and ".join(f"`{name}` ({meaning})" for name, (_, meaning) in LINEAGE.items())
        + ".",
        "",
    ]
    for table, model in WAREHOUSE_ONLY.items():
        parts += _section(table, model, warehouse_columns(table))
    return "\n".join(parts) + "\n"


ROOT = Path(__file__).resolve().parent.parent  # the repository: docs are made in a checkout
RULES_DOC = ROOT / "docs" / "authenticity.md"
DOCS = {
    ROOT / "docs" / "marts.md": marts_dictionary,
    ROOT / "docs" / "warehouse.md": warehouse_dictionary,
}
"""The generated docs, and what makes each."""

RULES_BEGIN = (
    "<!-- authenticity rules: made by `python -m creatorlens.schemas.declared` from "
    "schemas/authenticity_rules.py, do not edit by hand -->"
)
RULES_END = "<!-- end of authenticity rules -->"


def with_rules(text: str) -> str:
    """docs/authenticity.md with its table of authenticity rules made anew."""
    pattern = re.compile(re.escape(RULES_BEGIN) + ".*?" + re.escape(RULES_END), re.S)
    return pattern.sub(lambda _: f"{RULES_BEGIN}\n\n{rules_markdown()}\n{RULES_END}", text)


if __name__ == "__main__":
    for path, made in DOCS.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(made())
    RULES_DOC.write_text(with_rules(RULES_DOC.read_text()))
    written = [*DOCS, RULES_DOC]
    sys.stdout.write(f"wrote {', '.join(str(p.relative_to(ROOT)) for p in written)}\n")
