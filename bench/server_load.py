"""Server mode under load: the real app against a bare FastAPI peer doing the same SQL (issue 15).

    python bench/server_load.py                 # 10,000 people x 365 nights, 32 clients, 20 s
    python bench/server_load.py --quick         # 200 people x 90 nights, 10 s (development)
    python bench/server_load.py --db postgresql+psycopg://owner@host/postgres   # an existing server

In one run, on loopback:

1. A throwaway PostgreSQL (``initdb`` as user ``postgres`` when run as root, ``fsync=off``,
   ``pg_stat_statements`` loaded), or, with ``--db``, a new database on that server (the URL's
   role must be able to create databases; the database is dropped at the end unless ``--keep``).
2. Migrations, then ``--people`` people x ``--nights`` nights seeded with COPY (psycopg, no ORM):
   16 journals from :func:`nightleaf.simulate.simulate_journal` (different seeds, zones and use
   rates), each repeated for every 16th person with its ids renumbered, so the dashboard and the
   safety checks compute on a profile, products, batches, medicines, conditions, diary entries,
   intakes, pain, substances and symptoms as for a real person. Then row-level security and the
   app role (``nightleaf server init``'s second half), and one account per person (all with one
   Argon2 hash computed once).
3. The real app (``nightleaf serve --multi-user --workers W``, uvicorn) and the peer
   (:func:`peer_app`: plain FastAPI routes, uvicorn with the same settings and workers, the same
   database as the same role ``nightleaf_app`` under row-level security, a SQLAlchemy engine
   configured as nightleaf's server mode (``make_engine(pre_ping=False)``), ``exec_driver_sql``
   of the very statements the app sends -- the session look-up, ``set_config``, the reads, the
   ``INSERT``, the audit row, in one transaction per request as the app does -- without
   nightleaf's services, calculators or middleware), one after the other.
4. The load: this process (asyncio + httpx; the servers are separate processes) runs
   ``--clients`` clients, each signed in (``POST /api/session``, up front) as a different person;
   the app's clients and the peer's are different people seeded from the same journals. Each
   client sends its next request as soon as the last one is answered, for ``--seconds`` per
   phase, after a warm-up: log-intake (``POST /api/intakes``) and dashboard
   (``GET /api/dashboard``, 28 nights). These closed-loop phases measure throughput: with no
   pause between requests, 32 clients keep both cores busy and every request queues behind the
   others, so their latencies are the queue's length (32 / requests/s on average), not a
   request's time. A third phase, **log-intake paced**, measures latency at a load the machine
   can carry: the same 32 clients, each sending at Poisson times ``--paced-rate`` requests/s
   (default 1, so about 32 requests/s in all, open loop), each latency timed from the request's
   *scheduled* send, so a request held back by its client's slow previous one counts the wait
   (no coordinated omission). Issue 15's "p99 < 100 ms for log-intake" is checked on that phase;
   the closed-loop p99 is printed beside it.

Printed: seed time, requests/s, p50/p95/p99 (ms) for app and peer, app/peer throughput, 5xx and
other failures (warm-up requests included), lost writes (each person's intake rows after a phase
minus before, against the 201s that client received), CPU seconds used by the client, the
servers and PostgreSQL in each phase (and per request), the load average before and after,
and -- when ``pg_stat_statements`` can be read -- the statements per request of app and peer,
to show the peer does the same SQL. ``--waits`` adds, per phase, what PostgreSQL's backends were
doing (``pg_stat_activity`` sampled every 20 ms: lock waits, or "idle in transaction" waiting
for the server under test).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))  # the tests' throwaway PostgreSQL (tests/support/pgserver.py)

from tests.support.pgserver import PgServer, free_port  # noqa: E402

#: server settings of the throwaway PostgreSQL: statement counts, 64 sign-ins, a big seed
PG_OPTIONS = ("-c shared_preload_libraries=pg_stat_statements -c max_connections=200 "
              "-c shared_buffers=256MB -c maintenance_work_mem=256MB -c max_wal_size=4GB")

#: zones the seeded journals are kept in (the dashboard and checks work in the person's zone)
ZONES = ("America/New_York", "Europe/Berlin", "America/Los_Angeles", "Australia/Sydney")
TEMPLATES = 16
PASSWORD = "bench lantern under a quiet moon"
INTAKE_BODY = {"amount": "3g", "at": "now", "product": "Red Bali"}
PEER_ENV = "NIGHTLEAF_BENCH_PEER_URL"


# -- PostgreSQL -------------------------------------------------------------------------------------
def libpq(url: str) -> str:
    """A SQLAlchemy URL as psycopg's conninfo (``postgresql+psycopg://`` -> ``postgresql://``)."""
    return re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql://", url)


def with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


# -- seeding ----------------------------------------------------------------------------------------
def _esc(v: Any) -> str:
    """One value in COPY's text format."""
    if v is None:
        return "\\N"
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, datetime):
        return v.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(v, date | dtime):
        return v.isoformat()
    if isinstance(v, str):
        return (v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))
    return str(v)


#: placeholders in a template's COPY text, replaced for each person
_PERSON = "\x01"


def _pid_token(local: int) -> str:
    return chr(0x10 + local)  # product 1..8


def _bid_token(local: int) -> str:
    return chr(0x18 + local)  # batch 1..8


@dataclass
class Template:
    """One simulated journal as COPY text per table, with placeholders for the person's ids."""

    tables: dict[str, str]
    products: int
    batches: int
    rows: int


