"""Repositories: domain objects in, domain objects out, on one connection/transaction."""

from __future__ import annotations

import dataclasses
import hashlib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Integer,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy import text as sql_text

from nightleaf.errors import Conflict, NotFound
from nightleaf.model import entities as e
from nightleaf.model.units import Amount
from nightleaf.store import tables as t

T = TypeVar("T")

#: the journal parts with special handling (an Amount, nested stages, a composite key, one row)
_SPECIAL = frozenset({"profile", "intakes", "episodes", "routine_checks"})
#: entity class -> table, for the parts stored field for field
_SIMPLE: dict[type, Table] = {
    e.JOURNAL_LISTS[key]: table for key, table in t.JOURNAL_TABLES if key not in _SPECIAL
}


def _row(obj: Any, *, skip: Sequence[str] = ()) -> dict[str, Any]:
    return {
        f.name: getattr(obj, f.name)
        for f in dataclasses.fields(obj)
        if f.name not in skip and not (f.name == "id" and obj.id is None)
    }


_FIELDS: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    return names


def _build(cls: type[T], row: Any) -> T:
    names = _field_names(cls)
    return cls(**{k: v for k, v in row._mapping.items() if k in names})


def _builder(cls: type[T], keys: Sequence[str]) -> Callable[[Sequence[Any]], T]:
    """Build ``cls`` from rows with columns ``keys``: the column positions are looked up once
    per result, not once per row (a 10-year window has thousands of rows)."""
    names = _field_names(cls)
    pick = [(i, k) for i, k in enumerate(keys) if k in names]

    def build(row: Sequence[Any]) -> T:
        return cls(**{k: row[i] for i, k in pick})

    return build


#: how a UTC column is read in bulk: as the plain DateTime the TypeDecorator wraps (see _read)
_PLAIN_DATETIME = DateTime()
_TEXT = String()


def _utc_values(values: Sequence[Any], text: bool, dialect: Any) -> tuple[Any, ...]:
    """One column of naive-UTC values made aware UTC, as ``UTCDateTime`` reads them.

    ``text``: the values are SQLite's stored text (``2026-03-01 04:05:06.000000``), parsed by
    ``datetime.fromisoformat`` with ``+00:00`` appended (about 5 times faster than parsing to a
    naive datetime and then ``.replace(tzinfo=UTC)``, whose keyword call dominates); text it
    cannot read goes through SQLAlchemy's own SQLite parser instead.

    Other engines give naive datetimes, made aware by ``datetime.combine(v, v.time(), UTC)``:
    the same value as ``v.replace(tzinfo=UTC)`` (fold included), about 6 times faster on
    CPython 3.11, where ``replace``'s keyword parsing costs more than building the datetime
    (a year of diary entries has 4 instants a night).
    """
    if text:
        iso = datetime.fromisoformat
        try:
            return tuple([None if v is None else iso(v + "+00:00") for v in values])
        except ValueError:
            parse = _PLAIN_DATETIME.dialect_impl(dialect).result_processor(dialect, None)
            values = [parse(v) for v in values] if parse else values
    combine = datetime.combine
    return tuple([None if v is None else combine(v, v.time(), UTC) for v in values])


def _mine(table: Table) -> Any:
    """``table.person_id = :person_id_1``: the person's rows, the person given at execution."""
    return table.c.person_id == bindparam("person_id_1")


@lru_cache(maxsize=256)
def _person_read(table: Table, cols: tuple[Column[Any], ...], order: tuple[Any, ...],
                 first: bool, last: bool, text: bool) -> tuple[Any, tuple[int, ...]]:
    """The SELECT of ``cols`` of one person's rows of ``table`` ordered by ``order`` -- with a
    night from ``:night_1`` (``first``) and to the next ``:night_N`` (``last``) -- built and
    compiled once per shape and engine kind, not once per call, and the positions of its
    ``UTCDateTime`` columns (see :func:`_read`).

    The parameters are named as SQLAlchemy names them for literal values (``person_id_1``,
    ``night_1``, ``night_2``), so the SQL text is the same as when these statements were built
    per call (``bench/server_load.py``'s peer sends that text). A prebuilt statement keeps its
    cache key (SQLAlchemy memoises it on the statement), so an execution looks up its compiled
    form without walking the statement again."""
    picked: list[Any] = []
    utc: list[int] = []
    for i, col in enumerate(cols):
        if isinstance(col.type, t.UTCDateTime):
            picked.append(type_coerce(col, _TEXT if text else _PLAIN_DATETIME).label(col.name))
            utc.append(i)
        else:
            picked.append(col)
    c = table.c
    cond = [_mine(table)]
    if first:
        cond.append(c.night >= bindparam("night_1"))
    if last:
        cond.append(c.night <= bindparam("night_2" if first else "night_1"))
    return select(*picked).where(*cond).order_by(*order), tuple(utc)


