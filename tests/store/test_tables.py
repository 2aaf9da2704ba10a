"""``JOURNAL_TABLES`` is the one list of a journal's tables: complete, ordered, matching the model."""

from __future__ import annotations

from nightleaf.model.entities import JOURNAL_LISTS, Journal
from nightleaf.store.tables import (
    BOOKKEEPING_TABLES,
    CHILD_TABLES,
    JOURNAL_TABLES,
    SERVER_TABLES,
    metadata,
)


def test_journal_tables_name_the_parts_of_the_model_journal_in_its_order() -> None:
    assert [key for key, _ in JOURNAL_TABLES] == list(Journal.__dataclass_fields__)
    assert [key for key, _ in JOURNAL_TABLES][1:] == list(JOURNAL_LISTS)


def test_every_table_holding_a_persons_records_is_a_journal_table() -> None:
    listed = {table.name for _, table in JOURNAL_TABLES}
    owned = {table.name for table in metadata.sorted_tables if "person_id" in table.c}
    owned -= {table.name for table in SERVER_TABLES}  # server mode's, not the journal's
    owned -= {table.name for table in CHILD_TABLES}  # travel inside a part (stages: episodes)
    assert listed == owned - {table.name for table in BOOKKEEPING_TABLES}
    assert not listed & {table.name for table in BOOKKEEPING_TABLES}


def test_journal_tables_list_parents_before_children() -> None:
    seen: set[str] = {"person"}
    for _, table in JOURNAL_TABLES:
        parents = {fk.column.table.name for fk in table.foreign_keys}
        assert parents <= seen, f"{table.name} refers to {parents - seen}, listed later"
        seen.add(table.name)