def _template(journal: Any, copy_cols: dict[str, list[str]]) -> Template:
    from nightleaf.model.entities import Intake, Profile

    def line(values: Sequence[str]) -> str:
        return "\t".join(values) + "\n"

    out: dict[str, list[str]] = {name: [] for name in copy_cols}
    p: Profile = journal.profile
    prof = {"person_id": _PERSON, "tz": _esc(p.tz), "region": _esc(p.region),
            "target_bedtime": p.target_bedtime.strftime("%H:%M"),
            "lead_minutes": _esc(p.lead_minutes),
            "target_wake": _esc(p.target_wake.strftime("%H:%M") if p.target_wake else None),
            "max_grams_per_night": _esc(p.max_grams_per_night),
            "max_nights_per_week": _esc(p.max_nights_per_week),
            "work_days": _esc(",".join(p.work_days)), "name": _esc(p.name)}
    out["profile"].append(line([prof[c] for c in copy_cols["profile"]]))
    if max([x.id or 0 for x in journal.products] + [x.id or 0 for x in journal.batches]) > 8:
        raise ValueError("a template has more than 8 products or batches")

    def generic(name: str, obj: Any) -> str:
        vals = []
        for c in copy_cols[name]:
            if c == "person_id":
                vals.append(_PERSON)
            elif c == "id" and name == "product":
                vals.append(_pid_token(obj.id))
            elif c == "id" and name == "batch":
                vals.append(_bid_token(obj.id))
            elif c == "product_id":
                vals.append(_pid_token(obj.product_id) if obj.product_id else "\\N")
            elif c == "batch_id":
                vals.append(_bid_token(obj.batch_id) if obj.batch_id else "\\N")
            else:
                vals.append(_esc(getattr(obj, c)))
        return line(vals)

    parts = {"medicine": journal.medicines, "condition": journal.conditions,
             "product": journal.products, "batch": journal.batches,
             "substance": journal.substances, "sleep_entry": journal.sleep,
             "pain": journal.pain, "symptom": journal.symptoms}
    for name, objs in parts.items():
        out[name].extend(generic(name, o) for o in objs)
    for i in journal.intakes:
        assert isinstance(i, Intake)
        vals = {"person_id": _PERSON, "at": _esc(i.at), "tz": _esc(i.tz), "night": _esc(i.night),
                "amount_value": _esc(i.amount.value), "amount_unit": _esc(i.amount.unit),
                "capsule_mg": _esc(i.amount.capsule_mg), "tea_grams": _esc(i.amount.tea_grams),
                "product_id": _pid_token(i.product_id) if i.product_id else "\\N",
                "batch_id": _bid_token(i.batch_id) if i.batch_id else "\\N",
                "mitragynine_mg": _esc(i.mitragynine_mg), "note": _esc(i.note)}
        out["intake"].append(line([vals[c] for c in copy_cols["intake"]]))
    return Template({k: "".join(v) for k, v in out.items()},
                    products=max([x.id or 0 for x in journal.products], default=0),
                    batches=max([x.id or 0 for x in journal.batches], default=0),
                    rows=sum(len(v) for v in out.values()))


#: the journal tables seeded, with the columns COPY fills (``id`` from the sequence, except the
#: products' and batches', which intakes and batches refer to)
def _copy_columns() -> dict[str, list[str]]:
    from nightleaf.store import tables as t

    names = ("profile", "medicine", "condition", "product", "batch", "intake", "substance",
             "sleep_entry", "pain", "symptom")
    cols: dict[str, list[str]] = {}
    for name in names:
        table = t.metadata.tables[name]
        cols[name] = [c.name for c in table.c if c.name != "id" or name in ("product", "batch")]
    return cols


@dataclass
class SeedInfo:
    people: int
    nights: int
    rows: dict[str, int]
    seconds: float


def seed(url: str, people: int, nights: int, *, last_night: date, password_hash: str,
         now: datetime, templates: int = TEMPLATES, jobs: int = 2) -> SeedInfo:
    """Seed ``people`` persons x ``nights`` nights ending on ``last_night`` into the migrated,
    empty database at ``url`` (its owner; before row-level security is enabled: COPY is refused
    on a table whose row-level security applies to the copying role). Person ``p`` (1-based) gets
    journal ``(p - 1) % templates`` and the account ``person{p}@bench.invalid``."""
    import psycopg

    from nightleaf.simulate import simulate_journal

    t0 = time.perf_counter()
    copy_cols = _copy_columns()
    temps = []
    for k in range(min(templates, people)):
        j = simulate_journal(nights, seed=1000 + k, last_night=last_night,
                             tz=ZONES[k % len(ZONES)], use_rate=0.45 + 0.1 * (k % 5))
        j.experiments, j.experiment_nights = [], []  # not read by the measured routes
        temps.append(_template(j, copy_cols))
    nprod = max(tp.products for tp in temps)
    nbat = max(tp.batches for tp in temps)
    conninfo = libpq(url)
    stamp = _esc(now)

    def copy_people() -> int:
        with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
            with cur.copy("COPY person (id, name, created_at) FROM STDIN") as cp:
                cp.write("".join(f"{p}\t\\N\t{stamp}\n" for p in range(1, people + 1)))
            with cur.copy("COPY account (id, email, password_hash, role, person_id, created_at, "
                          "password_changed_at) FROM STDIN") as cp:
                h = _esc(password_hash)
                cp.write("".join(f"{p}\tperson{p}@bench.invalid\t{h}\tperson\t{p}\t{stamp}\t"
                                 f"{stamp}\n" for p in range(1, people + 1)))
        return 2 * people

    def copy_table(name: str) -> int:
        rows = 0
        sql = f"COPY {name} ({', '.join(copy_cols[name])}) FROM STDIN"
        with psycopg.connect(conninfo) as conn, conn.cursor() as cur, cur.copy(sql) as cp:
            buf: list[str] = []
            size = 0
            for p in range(1, people + 1):
                text = temps[(p - 1) % len(temps)].tables[name]
                if not text:
                    continue
                s = text.replace(_PERSON, str(p))
                for local in range(1, nprod + 1):
                    s = s.replace(_pid_token(local), str((p - 1) * nprod + local))
                for local in range(1, nbat + 1):
                    s = s.replace(_bid_token(local), str((p - 1) * nbat + local))
                rows += s.count("\n")
                buf.append(s)
                size += len(s)
                if size > 1 << 22:
                    cp.write("".join(buf))
                    buf, size = [], 0
            if buf:
                cp.write("".join(buf))
        return rows

    counts: dict[str, int] = {}
    counts["person+account"] = copy_people()
    # parents first (products, batches), then the rest two at a time
    for name in ("profile", "medicine", "condition", "product", "batch"):
        counts[name] = copy_table(name)
    big = ["pain", "intake", "sleep_entry", "substance", "symptom"]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, n in zip(big, pool.map(copy_table, big), strict=True):
            counts[name] = n
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for name in ("person", "account", "product", "batch"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                         f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)")
        # VACUUM as well as ANALYZE: 13.8 M freshly copied rows otherwise trigger autovacuum's
        # insert threshold a minute later, in the middle of whichever phase runs then (the
        # app's, which run first), and its CPU is charged to that server's PostgreSQL
        conn.execute("VACUUM (ANALYZE)")
    return SeedInfo(people, nights, counts, time.perf_counter() - t0)