def _read(conn: Connection, table: Table, cols: tuple[Column[Any], ...], order: tuple[Any, ...],
          person_id: int, first: date | None = None, last: date | None = None
          ) -> list[tuple[Any, ...]]:
    """One person's rows of ``cols`` (with a night in [first, last] when either is given; the
    table must then have a ``night`` column) as tuples, for reads of many rows (a 10-year
    window: 10,000 rows, 22,800 instants). The statement is prebuilt (:func:`_person_read`).

    ``UTCDateTime`` columns are read as their stored value (SQLite: text; other engines: a naive
    datetime) and made aware UTC afterwards, once per column in one comprehension
    (:func:`_utc_values`), instead of through the TypeDecorator's per-value callback; the values
    are the same (``tables.UTCDateTime.process_result_value``) on every engine. Writes still go
    through the TypeDecorator.
    """
    text = conn.dialect.name == "sqlite"  # SQLite keeps DATETIME as ISO text
    stmt, utc = _person_read(table, cols, order, first is not None, last is not None, text)
    params: dict[str, Any] = {"person_id_1": person_id}
    if first is not None:
        params["night_1"] = first
    if last is not None:
        params["night_2" if first is not None else "night_1"] = last
    rows = conn.execute(stmt, params).all()
    if not rows:
        return []
    if not utc:
        return [tuple(r) for r in rows]
    columns = list(zip(*rows, strict=True))
    for i in utc:
        columns[i] = _utc_values(columns[i], text, conn.dialect)
    return list(zip(*columns, strict=True))


#: an intake row's columns, in the order :func:`_intake` reads them
_INTAKE_COLS: tuple[Column[Any], ...] = tuple(
    t.intake.c[n] for n in ("id", "person_id", "at", "tz", "night", "amount_value", "amount_unit",
                            "capsule_mg", "tea_grams", "product_id", "batch_id", "mitragynine_mg",
                            "note"))
_INTAKE_ORDER = (t.intake.c.at, t.intake.c.id)


#: an intake's amount: ``Amount`` is frozen (immutable, compared by value), so equal amounts
#: share one object; a person logs the same few amounts again and again, and building a frozen
#: dataclass is the dearer half of building an intake. ``typed``: 3 and 3.0 stay apart.
_amount = lru_cache(maxsize=4096, typed=True)(Amount)

#: ``Intake``'s fields in order, as :func:`_intake` passes them (positionally: a keyword call
#: costs about as much as the rest of the row; a test checks this order)
INTAKE_FIELD_ORDER = ("at", "tz", "amount", "night", "product_id", "batch_id", "note",
                      "mitragynine_mg", "id", "person_id")


def _intake(row: tuple[Any, ...]) -> e.Intake:
    (id_, pid, at, tz, night, value, unit, capsule_mg, tea_grams, product_id, batch_id,
     mitragynine_mg, note) = row
    return e.Intake(at, tz, _amount(value, unit, capsule_mg, tea_grams), night, product_id,
                    batch_id, note, mitragynine_mg, id_, pid)


@lru_cache(maxsize=64)
def _plan(cls: type) -> tuple[Table, tuple[Column[Any], ...], tuple[Any, ...],
                              Callable[[tuple[Any, ...]], Any]]:
    """How :meth:`Repo.all` reads ``cls``: its table, the columns to select (its fields, in
    field order), the order of the rows, and how to build ``cls`` from such a row --
    positionally when those columns are the dataclass's leading fields. Worked out once per
    class."""
    table = _SIMPLE[cls]
    fields = [f.name for f in dataclasses.fields(cls)]
    cols = tuple(table.c[f] for f in fields if f in table.c)
    names = [c.name for c in cols]
    order: list[Any] = [table.c.night, table.c.at] if "at" in table.c else []
    if cls is e.RoutineItem:
        order = [table.c.position]
    elif cls is e.SleepEntry:
        order = [table.c.night]
    elif cls is e.ExperimentNight:
        order = [table.c.experiment_id, table.c.night]
    elif cls is e.Experiment:
        order = [table.c.start]
    if "id" in table.c:
        order.append(table.c.id)
    if names == fields[: len(names)]:
        return table, cols, tuple(order), lambda row: cls(*row)

    def build(row: tuple[Any, ...]) -> Any:
        return cls(**dict(zip(names, row, strict=True)))

    return table, cols, tuple(order), build


# Prebuilt reads (see :func:`_person_read`): the person, and the id or night, are parameters.
_PROFILE_READ = select(t.profile).where(_mine(t.profile))
_PRODUCTS_READ = select(t.product).where(_mine(t.product)).order_by(t.product.c.id)
_BATCHES_OF_READ = (select(t.batch).where(t.batch.c.product_id == bindparam("product_id_1"),
                                          _mine(t.batch)).order_by(t.batch.c.id))
_INTAKE_READ = select(*_INTAKE_COLS).where(t.intake.c.id == bindparam("id_1"), _mine(t.intake))
_INTAKE_READ_FOR_UPDATE = _INTAKE_READ.with_for_update()
_SLEEP_ENTRY_READ = select(t.sleep_entry).where(_mine(t.sleep_entry),
                                                t.sleep_entry.c.night == bindparam("night_1"))


