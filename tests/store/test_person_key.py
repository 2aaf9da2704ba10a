"""Citus readiness (issue 15): every person table carries ``person_id`` first in its primary key,
in each UNIQUE constraint and in each foreign key to another person table, on the schema the
migrations build (SQLite and PostgreSQL); and the check can fail.

Citus itself is not installed here (Debian has no package for it), so this checks the rules its
documentation states rather than running ``create_distributed_table``.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table

from nightleaf.store import open_store
from nightleaf.store.tables import PERSON_TABLES, REFERENCE_TABLES, metadata
from tests.support.person_key import person_key_problems

PERSONS = [table.name for table in PERSON_TABLES]
REFERENCES = [table.name for table in REFERENCE_TABLES]


def test_every_person_table_carries_the_person_key_in_the_migrated_schema(db_url: str) -> None:
    store = open_store(db_url)  # upgrade head on a fresh journal
    try:
        assert person_key_problems(store.engine, PERSONS, REFERENCES) == []
    finally:
        store.dispose()


def test_person_tables_are_every_table_with_a_person_id_but_the_reference_tables() -> None:
    owned = {table.name for table in metadata.sorted_tables if "person_id" in table.c}
    assert set(PERSONS) == owned - set(REFERENCES)
    assert len(PERSONS) == len(set(PERSONS))
    assert {"sleep_stage", "share", "audit", "import_job"} <= set(PERSONS)


def test_the_check_reports_a_table_that_breaks_each_rule(db_url: str) -> None:
    """Negative control: tables keyed by ``id`` alone, a UNIQUE constraint and a unique index
    without the person, a foreign key by ``id`` alone, and a person column on an unlisted table
    are each reported, once."""
    store = open_store(db_url)
    bad = MetaData()
    Table("bad_parent", bad, Column("id", Integer, primary_key=True),
          Column("person_id", Integer, nullable=False))
    Table("bad_child", bad, Column("id", Integer, primary_key=True),
          Column("person_id", Integer, nullable=False),
          Column("parent_id", Integer, ForeignKey("bad_parent.id")),
          Column("code", String(20), unique=True), Column("label", String(20)),
          Index("ix_bad_child_label", "label", unique=True))
    Table("stray", bad, Column("person_id", Integer, primary_key=True))
    try:
        bad.create_all(store.engine)
        problems = person_key_problems(store.engine, [*PERSONS, "bad_parent", "bad_child"],
                                       REFERENCES)
    finally:
        store.dispose()
    assert sorted(problems) == [
        "bad_child: UNIQUE ('code',) lacks person_id",
        "bad_child: foreign key ('parent_id',) -> bad_parent('id',) does not pair person_id "
        "with person_id",
        "bad_child: primary key ('id',) does not start with person_id",
        "bad_child: unique index ('label',) lacks person_id",
        "bad_parent: primary key ('id',) does not start with person_id",
        "stray: has person_id but is neither a person table nor a reference table",
    ]
