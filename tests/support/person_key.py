"""Citus readiness of a schema: the person key in every primary key, UNIQUE and foreign key.

Citus can enforce a PRIMARY KEY or UNIQUE constraint on a distributed table only when it
contains the distribution column, and a foreign key between two distributed tables only when
both sides carry it (docs/server.md, "Scaling out with Citus"). :func:`person_key_problems` reads
a live database (any engine SQLAlchemy can inspect) and lists every breach, one line each.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, inspect

KEY = "person_id"


def person_key_problems(engine: Engine, person_tables: Iterable[str],
                        reference_tables: Iterable[str] = ()) -> list[str]:
    """Every way the tables ``person_tables`` (to be distributed by ``person_id``) break the
    rules, as read from the database behind ``engine``:

    * the primary key does not start with ``person_id``;
    * a UNIQUE constraint or unique index lacks ``person_id``;
    * a foreign key to another person table lacks ``person_id`` on either side, or does not
      pair it with the parent's ``person_id``;
    * a table with a ``person_id`` column is neither a person table nor a declared reference
      table (a new table slipping past the rules).
    """
    insp = inspect(engine)
    persons = set(person_tables)
    references = set(reference_tables)
    problems: list[str] = []
    existing = set(insp.get_table_names())
    for name in sorted(persons - existing):
        problems.append(f"{name}: listed as a person table but not in the database")
    for name in sorted(existing):
        columns = {c["name"] for c in insp.get_columns(name)}
        if name not in persons:
            if KEY in columns and name not in references:
                problems.append(f"{name}: has {KEY} but is neither a person table nor a "
                                "reference table")
            continue
        pk = insp.get_pk_constraint(name).get("constrained_columns") or []
        if not pk or pk[0] != KEY:
            problems.append(f"{name}: primary key {tuple(pk)} does not start with {KEY}")
        for uq in insp.get_unique_constraints(name):
            if KEY not in uq["column_names"]:
                problems.append(f"{name}: UNIQUE {tuple(uq['column_names'])} lacks {KEY}")
        for ix in insp.get_indexes(name):
            if ix.get("duplicates_constraint"):  # PostgreSQL: the UNIQUE above, again
                continue
            if ix.get("unique") and KEY not in ix["column_names"]:
                problems.append(f"{name}: unique index {tuple(ix['column_names'])} lacks {KEY}")
        for fk in insp.get_foreign_keys(name):
            if fk["referred_table"] not in persons:
                continue
            mine, theirs = fk["constrained_columns"], fk["referred_columns"]
            pairs = dict(zip(mine, theirs, strict=True))
            if pairs.get(KEY) != KEY:
                problems.append(f"{name}: foreign key {tuple(mine)} -> "
                                f"{fk['referred_table']}{tuple(theirs)} does not pair {KEY} "
                                f"with {KEY}")
    return problems