@lru_cache(maxsize=64)
def _get_read(table: Table, for_update: bool) -> Any:
    """``SELECT`` one row of ``table`` by id (``:id_1``) and person."""
    query = select(table).where(table.c.id == bindparam("id_1"), _mine(table))
    return query.with_for_update() if for_update else query


@lru_cache(maxsize=8)
def _episodes_read(first: bool, last: bool) -> Any:
    c = t.sleep_episode.c
    cond = [_mine(t.sleep_episode)]
    if first:
        cond.append(c.night >= bindparam("night_1"))
    if last:
        cond.append(c.night <= bindparam("night_2" if first else "night_1"))
    return select(t.sleep_episode).where(*cond).order_by(c.start, c.id)


def _hhmm(v: time | None) -> str | None:
    return None if v is None else f"{v.hour:02d}:{v.minute:02d}"


def _time(v: str | None) -> time | None:
    return None if v is None else time.fromisoformat(v)


def fold_name(name: str) -> str:
    """A name as compared: Unicode NFKC, stripped and case-folded."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


#: column lengths of what importers write into ``sleep_episode`` (see tables.py)
EXTERNAL_ID_MAX = t.sleep_episode.c.external_id.type.length or 200  # type: ignore[attr-defined]
DEVICE_MAX = t.sleep_episode.c.device.type.length or 200  # type: ignore[attr-defined]


def fit_episode(ep: e.SleepEpisode) -> e.SleepEpisode:
    """``ep`` with its key and device name made to fit both engines' columns: an external id
    longer than the column, or holding a NUL (which PostgreSQL refuses and SQLite keeps), is
    replaced by a stable ``sha256:`` digest of itself; a device name loses NULs and is cut to
    the column's length (with "…"). The same file gives the same keys on every import."""
    ext, device = ep.external_id, ep.device
    if len(ext) > EXTERNAL_ID_MAX or "\x00" in ext:
        ext = "sha256:" + hashlib.sha256(ext.encode("utf-8", "surrogatepass")).hexdigest()
    if device is not None:
        device = device.replace("\x00", "")
        if len(device) > DEVICE_MAX:
            device = device[:DEVICE_MAX - 1] + "…"
    if ext == ep.external_id and device == ep.device:
        return ep
    return dataclasses.replace(ep, external_id=ext, device=device)


def next_id(table: Table, person_id: int) -> Any:
    """SQLite's id for a new row of ``table``: the person's largest id + 1, as a scalar subquery
    evaluated inside the INSERT itself (one statement, so under SQLite's write lock: two writers
    cannot draw the same number; in an executemany each row sees the ones before it). The key
    ``(person_id, id)`` makes it a seek in the primary key's index, not a scan.

    Why: SQLite numbers rows itself only for a single-column ``INTEGER PRIMARY KEY`` (the rowid),
    and the key is now ``(person_id, id)`` (revision 0007). PostgreSQL draws ids from the
    column's identity sequence and does not use this. Like SQLite's rowid before, the largest id
    of a person is reused after that row is deleted.

    Remembered per table and person: building the alias's column collection costs more than
    the INSERT itself (bench/person_key_inserts.py)."""
    return _next_id(table, person_id)


@lru_cache(maxsize=4096)
def _next_id(table: Table, person_id: int) -> Any:
    prev = _prev(table)
    return (select(func.coalesce(func.max(prev.c.id), 0) + 1)
            .where(prev.c.person_id == person_id).scalar_subquery())


@lru_cache(maxsize=64)
def _prev(table: Table) -> Any:
    return table.alias("prev")


@lru_cache(maxsize=4096)
def _insert_stmt(table: Table, numbered_for: int | None, returning: bool) -> Any:
    """``INSERT INTO table``, its ``id`` from :func:`next_id` for person ``numbered_for``
    (None: the database's or the row's own), ``RETURNING id`` when asked."""
    stmt = insert(table)
    if numbered_for is not None:
        stmt = stmt.values(id=_next_id(table, numbered_for))
    return stmt.returning(table.c.id) if returning else stmt