# -- the peer: a bare FastAPI app doing the app's SQL -----------------------------------------------
# The statements below are the ones nightleaf sends for the two routes (SQLAlchemy's compiled text,
# byte for byte, so pg_stat_statements counts them as the same statements; the run compares).
SQL = {
    "guc": "SELECT set_config(%(k)s, %(v)s, true)",
    "guc_person": "SELECT set_config('nightleaf.person_id', %(v)s, true)",
    "session_account": "SELECT session.id_hash, session.account_id, session.created_at, "
                       "session.last_seen_at, session.expires_at, session.revoked_at, "
                       "session.ip, session.user_agent, account.id, account.email, "
                       "account.password_hash, account.role, account.person_id, "
                       "account.created_at AS created_at_1, account.password_changed_at \nFROM "
                       "session JOIN account ON account.id = session.account_id \nWHERE "
                       "session.id_hash = %(id_hash)s::VARCHAR",
    "touch": "UPDATE session SET last_seen_at=%(last_seen_at)s::TIMESTAMP WITHOUT TIME ZONE "
             "WHERE session.id_hash = %(id_hash_1)s::VARCHAR",
    "profile": "SELECT profile.person_id, profile.tz, profile.region, profile.target_bedtime, "
               "profile.lead_minutes, profile.target_wake, profile.max_grams_per_night, "
               "profile.max_nights_per_week, profile.work_days, profile.name \nFROM profile "
               "\nWHERE profile.person_id = %(person_id_1)s::INTEGER",
    "lock": "SELECT pg_advisory_xact_lock(7215, %(p)s)",
    "audit_last": "SELECT audit.seq, audit.hash \nFROM audit \nWHERE audit.person_id = "
                  "%(person_id_1)s::INTEGER ORDER BY audit.seq DESC \n LIMIT %(param_1)s::INTEGER",
    "audit_insert": "INSERT INTO audit (person_id, seq, at, actor_id, action, object, count, via, "
                    "share_id, ip, outcome, prev_hash, hash) VALUES (%(person_id)s::INTEGER, "
                    "%(seq)s::INTEGER, %(at)s::TIMESTAMP WITHOUT TIME ZONE, "
                    "%(actor_id)s::INTEGER, %(action)s::VARCHAR, %(object)s::VARCHAR, "
                    "%(count)s::INTEGER, %(via)s::VARCHAR, %(share_id)s::VARCHAR, "
                    "%(ip)s::VARCHAR, %(outcome)s::VARCHAR, %(prev_hash)s::VARCHAR, "
                    "%(hash)s::VARCHAR)",
    "sleep_entry": "SELECT sleep_entry.night, sleep_entry.tz, sleep_entry.into_bed AS into_bed, "
                   "sleep_entry.tried_to_sleep AS tried_to_sleep, sleep_entry.sol_minutes, "
                   "sleep_entry.awakenings, sleep_entry.waso_minutes, "
                   "sleep_entry.final_awakening AS final_awakening, sleep_entry.out_of_bed AS "
                   "out_of_bed, sleep_entry.woke_early_minutes, sleep_entry.quality, "
                   "sleep_entry.rested, sleep_entry.nap_count, sleep_entry.nap_minutes, "
                   "sleep_entry.note, sleep_entry.id, sleep_entry.person_id \nFROM sleep_entry "
                   "\nWHERE sleep_entry.person_id = %(person_id_1)s::INTEGER AND "
                   "sleep_entry.night >= %(night_1)s::DATE AND sleep_entry.night <= "
                   "%(night_2)s::DATE ORDER BY sleep_entry.night, sleep_entry.id",
    "intakes": "SELECT intake.id, intake.person_id, intake.at AS at, intake.tz, intake.night, "
               "intake.amount_value, intake.amount_unit, intake.capsule_mg, intake.tea_grams, "
               "intake.product_id, intake.batch_id, intake.mitragynine_mg, intake.note \nFROM "
               "intake \nWHERE intake.person_id = %(person_id_1)s::INTEGER AND intake.night >= "
               "%(night_1)s::DATE AND intake.night <= %(night_2)s::DATE ORDER BY intake.at, "
               "intake.id",
    "pain": "SELECT pain.at AS at, pain.tz, pain.night, pain.nrs, pain.context, pain.peg_pain, "
            "pain.peg_enjoyment, pain.peg_activity, pain.note, pain.id, pain.person_id \nFROM "
            "pain \nWHERE pain.person_id = %(person_id_1)s::INTEGER AND pain.night >= "
            "%(night_1)s::DATE AND pain.night <= %(night_2)s::DATE ORDER BY pain.night, "
            "pain.at, pain.id",
    "symptoms": "SELECT symptom.at AS at, symptom.tz, symptom.night, symptom.kind, symptom.name, "
                "symptom.severity, symptom.note, symptom.id, symptom.person_id \nFROM symptom "
                "\nWHERE symptom.person_id = %(person_id_1)s::INTEGER AND symptom.night >= "
                "%(night_1)s::DATE AND symptom.night <= %(night_2)s::DATE ORDER BY "
                "symptom.night, symptom.at, symptom.id",
    "insert_intake": "INSERT INTO intake (person_id, at, tz, night, amount_value, amount_unit, "
                     "capsule_mg, tea_grams, product_id, batch_id, mitragynine_mg, note) VALUES "
                     "(%(person_id)s::INTEGER, %(at)s::TIMESTAMP WITHOUT TIME ZONE, "
                     "%(tz)s::VARCHAR, %(night)s::DATE, %(amount_value)s, "
                     "%(amount_unit)s::VARCHAR, %(capsule_mg)s, %(tea_grams)s, "
                     "%(product_id)s::INTEGER, %(batch_id)s::INTEGER, %(mitragynine_mg)s, "
                     "%(note)s::VARCHAR) RETURNING intake.id",
    "medicines": "SELECT medicine.name, medicine.dose_text, medicine.regimen, medicine.note, "
                 "medicine.id, medicine.person_id \nFROM medicine \nWHERE medicine.person_id = "
                 "%(person_id_1)s::INTEGER ORDER BY medicine.id",
    "conditions": "SELECT condition.name, condition.note, condition.id, condition.person_id "
                  "\nFROM condition \nWHERE condition.person_id = %(person_id_1)s::INTEGER "
                  "ORDER BY condition.id",
    "products": "SELECT product.name, product.vendor, product.label, product.vein, product.form, "
                "product.capsule_mg, product.note, product.id, product.person_id \nFROM product "
                "\nWHERE product.person_id = %(person_id_1)s::INTEGER ORDER BY product.id",
    "batches": "SELECT batch.product_id, batch.lot, batch.purchased_on, batch.mitragynine_pct, "
               "batch.seven_oh_pct, batch.lab, batch.test_date, batch.heavy_metals, "
               "batch.microbial, batch.pesticides, batch.note, batch.id, batch.person_id \nFROM "
               "batch \nWHERE batch.person_id = %(person_id_1)s::INTEGER ORDER BY batch.id",
    "substances": "SELECT substance.at AS at, substance.tz, substance.kind, substance.night, "
                  "substance.name, substance.amount, substance.unit, substance.note, "
                  "substance.id, substance.person_id \nFROM substance \nWHERE "
                  "substance.person_id = %(person_id_1)s::INTEGER AND substance.night >= "
                  "%(night_1)s::DATE AND substance.night <= %(night_2)s::DATE ORDER BY "
                  "substance.night, substance.at, substance.id",
}
class IntakeBody(BaseModel):
    """The peer's body of ``POST /api/intakes`` (FastAPI resolves it at module level)."""

    amount: str = Field(max_length=32)
    at: str | None = Field(None, max_length=40)
    product: str | None = Field(None, max_length=200)




