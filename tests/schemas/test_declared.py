"""One declaration per table: every list the pipeline uses of a table's columns is made from its
pandera model, and agrees with it. Adding a column to a staging table is an edit of its model
(and, for a delivered field, of the adapters that name it): these tests fail if any derived list
is left behind."""

from datetime import date

import duckdb
import pandera.polars as pa
import polars as pl
import pytest

from creatorlens.ingest.changes import AGENCY_COLUMNS
from creatorlens.ingest.checks import QUARANTINE_SCHEMA, TARGETS
from creatorlens.schemas import declared
from creatorlens.schemas.platforms import ADAPTERS, AGENCY_SPECS, DATED_SPECS, SourceField
from creatorlens.schemas.staging import DELIVERED, LINEAGE, STAGED, StgRoster
from creatorlens.transforms.staging import ROW, declared_fields, stage
from creatorlens.warehouse import migrate_warehouse


def specs_of(entity: str) -> list:
    """Every adapter's spec of an entity (each platform's for creators and posts)."""
    if entity in AGENCY_SPECS:
        return [AGENCY_SPECS[entity]]
    if entity in DATED_SPECS:
        return [DATED_SPECS[entity]]
    return [adapter.entity(entity) for adapter in ADAPTERS.values()]


def test_the_warehouse_has_every_declared_table_with_its_columns_as_declared(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    migrate_warehouse(path)
    migrate_warehouse(path)  # again: nothing to do, and no error
    with duckdb.connect(str(path), read_only=True) as con:
        for table in declared.DECLARED_TABLES:
            schema, name = table.split(".")
            found = con.execute(
                "select column_name, data_type, is_nullable = 'YES' from information_schema.columns"
                " where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            expected = [
                (c.name, c.type.upper(), c.nullable) for c in declared.warehouse_columns(table)
            ]
            assert [(n, t.upper(), z) for n, t, z in found] == expected, table
            comment = con.execute(
                "select comment from duckdb_tables() where schema_name = ? and table_name = ?",
                [schema, name],
            ).fetchone()
            assert table in declared.PUBLISHED or comment[0], table  # commented from the model


def test_a_warehouse_older_than_its_declaration_gets_the_columns_and_comments_it_lacks(tmp_path):
    """A run's migration skips the statements when nothing is missing: a column or a comment
    an older version did not have must still come."""
    path = tmp_path / "warehouse.duckdb"
    migrate_warehouse(path)
    table = "staging.stg_creator_snapshots"
    with duckdb.connect(str(path)) as con:
        con.execute(f"alter table {table} drop column handle")
        con.execute(f"comment on column {table}.followers is 'old words'")
        con.execute("drop table staging.stg_post_latest")
    migrate_warehouse(path)
    with duckdb.connect(str(path), read_only=True) as con:
        schema, name = table.split(".")
        comments = dict(
            con.execute(
                "select column_name, comment from duckdb_columns()"
                " where schema_name = ? and table_name = ?",
                [schema, name],
            ).fetchall()
        )
        latest = con.execute(
            "select count(*) from duckdb_tables() where table_name = 'stg_post_latest'"
        ).fetchone()
    described = {c.name: c.description for c in declared.warehouse_columns(table)}
    assert comments == described
    assert latest == (1,)


@pytest.mark.parametrize("entity", sorted(STAGED))
def test_the_loader_and_the_staging_transform_take_each_table_from_its_declaration(entity):
    model = STAGED[entity]
    target = TARGETS[entity]
    metadata = declared.table_metadata(model)
    assert (target.table, list(target.key), list(target.partition)) == (
        metadata["table"],
        declared.key(model),
        metadata["partition"],
    )
    for spec in specs_of(entity):
        raw = pl.DataFrame(
            {f.source: [] for f in spec.fields} | {ROW: []}, schema_overrides={ROW: pl.Int64}
        )
        staged = stage(
            model,
            raw.cast({f.source: pl.String for f in spec.fields}),
            spec,
            "tiktok",
            date(2026, 1, 1),
        )
        assert dict(staged.schema) == {**declared.polars_columns(model), ROW: pl.Int64}
        # every adapter field fills a declared column: none is read and dropped
        assert {f.target for f in spec.fields} <= set(declared_fields(model, DELIVERED)), entity
    # every delivered column is delivered by some adapter
    delivered = set().union(*({f.target for f in spec.fields} for spec in specs_of(entity)))
    assert set(declared_fields(model, DELIVERED)) <= delivered, entity


def test_the_quarantine_entry_and_agency_columns_come_from_their_declarations():
    quarantine = declared.polars_columns(declared.PUBLISHED["ops.quarantine"])
    assert set(declared.QUARANTINE_ENTRY) == {"row_number", "field", "rule", "value"}
    assert all(quarantine[name] == dtype for name, dtype in declared.QUARANTINE_ENTRY.items())
    assert list(QUARANTINE_SCHEMA)[1:] == list(declared.QUARANTINE_ENTRY)
    for entity, columns in AGENCY_COLUMNS.items():
        assert columns == tuple(declared_fields(STAGED[entity], DELIVERED))


def test_a_column_added_to_a_model_reaches_its_ddl_staging_rows_and_docs():
    """The edit a new column takes: the model (and the adapter naming its field)."""

    class StgRosterWithEmail(StgRoster):
        email: str = pa.Field(nullable=True, description="the creator's email", metadata=DELIVERED)

        class Config:
            metadata = {**StgRoster.Config.metadata, "table": "staging.stg_roster_with_email"}  # noqa: RUF012

    spec = AGENCY_SPECS["roster"]
    spec = type(spec)((*spec.fields, SourceField("email", "email", spec.fields[-1].kind)))
    raw = pl.DataFrame(
        {"platform": ["tiktok"], "account_id": ["a"], "niche": ["food"], "country": ["DK"],
         "email": ["a@example.com"], ROW: [1]}
    )  # fmt: skip
    staged = stage(StgRosterWithEmail, raw, spec)
    assert staged["email"].to_list() == ["a@example.com"]
    StgRosterWithEmail.validate(staged.drop(ROW))
    declared.WAREHOUSE_ONLY["staging.stg_roster_with_email"] = StgRosterWithEmail
    try:
        ddl = "\n".join(declared.create_table("staging.stg_roster_with_email"))
        assert "email varchar" in ddl and "load_id varchar not null" in ddl
        assert "`email` | varchar | the creator's email" in declared.warehouse_dictionary()
    finally:
        del declared.WAREHOUSE_ONLY["staging.stg_roster_with_email"]


def test_lineage_is_declared_once_and_ends_every_staging_table():
    for table in declared.STAGING:
        names = [c.name for c in declared.warehouse_columns(table)]
        assert names[-len(LINEAGE) :] == list(LINEAGE)


def test_the_docs_are_made_from_the_declarations():
    for path, made in declared.DOCS.items():
        assert path.read_text() == made(), (
            f"{path} differs: run `python -m creatorlens.schemas.declared`"
        )
    rules = declared.RULES_DOC.read_text()
    assert declared.with_rules(rules) == rules and declared.RULES_BEGIN in rules, (
        "run `python -m creatorlens.schemas.declared`"
    )