class Repo:
    """All reads and writes of one person's journal, within the caller's transaction."""

    def __init__(self, conn: Connection, person_id: int) -> None:
        self.conn = conn
        self.person_id = person_id

    def _insert(self, table: Table, *, with_id: bool = False, returning: bool = False) -> Any:
        """An INSERT into ``table`` that numbers its rows: PostgreSQL by the identity column;
        SQLite by :func:`next_id` unless the rows bring their own ids (``with_id``). The row
        values are the execution's parameters, so the statement itself is built once."""
        numbered = not with_id and self.conn.dialect.name == "sqlite" and "id" in table.c \
            and isinstance(table.c.id.type, Integer)
        return _insert_stmt(table, self.person_id if numbered else None, returning)

    def _insert_new(self, table: Table, values: dict[str, Any]) -> int:
        """Insert one row and return its id (the one it brought, or a new one)."""
        stmt = self._insert(table, with_id="id" in values, returning=True)
        return int(self.conn.execute(stmt, values).scalar_one())

    def _insert_rows(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Bulk insert (executemany); rows with their own ids and rows without go separately."""
        given = [r for r in rows if "id" in r]
        new = [r for r in rows if "id" not in r]
        if given:
            self.conn.execute(self._insert(table, with_id=True), given)
        if new:
            self.conn.execute(self._insert(table), new)

    def _beyond(self, id_: Any) -> bool:
        """Can ``id_`` name no row at all? PostgreSQL's ``INTEGER`` ids stop at 2**31 - 1, and a
        larger number in the WHERE fails the query's cast ("integer out of range", a 500)
        instead of finding nothing (a 404)."""
        return (self.conn.dialect.name == "postgresql" and isinstance(id_, int)
                and not _PG_INT_MIN <= id_ <= _PG_INT_MAX)

    def _nights(self, c: Any, first: date | None, last: date | None) -> list[Any]:
        """WHERE terms: this person's rows with a night in [first, last] (either end open)."""
        cond = [c.person_id == self.person_id]
        if first is not None:
            cond.append(c.night >= first)
        if last is not None:
            cond.append(c.night <= last)
        return cond

    # -- generic ---------------------------------------------------------------------------
    def add(self, obj: T) -> T:
        """Insert a simple record and return it with its id."""
        table = _SIMPLE[type(obj)]
        values = _row(obj)
        values["person_id"] = self.person_id
        new_id = self._insert_new(table, values)
        return dataclasses.replace(obj, id=new_id, person_id=self.person_id)  # type: ignore[type-var]

    def add_many(self, objs: Sequence[Any]) -> None:
        """Bulk insert (Core executemany) of records of one type, ids included if set."""
        if not objs:
            return
        table = _SIMPLE[type(objs[0])]
        rows = [{**_row(o), "person_id": self.person_id} for o in objs]
        self._insert_rows(table, rows)

    def update(self, obj: Any) -> None:
        table = _SIMPLE[type(obj)]
        if self._beyond(obj.id):
            raise NotFound(f"no {table.name.replace('_', ' ')} with id {obj.id}")
        values = _row(obj, skip=("id", "person_id"))
        res = self.conn.execute(
            update(table).where(table.c.id == obj.id, table.c.person_id == self.person_id)
            .values(**values)
        )
        if res.rowcount == 0:
            raise NotFound(f"no {table.name.replace('_', ' ')} with id {obj.id}")

    def get(self, cls: type[T], id_: int, *, for_update: bool = False) -> T:
        """``for_update``: lock the row until the transaction ends (PostgreSQL ``FOR UPDATE``;
        SQLite has one writer at a time anyway), for a compare-then-write."""
        table = _SIMPLE[cls]
        if self._beyond(id_):
            raise NotFound(f"no {table.name.replace('_', ' ')} with id {id_}")
        row = self.conn.execute(_get_read(table, for_update),
                                {"id_1": id_, "person_id_1": self.person_id}).first()
        if row is None:
            raise NotFound(f"no {table.name.replace('_', ' ')} with id {id_}")
        return _build(cls, row)

    def delete(self, cls: type, id_: int) -> None:
        table = _SIMPLE[cls]
        if self._beyond(id_):
            raise NotFound(f"no {table.name.replace('_', ' ')} with id {id_}")
        c = t.intake.c  # intakes keep their row without the product or batch (was ON DELETE SET
        if cls is e.Product:  # NULL, which a composite key cannot do on SQLite: tables.py)
            batches = select(t.batch.c.id).where(t.batch.c.person_id == self.person_id,
                                                 t.batch.c.product_id == id_)
            self.conn.execute(update(t.intake).where(
                c.person_id == self.person_id, c.batch_id.in_(batches)).values(batch_id=None))
            self.conn.execute(update(t.intake).where(
                c.person_id == self.person_id, c.product_id == id_).values(product_id=None))
        elif cls is e.Batch:
            self.conn.execute(update(t.intake).where(
                c.person_id == self.person_id, c.batch_id == id_).values(batch_id=None))
        res = self.conn.execute(
            delete(table).where(table.c.id == id_, table.c.person_id == self.person_id)
        )
        if res.rowcount == 0:
            raise NotFound(f"no {table.name.replace('_', ' ')} with id {id_}")

    def all(self, cls: type[T], *, first: date | None = None, last: date | None = None) -> list[T]:
        """Every record of ``cls``; for records with a night, only those in [first, last]."""
        table, cols, order, build = _plan(cls)  # type: ignore[arg-type]  # classes hash
        if "night" not in table.c:
            first = last = None
        return [build(r) for r in _read(self.conn, table, cols, order, self.person_id,
                                        first, last)]

    # -- profile ---------------------------------------------------------------------------
    def profile(self) -> e.Profile | None:
        row = self.conn.execute(_PROFILE_READ, {"person_id_1": self.person_id}).first()
        if row is None:
            return None
        m = row._mapping
        return e.Profile(
            tz=m["tz"], region=m["region"], target_bedtime=_time(m["target_bedtime"]) or time(23),
            lead_minutes=m["lead_minutes"], target_wake=_time(m["target_wake"]),
            max_grams_per_night=m["max_grams_per_night"],
            max_nights_per_week=m["max_nights_per_week"],
            work_days=tuple(d for d in m["work_days"].split(",") if d), name=m["name"],
            person_id=self.person_id,
        )

    def save_profile(self, p: e.Profile) -> None:
        values = {
            "tz": p.tz, "region": p.region, "target_bedtime": _hhmm(p.target_bedtime),
            "lead_minutes": p.lead_minutes, "target_wake": _hhmm(p.target_wake),
            "max_grams_per_night": p.max_grams_per_night,
            "max_nights_per_week": p.max_nights_per_week, "work_days": ",".join(p.work_days),
            "name": p.name,
        }
        exists = self.conn.execute(
            select(t.profile.c.person_id).where(t.profile.c.person_id == self.person_id)
        ).first()
        if exists:
            self.conn.execute(
                update(t.profile).where(t.profile.c.person_id == self.person_id).values(**values)
            )
        else:
            self.conn.execute(insert(t.profile).values(person_id=self.person_id, **values))

    # -- products --------------------------------------------------------------------------
    def product_by_name(self, name: str) -> e.Product | None:
        """The product whose name matches ``name`` ignoring case beyond ASCII ("ÄRA" = "ära",
        "STRASSE" = "Straße"), the same on every engine: names are folded here (Unicode NFKC +
        ``str.casefold``), not by the database's ``lower()``, which folds ASCII only on
        SQLite. A person has a handful of products, so all of them are read."""
        key = fold_name(name)
        rows = self.conn.execute(_PRODUCTS_READ, {"person_id_1": self.person_id})
        row = next((r for r in rows if fold_name(r.name) == key), None)
        return None if row is None else _build(e.Product, row)

    def add_product(self, p: e.Product) -> e.Product:
        if self.product_by_name(p.name) is not None:
            raise Conflict(f"a product called {p.name!r} already exists; pick another name")
        return self.add(p)

    def batches_of(self, product_id: int) -> list[e.Batch]:
        rows = self.conn.execute(_BATCHES_OF_READ, {"product_id_1": product_id,
                                                    "person_id_1": self.person_id})
        return [_build(e.Batch, r) for r in rows]

    # -- intakes ---------------------------------------------------------------------------
    def add_intake(self, i: e.Intake) -> e.Intake:
        new_id = self._insert_new(t.intake, self._intake_row(i))
        return dataclasses.replace(i, id=new_id, person_id=self.person_id)

    def add_intakes(self, items: Sequence[e.Intake]) -> None:
        if items:
            self._insert_rows(t.intake, [self._intake_row(i) for i in items])

    def _intake_row(self, i: e.Intake) -> dict[str, Any]:
        row = {
            "person_id": self.person_id, "at": i.at, "tz": i.tz, "night": i.night,
            "amount_value": i.amount.value, "amount_unit": i.amount.unit,
            "capsule_mg": i.amount.capsule_mg, "tea_grams": i.amount.tea_grams,
            "product_id": i.product_id, "batch_id": i.batch_id,
            "mitragynine_mg": i.mitragynine_mg, "note": i.note,
        }
        if i.id is not None:
            row["id"] = i.id
        return row

    def intakes(self, *, first: date | None = None, last: date | None = None) -> list[e.Intake]:
        rows = _read(self.conn, t.intake, _INTAKE_COLS, _INTAKE_ORDER, self.person_id, first,
                     last)
        return [_intake(row) for row in rows]

    def intake(self, id_: int, *, for_update: bool = False) -> e.Intake:
        """One intake by id (NotFound otherwise); ``for_update``: lock its row until the
        transaction ends, for a compare-then-write (PostgreSQL ``FOR UPDATE``)."""
        if self._beyond(id_):
            raise NotFound(f"no intake with id {id_}")
        query = _INTAKE_READ_FOR_UPDATE if for_update else _INTAKE_READ
        row = self.conn.execute(query, {"id_1": id_, "person_id_1": self.person_id}).first()
        if row is None:
            raise NotFound(f"no intake with id {id_}")
        return _intake(tuple(row))

    def replace_intake(self, i: e.Intake) -> e.Intake:
        """Write the corrected values of intake ``i.id`` in place (one UPDATE of its row, so a
        transaction waiting on the row's lock then reads the corrected row, not a deleted one)."""
        assert i.id is not None
        if self._beyond(i.id):
            raise NotFound(f"no intake with id {i.id}")
        values = {k: v for k, v in self._intake_row(i).items() if k not in ("id", "person_id")}
        res = self.conn.execute(update(t.intake).where(
            t.intake.c.id == i.id, t.intake.c.person_id == self.person_id).values(**values))
        if res.rowcount == 0:
            raise NotFound(f"no intake with id {i.id}")
        return dataclasses.replace(i, person_id=self.person_id)

    def delete_intake(self, id_: int) -> None:
        if self._beyond(id_):
            raise NotFound(f"no intake with id {id_}")
        res = self.conn.execute(
            delete(t.intake).where(t.intake.c.id == id_, t.intake.c.person_id == self.person_id)
        )
        if res.rowcount == 0:
            raise NotFound(f"no intake with id {id_}")

    # -- sleep diary -----------------------------------------------------------------------
    def sleep_entry(self, night: date) -> e.SleepEntry | None:
        row = self.conn.execute(_SLEEP_ENTRY_READ,
                                {"person_id_1": self.person_id, "night_1": night}).first()
        return None if row is None else _build(e.SleepEntry, row)

    def lock_night(self, night: date) -> None:
        """Hold this person's write lock on one night until the transaction ends, so that a
        compare-then-write of the night (its version, then the save) cannot interleave with
        another: the row may not exist yet, so not a row lock. PostgreSQL: a transaction-level
        advisory lock on (person, night) (waits). SQLite: the database write lock, taken now."""
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(sql_text("SELECT pg_advisory_xact_lock(:p, :n)"),
                              {"p": self.person_id, "n": night.toordinal()})
            return
        c = t.sleep_entry.c  # a write that changes nothing still takes SQLite's write lock
        self.conn.execute(update(t.sleep_entry).where(c.person_id == -1, c.id == -1)
                          .values(id=c.id))

    def save_sleep_entry(self, s: e.SleepEntry) -> e.SleepEntry:
        """Insert or replace the diary entry of ``s.night``."""
        existing = self.sleep_entry(s.night)
        if existing is None:
            return self.add(s)
        s = dataclasses.replace(s, id=existing.id)
        self.update(s)
        return s

    # -- wearable episodes -----------------------------------------------------------------
    def upsert_episodes(self, episodes: Iterable[e.SleepEpisode]) -> tuple[int, int, int]:
        """Insert new episodes, replace changed ones, skip identical ones.

        Keyed by (person, source, external_id). Returns (added, updated, skipped).

        A night is never replaced with less: an incoming episode that lies within the stored one
        and ends earlier (an older export, cut off while the night was still being recorded) is
        skipped, so importing an early export after a late one keeps the completed night.
        """
        added = updated = skipped = 0
        c = t.sleep_episode.c
        for ep in map(fit_episode, episodes):
            row = self.conn.execute(
                select(t.sleep_episode).where(c.person_id == self.person_id,
                                              c.source == ep.source,
                                              c.external_id == ep.external_id)
            ).first()
            values = _row(ep, skip=("stages", "id", "person_id"))
            if row is not None:
                if _is_less(ep, row):
                    skipped += 1
                    continue
                old = self._episode(row)
                if dataclasses.replace(old, id=None, person_id=ep.person_id) == \
                        dataclasses.replace(ep, id=None):
                    skipped += 1
                    continue
                self.conn.execute(update(t.sleep_episode).where(
                    c.person_id == self.person_id, c.id == row.id).values(**values))
                st = t.sleep_stage.c
                self.conn.execute(delete(t.sleep_stage).where(
                    st.person_id == self.person_id, st.episode_id == row.id))
                ep_id = row.id
                updated += 1
            else:
                ep_id = self._insert_new(t.sleep_episode, {"person_id": self.person_id, **values})
                added += 1
            self._insert_stages(ep_id, ep.stages)
        return added, updated, skipped

    def drop_episodes_named_in_another_zone(self, source: str, tz: str,
                                            episodes: Sequence[e.SleepEpisode]) -> int:
        """Delete this person's ``source`` episodes stored under a zone other than ``tz`` that
        overlap one of ``episodes`` (the same sleep, re-imported after the profile's zone
        changed, named for another night). Returns how many were deleted."""
        if not episodes:
            return 0
        c = t.sleep_episode.c
        lo = min(ep.start for ep in episodes)
        hi = max(ep.end for ep in episodes)
        keep = {fit_episode(ep).external_id for ep in episodes}
        spans = sorted((ep.start, ep.end) for ep in episodes)
        rows = self.conn.execute(
            select(c.id, c.start, c.end, c.external_id).where(
                c.person_id == self.person_id, c.source == source, c.tz != tz,
                c.start < hi, c.end > lo)).all()
        ids = [r.id for r in rows if r.external_id not in keep and any(
            s < _utc(r.end) and _utc(r.start) < en for s, en in spans)]
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            self.conn.execute(delete(t.sleep_stage).where(
                t.sleep_stage.c.person_id == self.person_id,
                t.sleep_stage.c.episode_id.in_(chunk)))
            self.conn.execute(delete(t.sleep_episode).where(c.person_id == self.person_id,
                                                            c.id.in_(chunk)))
        return len(ids)

    def lock_episodes(self, *, attempts: int = 120) -> None:
        """Take this person's episode write lock for the rest of the transaction, so that two
        imports of one file run one after the other (the second then finds the first's rows)
        instead of colliding on the unique key. PostgreSQL: a transaction-level advisory lock
        (waits). SQLite: the database write lock, taken first thing in the transaction (waits
        the busy timeout, ``attempts`` times). Raises :class:`Conflict` when it never comes."""
        from sqlalchemy.exc import OperationalError

        if self.conn.dialect.name == "postgresql":
            self.conn.execute(sql_text("SELECT pg_advisory_xact_lock(:k)"),
                              {"k": _EPISODE_LOCK + self.person_id})
            return
        c = t.sleep_episode.c
        for _ in range(attempts):
            try:
                # a write that changes nothing still takes SQLite's write lock
                self.conn.execute(update(t.sleep_episode).where(c.person_id == -1, c.id == -1)
                                  .values(id=c.id))
                return
            except OperationalError as exc:
                if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                    raise
        raise Conflict("another import is running; try again when it has finished")

    def _insert_stages(self, episode_id: int, stages: Sequence[e.StageSegment]) -> None:
        if stages:
            self.conn.execute(self._insert(t.sleep_stage), [
                {"person_id": self.person_id, "episode_id": episode_id, "start": s.start,
                 "end": s.end, "stage": s.stage}
                for s in stages])

    def episodes(self, *, first: date | None = None, last: date | None = None,
                 with_stages: bool = True) -> list[e.SleepEpisode]:
        params: dict[str, Any] = {"person_id_1": self.person_id}
        if first is not None:
            params["night_1"] = first
        if last is not None:
            params["night_2" if first is not None else "night_1"] = last
        result = self.conn.execute(_episodes_read(first is not None, last is not None), params)
        build = _builder(e.SleepEpisode, list(result.keys()))
        eps = [build(r) for r in result.all()]
        for ep in eps:
            ep.stages = []
        if with_stages and eps:
            by_id = {ep.id: ep for ep in eps}
            st = t.sleep_stage.c
            ids = list(by_id)
            for chunk in range(0, len(ids), 500):
                for s in self.conn.execute(
                    select(t.sleep_stage).where(st.person_id == self.person_id,
                                                st.episode_id.in_(ids[chunk:chunk + 500]))
                    .order_by(st.episode_id, st.start, st.id)
                ):
                    by_id[s.episode_id].stages.append(e.StageSegment(s.start, s.end, s.stage))
        return eps

    def _episode(self, row: Any, load_stages: bool = True) -> e.SleepEpisode:
        ep = _build(e.SleepEpisode, row)
        ep.stages = []
        if load_stages:
            st = t.sleep_stage.c
            ep.stages = [
                e.StageSegment(s.start, s.end, s.stage)
                for s in self.conn.execute(
                    select(t.sleep_stage).where(st.person_id == self.person_id,
                                                st.episode_id == ep.id)
                    .order_by(st.start, st.id)
                )
            ]
        return ep

    # -- routine ---------------------------------------------------------------------------
    def routine_checks(self, *, first: date | None = None,
                       last: date | None = None) -> list[e.RoutineCheck]:
        c = t.routine_check.c
        cond = self._nights(c, first, last)
        rows = self.conn.execute(select(t.routine_check).where(*cond).order_by(c.night, c.item_id))
        return [_build(e.RoutineCheck, r) for r in rows]

    def set_routine_check(self, chk: e.RoutineCheck) -> None:
        c = t.routine_check.c
        self.conn.execute(delete(t.routine_check).where(
            c.person_id == self.person_id, c.item_id == chk.item_id, c.night == chk.night))
        self.conn.execute(insert(t.routine_check).values(
            person_id=self.person_id, item_id=chk.item_id, night=chk.night, done=chk.done))

    # -- self-experiments ------------------------------------------------------------------
    def add_experiment(self, exp: e.Experiment, nights: Sequence[e.ExperimentNight]) -> e.Experiment:
        """Save a plan and its schedule together (the schedule gets the new experiment's id)."""
        saved = self.add(exp)
        self.add_many([dataclasses.replace(n, experiment_id=e.saved_id(saved)) for n in nights])
        return saved

    def experiment_nights(self, experiment_id: int) -> list[e.ExperimentNight]:
        c = t.experiment_night.c
        rows = self.conn.execute(
            select(t.experiment_night).where(c.person_id == self.person_id,
                                             c.experiment_id == experiment_id).order_by(c.night))
        return [_build(e.ExperimentNight, r) for r in rows]

    def stop_experiment(self, experiment_id: int, reason: str, at: datetime) -> None:
        """Record an early stop; the plan itself is never changed."""
        c = t.experiment.c
        self.conn.execute(update(t.experiment).where(
            c.id == experiment_id, c.person_id == self.person_id,
        ).values(status="stopped", stopped_reason=reason, stopped_at=at))

    # -- whole journal ---------------------------------------------------------------------
    # -- web import jobs (bookkeeping, not part of the journal) ------------------------------
    def put_import_job(self, values: dict[str, Any]) -> None:
        """Insert or update this person's import job ``values["id"]`` (columns of
        ``tables.import_job``; ``updated_at`` is the caller's)."""
        c = t.import_job.c
        exists = self.conn.execute(
            select(c.id).where(c.id == values["id"], c.person_id == self.person_id)).first()
        if exists:
            self.conn.execute(update(t.import_job).where(c.id == values["id"],
                                                         c.person_id == self.person_id)
                              .values(**{k: v for k, v in values.items() if k != "id"}))
        else:
            self.conn.execute(insert(t.import_job).values(person_id=self.person_id, **values))

    def import_job(self, job_id: str) -> dict[str, Any] | None:
        """This person's import job ``job_id`` as a dict of its columns, or None."""
        c = t.import_job.c
        row = self.conn.execute(
            select(t.import_job).where(c.id == job_id, c.person_id == self.person_id)).first()
        return None if row is None else dict(row._mapping)

    def is_empty(self) -> bool:
        for _key, table in t.JOURNAL_TABLES:
            if self.conn.execute(
                select(func.count()).select_from(table).where(table.c.person_id == self.person_id)
            ).scalar():
                return False
        return True

    def wipe(self) -> None:
        """Delete everything this person recorded (children before parents)."""
        for table in t.CHILD_TABLES:
            self.conn.execute(delete(table).where(table.c.person_id == self.person_id))
        for _key, table in reversed(t.JOURNAL_TABLES):
            self.conn.execute(delete(table).where(table.c.person_id == self.person_id))

    def load_journal(self) -> e.Journal:
        return e.Journal(
            profile=self.profile(),
            medicines=self.all(e.Medicine), conditions=self.all(e.Condition),
            products=self.all(e.Product), batches=self.all(e.Batch),
            intakes=self.intakes(), substances=self.all(e.Substance),
            sleep=self.all(e.SleepEntry), episodes=self.episodes(),
            pain=self.all(e.PainRating), symptoms=self.all(e.Symptom),
            routine=self.all(e.RoutineItem), routine_checks=self.routine_checks(),
            notes=self.all(e.Note),
            experiments=self.all(e.Experiment),
            experiment_nights=self.all(e.ExperimentNight),
        )

    def save_journal(self, j: e.Journal) -> None:
        """Write a whole journal, keeping its ids (used by import after a wipe)."""
        if j.profile is not None:
            self.save_profile(j.profile)
        for key in ("medicines", "conditions", "products", "batches", "intakes", "substances",
                    "sleep", "pain", "symptoms", "routine", "notes", "experiments",
                    "experiment_nights", "episodes", "routine_checks"):
            self.save_part(key, getattr(j, key))
        self.reset_sequences()

    def save_part(self, key: str, items: Sequence[Any]) -> None:
        """Write records of one journal list (``key`` as in ``Journal``), keeping their ids: a
        streamed import writes a file in batches, parents before children."""
        if key == "intakes":
            self.add_intakes(items)
        elif key == "episodes":
            for ep in items:
                values = _row(ep, skip=("stages", "person_id"))
                ep_id = self._insert_new(t.sleep_episode, {"person_id": self.person_id, **values})
                self._insert_stages(ep_id, ep.stages)
        elif key == "routine_checks":
            for chk in items:
                self.set_routine_check(chk)
        else:
            self.add_many(items)

    def reset_sequences(self) -> None:
        """After inserting explicit ids, move PostgreSQL's sequences past them."""
        if self.conn.dialect.name != "postgresql":
            return
        for table in t.metadata.sorted_tables:
            if "id" in table.c and table.c.id.primary_key and \
                    isinstance(table.c.id.type, Integer):  # import_job's id is a token
                self.conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )



#: PostgreSQL's INTEGER range, which the ids' columns have
_PG_INT_MIN, _PG_INT_MAX = -(2**31), 2**31 - 1

#: advisory-lock key space for the episode lock (PostgreSQL), plus the person's id
_EPISODE_LOCK = 0x6E6C_1300_0000


def _utc(v: datetime) -> datetime:
    return v if v.tzinfo is not None else v.replace(tzinfo=UTC)


def _is_less(new: e.SleepEpisode, row: Any) -> bool:
    """Is ``new`` less than the stored ``row``: the same device's record, within it and
    ending earlier (a night cut off by an export made before it was over)? Never replace a
    night with less. (Another device for the night -- Apple Health's ``--prefer`` -- is a
    choice, not less.)"""
    start, end = _utc(row.start), _utc(row.end)
    return row.device == new.device and start <= new.start and new.end < end