def _episodes_sql() -> str:
    """``Repo.episodes`` selects the whole ``sleep_episode`` table, whose columns grow with the
    schema (0005 added stage minutes): its text is made from the table, quoted as SQLAlchemy
    quotes (``"end"``)."""
    from sqlalchemy.dialects import postgresql

    from nightleaf.store import tables as t

    quote = postgresql.dialect().identifier_preparer.quote
    cols = ", ".join(f"sleep_episode.{quote(c.name)}" for c in t.sleep_episode.c)
    return (f"SELECT {cols} \nFROM sleep_episode \nWHERE sleep_episode.person_id = "
            "%(person_id_1)s::INTEGER AND sleep_episode.night >= %(night_1)s::DATE AND "
            "sleep_episode.night <= %(night_2)s::DATE ORDER BY sleep_episode.start, "
            "sleep_episode.id")


SQL["episodes"] = _episodes_sql()
#: the nights the safety checks read (services.findings: HISTORY_NIGHTS, the carry-over nights)
HISTORY_NIGHTS, CARRY_NIGHTS = 35, 2


def peer_app() -> Any:
    """The peer (``uvicorn --factory``): the app's SQL for the two routes, nothing else. As in
    the app, each request is one transaction: the session look-up, the person's setting, the
    reads and writes, one audit row, the commit (and, at most every 30 s per session, the
    session's last-seen update in a transaction of its own afterwards)."""
    from fastapi import FastAPI, HTTPException

    from nightleaf.store.db import make_engine

    engine = make_engine(os.environ[PEER_ENV], pre_ping=False)  # as server mode's store
    app = FastAPI()

    def utcnow() -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)

    def signed_in(c: Any, request: Request, after: list[Any]) -> tuple[int, int]:
        """The session look-up, first statement of the request's transaction."""
        token = request.cookies.get("nl_session")
        if not token:
            raise HTTPException(401)
        digest = hashlib.sha256(token.encode()).hexdigest()
        now = utcnow()
        s = c.exec_driver_sql(SQL["session_account"], {"id_hash": digest}).first()
        if (s is None or s.revoked_at is not None or now >= s.expires_at
                or now - s.last_seen_at >= timedelta(minutes=60)):
            raise HTTPException(401)
        if now - s.last_seen_at > timedelta(seconds=30):
            after.append(lambda: touch(digest, now))
        c.exec_driver_sql(SQL["guc_person"], {"v": str(int(s.person_id))})
        return int(s.id), int(s.person_id)

    def touch(digest: str, now: datetime) -> None:
        with engine.begin() as c:
            c.exec_driver_sql(SQL["guc"], {"k": "nightleaf.person_id", "v": "0"})
            c.exec_driver_sql(SQL["touch"], {"last_seen_at": now, "id_hash_1": digest})

    def audit(c: Any, person: int, account: int, action: str, obj: str, ip: str | None) -> None:
        c.exec_driver_sql(SQL["lock"], {"p": person})
        last = c.exec_driver_sql(SQL["audit_last"], {"person_id_1": person, "param_1": 1}).first()
        seq, prev = (int(last.seq) + 1, str(last.hash)) if last else (1, "0" * 64)
        at = datetime.now(UTC)
        fields = {"person_id": person, "seq": seq, "at": at.isoformat(), "actor_id": account,
                  "action": action, "object": obj, "count": 1, "via": "session",
                  "share_id": None, "ip": ip, "outcome": "ok"}
        body = json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))
        digest = hashlib.sha256((prev + body).encode()).hexdigest()
        c.exec_driver_sql(SQL["audit_insert"], {**fields, "at": at.replace(tzinfo=None),
                                                "prev_hash": prev, "hash": digest})

    def local_night(instant: datetime, tz: str, cutoff: dtime) -> date:
        local = instant.astimezone(ZoneInfo(tz))
        return local.date() - timedelta(days=1) if local.time() < cutoff else local.date()

    def rows(result: Any) -> list[list[Any]]:
        return [list(r) for r in result]

    def as_json(data: Any, status: int = 200) -> Response:
        return Response(json.dumps(data, default=str), status_code=status,
                        media_type="application/json")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/dashboard")
    def dashboard(request: Request) -> Response:
        ip = request.client.host if request.client else None
        after: list[Any] = []
        with engine.begin() as c:
            account, person = signed_in(c, request, after)
            prof = c.exec_driver_sql(SQL["profile"], {"person_id_1": person}).first()
            last = local_night(datetime.now(UTC), prof.tz, dtime(6)) - timedelta(days=1)
            first = last - timedelta(days=27)
            win = {"person_id_1": person, "night_1": first, "night_2": last}
            out = {k: rows(c.exec_driver_sql(SQL[k], win))
                   for k in ("sleep_entry", "episodes", "intakes", "pain", "symptoms")}
            audit(c, person, account, "read", "/api/dashboard", ip)
        for f in after:
            f()
        return as_json({"first_night": first, "last_night": last, "tz": prof.tz, "rows": out})

    @app.post("/api/intakes", status_code=201)
    def log_intake(request: Request, body: IntakeBody) -> Response:
        ip = request.client.host if request.client else None
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*g\s*", body.amount)
        if m is None or (body.at or "now") != "now":
            raise HTTPException(422, "the peer takes grams, now")
        grams = float(m.group(1))
        at = datetime.now(UTC)
        after: list[Any] = []
        with engine.begin() as c:
            account, person = signed_in(c, request, after)
            # the profile, products and batches, read once for the intake and the checks
            me = {"person_id_1": person}
            prof = c.exec_driver_sql(SQL["profile"], me).first()
            products = c.exec_driver_sql(SQL["products"], me).all()
            batches = c.exec_driver_sql(SQL["batches"], me).all()
            prod = next((p for p in products
                         if body.product and p.name.casefold() == body.product.casefold()), None)
            found = [b for b in batches if prod is not None and b.product_id == prod.id]
            bat = found[-1] if found else None
            night = local_night(at, prof.tz, dtime(12))
            pct = bat.mitragynine_pct if bat is not None else None
            values = {"person_id": person, "at": at.replace(tzinfo=None), "tz": prof.tz,
                      "night": night, "amount_value": grams, "amount_unit": "g",
                      "capsule_mg": None, "tea_grams": None,
                      "product_id": prod.id if prod else None,
                      "batch_id": bat.id if bat else None,
                      "mitragynine_mg": None if pct is None else round(grams * 10 * pct, 3),
                      "note": None}
            new_id = c.exec_driver_sql(SQL["insert_intake"], values).scalar_one()
            # what else the safety checks read for the night
            read = {k: rows(c.exec_driver_sql(SQL[k], me)) for k in ("medicines", "conditions")}
            read["products"], read["batches"] = rows(products), rows(batches)
            hist = {"person_id_1": person, "night_1": night - timedelta(days=HISTORY_NIGHTS - 1),
                    "night_2": night}
            read["intakes"] = rows(c.exec_driver_sql(SQL["intakes"], hist))
            read["substances"] = rows(c.exec_driver_sql(SQL["substances"], {
                "person_id_1": person, "night_1": night - timedelta(days=CARRY_NIGHTS),
                "night_2": night}))
            read["symptoms"] = rows(c.exec_driver_sql(SQL["symptoms"], hist))
            audit(c, person, account, "write", "/api/intakes", ip)
        for f in after:
            f()
        return as_json({"intake": {**values, "id": new_id},
                        "read": {k: len(v) for k, v in read.items()}}, 201)

    return app


# -- servers ----------------------------------------------------------------------------------------
@contextmanager
def running(cmd: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[int]:
    """Start a server (its own process group), wait for /healthz, stop it by its group id."""
    import httpx

    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"{' '.join(cmd[:4])} ... exited:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"server did not answer /healthz:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield proc.pid
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def tree_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) of a process and its live descendants."""
    if pid is None:
        return 0.0
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for p in procs:
        try:
            c = p.cpu_times()
            total += c.user + c.system
            if p is root:  # children that have exited (a closed PostgreSQL backend)
                total += c.children_user + c.children_system
        except psutil.NoSuchProcess:
            pass
    return total


# -- load -------------------------------------------------------------------------------------------
@dataclass
class Phase:
    name: str
    server: str
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    created: Counter[int] = field(default_factory=Counter)  # person -> 201s received
    cpu: dict[str, float] = field(default_factory=dict)
    statements: dict[str, float] = field(default_factory=dict)  # normalised SQL -> calls/request
    wall: float = 0.0
    lost: int = 0  # 201s received (warm-up included) without their row in the table
    extra: int = 0  # rows in the table without a 201
    #: requests/s per client, Poisson (open loop); 0: closed loop (the next request as soon as
    #: the last one is answered)
    rate: float = 0.0

    @property
    def posts(self) -> bool:
        return self.name.startswith("log-intake")

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        xs = sorted(self.latencies)
        if not xs:
            return float("nan")
        return xs[min(len(xs) - 1, max(0, round(q * len(xs)) - 1))]

    @property
    def server_errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if s >= 500)

    @property
    def failures(self) -> int:
        ok = 201 if self.posts else 200
        return sum(n for s, n in self.statuses.items() if s != ok) + sum(self.errors.values())


async def _sign_in(base: str, people: Sequence[int]) -> dict[int, str]:
    import httpx

    tokens: dict[int, str] = {}
    gate = asyncio.Semaphore(4)  # Argon2 is meant to be slow: a few at a time

    async def one(p: int) -> None:
        async with gate, httpx.AsyncClient(base_url=base, timeout=120) as c:
            r = await c.post("/api/session", json={"email": f"person{p}@bench.invalid",
                                                   "password": PASSWORD})
        if r.status_code != 200 or "nl_session" not in r.cookies:
            raise SystemExit(f"sign-in of person {p} failed: {r.status_code} {r.text[:200]}")
        tokens[p] = str(r.cookies["nl_session"])

    await asyncio.gather(*(one(p) for p in people))
    return tokens


async def _drive(base: str, phase: Phase, tokens: dict[int, str], seconds: float,
                 warmup: int, before_measure: Any) -> None:
    import httpx

    clients = {p: httpx.AsyncClient(base_url=base, cookies={"nl_session": tok}, timeout=30,
                                    limits=httpx.Limits(max_connections=1))
               for p, tok in tokens.items()}
    post = phase.posts

    async def one(p: int, c: httpx.AsyncClient, record: bool, t0: float | None = None) -> None:
        # paced: the latency counts from the request's scheduled time, so a request that had to
        # wait for its client's previous one counts that wait (no coordinated omission)
        t0 = time.perf_counter() if t0 is None else t0
        try:
            r = (await c.post("/api/intakes", json=INTAKE_BODY) if post
                 else await c.get("/api/dashboard"))
            await r.aread()
        except httpx.HTTPError as exc:  # counted in the warm-up too, as the statuses
            phase.errors[type(exc).__name__] += 1
            return
        phase.statuses[r.status_code] += 1
        if post and r.status_code == 201:
            phase.created[p] += 1  # the warm-up's rows are written too
        if record:
            phase.latencies.append((time.perf_counter() - t0) * 1000)

    try:
        await asyncio.gather(*(one(p, c, False) for p, c in clients.items()
                               for _ in range(warmup)))
        await asyncio.to_thread(before_measure)
        start = time.perf_counter()
        stop = start + seconds

        async def loop(p: int, c: httpx.AsyncClient) -> None:
            while time.perf_counter() < stop:
                await one(p, c, True)

        async def paced(p: int, c: httpx.AsyncClient) -> None:
            rng = random.Random(p)
            due = start + rng.expovariate(phase.rate)
            while due < stop:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                await one(p, c, True, due)
                due += rng.expovariate(phase.rate)

        await asyncio.gather(*((paced if phase.rate else loop)(p, c)
                               for p, c in clients.items()))
        phase.seconds = time.perf_counter() - start
        phase.requests = len(phase.latencies)
    finally:
        await asyncio.gather(*(c.aclose() for c in clients.values()))


# -- checks on the database ---------------------------------------------------------------------------
def intake_counts(conninfo: str, people: Sequence[int]) -> dict[int, int]:
    """Each person's intake rows, read as that person (row-level security is FORCEd, so even the
    tables' owner sees a person's rows only with the person set)."""
    import psycopg

    out: dict[int, int] = {}
    with psycopg.connect(conninfo) as conn:
        for p in people:
            with conn.transaction():
                conn.execute("SELECT set_config('nightleaf.person_id', %s, true)", (str(p),))
                row = conn.execute("SELECT count(*) FROM intake WHERE person_id = %s",
                                   (p,)).fetchone()
                out[p] = int(row[0]) if row else 0
    return out


class Statements:
    """pg_stat_statements, when the server has it loaded and the role may reset it."""

    def __init__(self, conninfo: str) -> None:
        import psycopg

        self.conninfo = conninfo
        self.ok = False
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                conn.execute("SELECT pg_stat_statements_reset()")
                conn.execute("SELECT count(*) FROM pg_stat_statements").fetchone()
            self.ok = True
        except psycopg.Error as exc:
            print(f"  (pg_stat_statements not available: {str(exc).splitlines()[0]}; the "
                  "statement comparison is skipped)")

    def reset(self) -> None:
        if self.ok:
            import psycopg

            with psycopg.connect(self.conninfo, autocommit=True) as conn:
                conn.execute("SELECT pg_stat_statements_reset()")

    def calls(self) -> dict[str, int]:
        if not self.ok:
            return {}
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT s.query, s.calls FROM pg_stat_statements s JOIN pg_roles r ON "
                "r.oid = s.userid WHERE r.rolname = 'nightleaf_app' AND s.dbid = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())").fetchall()
        out: Counter[str] = Counter()
        for q, n in rows:
            out[canonical(str(q))] += int(n)
        return dict(out)


class Waits:
    """``--waits``: what the server's PostgreSQL backends are doing during a phase, sampled from
    ``pg_stat_activity`` every 20 ms in a thread. Mean backends per sample by (state, wait event):
    lock waits would show as ``Lock``/``LWLock`` rows; backends "idle in transaction" waiting on
    ``ClientRead`` are waiting for the server under test, not for PostgreSQL."""

    def __init__(self, conninfo: str) -> None:
        import threading

        self.conninfo = conninfo
        self.counts: Counter[tuple[str, str]] = Counter()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            while not self._stop.is_set():
                for state, kind, event in conn.execute(
                        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                        "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() "
                        "AND datname = current_database()").fetchall():
                    self.counts[(str(state), f"{kind}/{event}" if kind else "-")] += 1
                self.samples += 1
                time.sleep(0.02)

    def __enter__(self) -> Waits:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def lines(self) -> list[str]:
        n = max(self.samples, 1)
        return [f"    {v / n:6.2f}  {state:<20} {wait}"
                for (state, wait), v in self.counts.most_common(8)]


def canonical(query: str) -> str:
    """A statement as pg_stat_statements shows it, with its constants and parameters all ``?``
    (the same statement is shown as ``set_config('x', $1, true)`` or ``set_config($2, $1, $3)``
    depending on how its first call reached the server)."""
    q = " ".join(query.split())
    return re.sub(r"'[^']*'|\$\d+|\b\d+\b|\btrue\b|\bfalse\b", "?", q)


# -- the run ------------------------------------------------------------------------------------------
def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, help="people seeded (default 10,000; --quick 200)")
    ap.add_argument("--nights", type=int, help="nights per person (default 365; --quick 90)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float,
                    help="measured seconds per phase (default 20; --quick 10)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--warmup", type=int, default=3, help="requests per client before measuring")
    ap.add_argument("--db", help="an existing PostgreSQL (a role that may create databases)")
    ap.add_argument("--keep", action="store_true", help="keep the database made on --db")
    ap.add_argument("--app-src", type=Path,
                    help="run the app from this source tree (e.g. `git archive` of an older "
                         "commit's src), for a before/after comparison")
    ap.add_argument("--statements", action="store_true",
                    help="print every statement per request of each phase")
    ap.add_argument("--waits", action="store_true",
                    help="sample pg_stat_activity during each phase (lock waits, idle in "
                         "transaction)")
    ap.add_argument("--paced-rate", type=float, default=1.0,
                    help="the paced log-intake phase: requests/s per client, Poisson arrivals "
                         "(open loop; default 1.0, i.e. 32 requests/s from 32 clients); 0 skips "
                         "it")
    ap.add_argument("--quick", action="store_true", help="200 people x 90 nights, 10 s phases")
    args = ap.parse_args()
    for name, full, quick in (("people", 10_000, 200), ("nights", 365, 90),
                              ("seconds", 20.0, 10.0)):
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    if args.people < 2 * args.clients:
        raise SystemExit(f"--people must be at least 2 x --clients ({2 * args.clients}): the app "
                         "and the peer each get their own clients' people")
    if args.clients % TEMPLATES and args.clients > TEMPLATES:
        print(f"  note: --clients {args.clients} is not a multiple of {TEMPLATES}; app and peer "
              "people come from slightly different journals")

    from sqlalchemy.engine import make_url

    from nightleaf.services.accounts import hash_password
    from nightleaf.store import open_store
    from nightleaf.store.db import migrate
    from nightleaf.store.rls import enable_row_security

    t_run = time.perf_counter()
    print(f"load average before: {loadavg()} ({os.cpu_count()} cores)")
    pg: PgServer | None = None
    made_db: str | None = None
    if args.db:
        admin = args.db
        made_db = f"nightleaf_load_{uuid.uuid4().hex[:8]}"
        import psycopg

        with psycopg.connect(libpq(admin), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{made_db}"')
        owner_url = with_database(admin, made_db)
    else:
        try:
            pg = PgServer(PG_OPTIONS).start()
        except RuntimeError as exc:
            raise SystemExit(f"{exc}; or give --db URL") from None
        owner_url = pg.url
    work = Path(tempfile.mkdtemp(prefix="nightleaf-load-logs-"))
    try:
        now = datetime.now(UTC)
        last_night = now.date() - timedelta(days=1)
        store = open_store(owner_url, create=False)
        migrate(store.engine)
        t0 = time.perf_counter()
        pw_hash = hash_password(PASSWORD)
        info = seed(owner_url, args.people, args.nights, last_night=last_night,
                    password_hash=pw_hash, now=now)
        enable_row_security(store)
        app_password = secrets.token_urlsafe(16)
        with store.engine.begin() as conn:
            conn.exec_driver_sql(f"ALTER ROLE nightleaf_app PASSWORD '{app_password}'")
        store.dispose()
        seeded = time.perf_counter() - t0
        total = sum(info.rows.values())
        print(f"seeded {args.people:,} people x {args.nights} nights: {total:,} rows in "
              f"{seeded:.1f} s ({info.seconds:.1f} s COPY + VACUUM ANALYZE; "
              + ", ".join(f"{k} {v:,}" for k, v in info.rows.items()) + ")")
        app_url = make_url(owner_url).set(username="nightleaf_app", password=app_password
                                          ).render_as_string(hide_password=False)
        owner_conn = libpq(owner_url)
        stats = Statements(owner_conn)

        app_people = list(range(1, args.clients + 1))
        peer_people = list(range(args.clients + 1, 2 * args.clients + 1))
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("NIGHTLEAF_MIGRATE_URL", None)
        env.pop("NIGHTLEAF_NOW", None)
        app_env = dict(env)
        if args.app_src:
            app_env["PYTHONPATH"] = str(args.app_src.resolve())
        where = subprocess.run([sys.executable, "-c", "import nightleaf; print(nightleaf.__file__)"],
                               env=app_env, capture_output=True, text=True).stdout.strip()
        print(f"the app runs {Path(where).parent if where else '?'}")
        app_port, peer_port = free_port(), free_port()
        app_cmd = [sys.executable, "-m", "nightleaf", "--db", app_url, "serve", "--multi-user",
                   "--host", "127.0.0.1", "--port", str(app_port), "--workers",
                   str(args.workers)]
        peer_cmd = [sys.executable, "-m", "uvicorn", "server_load:peer_app", "--factory",
                    "--app-dir", str(HERE), "--host", "127.0.0.1", "--port", str(peer_port),
                    "--workers", str(args.workers), "--proxy-headers",
                    "--forwarded-allow-ips", "127.0.0.1", "--log-level", "warning"]
        phases: list[Phase] = []
        pg_pid = pg.postmaster_pid if pg else None

        def run_phases(server: str, base: str, pid: int, tokens: dict[int, str]) -> None:
            for name in ("log-intake", "dashboard", "log-intake paced")[
                    :3 if args.paced_rate > 0 else 2]:
                ph = Phase(name, server, rate=args.paced_rate if name.endswith("paced") else 0.0)
                people = list(tokens)
                before = intake_counts(owner_conn, people) if ph.posts else {}
                marks: dict[str, float] = {}

                def measure_start(marks: dict[str, float] = marks) -> None:
                    stats.reset()
                    marks.update(client=time.process_time(), server=tree_cpu(pid),
                                 pg=tree_cpu(pg_pid))

                w0 = time.perf_counter()
                with Waits(owner_conn) if args.waits else nullcontext() as waits:
                    asyncio.run(_drive(base, ph, tokens, args.seconds, args.warmup,
                                       measure_start))
                ph.cpu = {"client": time.process_time() - marks["client"],
                          "server": tree_cpu(pid) - marks["server"],
                          "postgres": tree_cpu(pg_pid) - marks["pg"]}
                calls = stats.calls()
                ph.statements = {q: n / ph.requests for q, n in calls.items()} if ph.requests \
                    else {}
                if ph.posts:  # rows added per person against the 201s received
                    after = intake_counts(owner_conn, people)
                    for p in people:
                        added = after[p] - before[p]
                        ph.lost += max(0, ph.created[p] - added)
                        ph.extra += max(0, added - ph.created[p])
                ph.wall = time.perf_counter() - w0
                phases.append(ph)
                print(f"  {server} {name}: {ph.requests:,} requests in {ph.seconds:.1f} s "
                      f"(phase {ph.wall:.1f} s)")
                if waits is not None:
                    print(f"  PostgreSQL backends, mean per sample ({waits.samples} samples), "
                          "by state and wait event:")
                    print("\n".join(waits.lines()))

        with running(app_cmd, app_env, app_port, work / "app.log") as app_pid:
            t_sign = time.perf_counter()
            tokens_all = asyncio.run(_sign_in(f"http://127.0.0.1:{app_port}",
                                              app_people + peer_people))
            print(f"signed in {len(tokens_all)} people in {time.perf_counter() - t_sign:.1f} s")
            app_tokens = {p: tokens_all[p] for p in app_people}
            peer_tokens = {p: tokens_all[p] for p in peer_people}
            run_phases("app", f"http://127.0.0.1:{app_port}", app_pid, app_tokens)
        penv = {**env, PEER_ENV: app_url}
        with running(peer_cmd, penv, peer_port, work / "peer.log") as peer_pid:
            run_phases("peer", f"http://127.0.0.1:{peer_port}", peer_pid, peer_tokens)
        report(args, phases, seeded, total)
        print(f"load average after: {loadavg()}; whole run {time.perf_counter() - t_run:.0f} s")
    finally:
        if pg is not None:
            pg.stop()
        elif made_db and not args.keep:
            import psycopg

            with psycopg.connect(libpq(args.db), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{made_db}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


def report(args: argparse.Namespace, phases: list[Phase], seeded: float, rows: int) -> None:
    by = {(p.server, p.name): p for p in phases}
    print()
    print(f"{args.people:,} people x {args.nights} nights ({rows:,} rows, seeded in "
          f"{seeded:.0f} s); {args.clients} clients; {args.workers} worker(s) each; "
          f"{args.seconds:.0f} s per phase")
    names = [n for n in ("log-intake", "dashboard", "log-intake paced") if ("app", n) in by]
    print(f"{'route':<16} {'server':<5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'5xx':>4} {'fail':>4} {'lost':>4} {'CPU s client/server/pg':>24}")
    for name in names:
        for server in ("app", "peer"):
            p = by[(server, name)]
            lost_s = str(p.lost) if p.posts else "-"
            cpu = f"{p.cpu['client']:.1f}/{p.cpu['server']:.1f}/{p.cpu['postgres']:.1f}"
            print(f"{name:<16} {server:<5} {p.rps:7.1f} {p.pct(.5):7.1f} {p.pct(.95):7.1f} "
                  f"{p.pct(.99):7.1f} {p.server_errors:4d} {p.failures:4d} {lost_s:>4} {cpu:>24}")
    print()
    verdicts = []
    for name in ("log-intake", "dashboard"):
        a, b = by[("app", name)], by[("peer", name)]
        ratio = a.rps / b.rps if b.rps else float("nan")
        verdicts.append(ratio >= 0.5)
        print(f"{name}: app/peer requests/s = {ratio:.2f} (goal >= 0.50: "
              f"{'met' if ratio >= 0.5 else 'MISSED'})")
        sa, sb = a.statements, b.statements
        if sa and sb:
            per_a, per_b = sum(sa.values()), sum(sb.values())
            only_a = sorted(q for q in sa if q not in sb and sa[q] >= 0.05)
            only_b = sorted(q for q in sb if q not in sa and sb[q] >= 0.05)
            differ = sorted(q for q in sa if q in sb and abs(sa[q] - sb[q]) > 0.1)
            same = not (only_a or only_b or differ)
            print(f"  statements per request: app {per_a:.1f}, peer {per_b:.1f}; the same "
                  f"statements, as often: {'yes' if same else 'NO'}")
            for q in only_a:
                print(f"    only the app: {sa[q]:.2f}/request  {q[:110]}")
            for q in only_b:
                print(f"    only the peer: {sb[q]:.2f}/request  {q[:110]}")
            for q in differ:
                print(f"    app {sa[q]:.2f} vs peer {sb[q]:.2f}/request  {q[:100]}")
            if args.statements:
                for q in sorted(set(sa) | set(sb)):
                    print(f"    app {sa.get(q, 0):.2f} peer {sb.get(q, 0):.2f}  {q[:120]}")
    cores = os.cpu_count() or 1
    for name in ("log-intake", "dashboard"):
        for server in ("app", "peer"):
            p = by[(server, name)]
            if not p.requests:
                continue
            ms = {k: 1000 * v / p.requests for k, v in p.cpu.items()}
            total = sum(ms.values())
            print(f"{name} {server}: CPU per request {ms['server']:.1f} ms server + "
                  f"{ms['postgres']:.1f} ms PostgreSQL + {ms['client']:.1f} ms client = "
                  f"{total:.1f} ms; {cores} cores give at most {1000 * cores / total:.0f} "
                  f"requests/s, so {args.clients} clients wait at least "
                  f"{args.clients * total / cores:.0f} ms on average")
    for name in ("log-intake", "dashboard"):
        a, b = by[("app", name)], by[("peer", name)]
        if a.requests and b.requests:
            per_a = sum(a.cpu.values()) / a.requests
            per_b = sum(b.cpu.values()) / b.requests
            print(f"{name}: CPU per request peer/app = {per_b / per_a:.2f} (the requests/s ratio "
                  "when CPU is the limit; less moved by other work on the machine)")
    li = by[("app", "log-intake")]
    p99 = li.pct(.99)
    print(f"log-intake p99 (app), closed loop ({args.clients} clients, each sending again as soon "
          f"as answered) = {p99:.1f} ms, peer {by[('peer', 'log-intake')].pct(.99):.1f} ms: at "
          f"saturation a request waits behind the other clients' ({args.clients} / "
          f"{li.rps:.0f} requests/s = {1000 * args.clients / li.rps:.0f} ms on average), so this "
          "is the queue's length, not a request's time" if li.rps else "")
    paced = by.get(("app", "log-intake paced"))
    if paced is not None:
        pp = by[("peer", "log-intake paced")]
        p99 = paced.pct(.99)
        print(f"log-intake p99 (app), paced ({args.clients} clients x {args.paced_rate:g} "
              f"requests/s, Poisson, {paced.rps:.0f} requests/s in all, timed from each "
              f"request's scheduled send) = {p99:.1f} ms, peer {pp.pct(.99):.1f} ms (goal "
              f"< 100 ms: {'met' if p99 < 100 else 'MISSED'})")
    posts = [p for p in phases if p.posts]
    lost = sum(p.lost for p in posts)
    extra = sum(p.extra for p in posts)
    print(f"lost writes: {lost} (rows a 201 promised but the table lacks); rows without a 201: "
          f"{extra} (goal 0 lost: {'met' if lost == 0 else 'MISSED'})")
    fivexx = sum(p.server_errors for p in phases if p.server == "app")
    failed = [f"{p.server} {p.name} {dict(p.statuses)} {dict(p.errors)}"
              for p in phases if p.failures]
    print(f"5xx from the app: {fivexx} (goal 0: {'met' if fivexx == 0 else 'MISSED'}); "
          + ("failures: " + "; ".join(failed) if failed else "no other failures"))


if __name__ == "__main__":
    main()
