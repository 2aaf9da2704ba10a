"""Table definitions. Every record belongs to a person; instants are stored as naive UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out; stored naive UTC on every engine."""

    impl = DateTime
    cache_ok = True

    # the signatures are SQLAlchemy's TypeDecorator hooks: the dialect is passed, not needed here
    def process_bind_param(self, value: datetime | None,
                           dialect: Dialect) -> datetime | None:  # noqa: ARG002 - hook signature
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None,
                             dialect: Dialect) -> datetime | None:  # noqa: ARG002 - hook signature
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _person() -> Column[int]:
    return Column("person_id", Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False)


def _when() -> list[Column[Any]]:
    return [
        Column("at", UTCDateTime, nullable=False),
        Column("tz", String(64), nullable=False),
        Column("night", Date, nullable=False),
    ]


person = Table(
    "person", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
)

profile = Table(
    "profile", metadata,
    Column("person_id", Integer, ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("tz", String(64), nullable=False),
    Column("region", String(16)),
    Column("target_bedtime", String(5), nullable=False),
    Column("lead_minutes", Integer, nullable=False),
    Column("target_wake", String(5)),
    Column("max_grams_per_night", Float),
    Column("max_nights_per_week", Integer),
    Column("work_days", String(40), nullable=False),
    Column("name", String(200)),
    CheckConstraint("lead_minutes >= 0 AND lead_minutes <= 240", name="lead_minutes"),
)

medicine = Table(
    "medicine", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    Column("name", String(200), nullable=False),
    Column("dose_text", String(200)),
    Column("regimen", String(16), nullable=False),
    Column("note", Text),
    CheckConstraint("regimen IN ('regular', 'as_needed')", name="regimen"),
)

condition = Table(
    "condition", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    Column("name", String(200), nullable=False),
    Column("note", Text),
)

product = Table(
    "product", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    Column("name", String(200), nullable=False),
    Column("vendor", String(200)),
    Column("label", String(200)),
    Column("vein", String(16), nullable=False),
    Column("form", String(16), nullable=False),
    Column("capsule_mg", Float),
    Column("note", Text),
    UniqueConstraint("person_id", "name"),
)

batch = Table(
    "batch", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    Column("product_id", Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False),
    Column("lot", String(200)),
    Column("purchased_on", Date),
    Column("mitragynine_pct", Float),
    Column("seven_oh_pct", Float),
    Column("lab", String(200)),
    Column("test_date", Date),
    Column("heavy_metals", String(8), nullable=False),
    Column("microbial", String(8), nullable=False),
    Column("pesticides", String(8), nullable=False),
    Column("note", Text),
    CheckConstraint("mitragynine_pct IS NULL OR (mitragynine_pct >= 0 AND mitragynine_pct <= 100)",
                    name="mitragynine_pct"),
    CheckConstraint("seven_oh_pct IS NULL OR (seven_oh_pct >= 0 AND seven_oh_pct <= 100)",
                    name="seven_oh_pct"),
)

intake = Table(
    "intake", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    *_when(),
    Column("amount_value", Float, nullable=False),
    Column("amount_unit", String(16), nullable=False),
    Column("capsule_mg", Float),
    Column("tea_grams", Float),
    Column("product_id", Integer, ForeignKey("product.id", ondelete="SET NULL")),
    Column("batch_id", Integer, ForeignKey("batch.id", ondelete="SET NULL")),
    Column("mitragynine_mg", Float),
    Column("note", Text),
    CheckConstraint("amount_value > 0", name="amount_positive"),
    Index(None, "person_id", "night"),
)

substance = Table(
    "substance", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    *_when(),
    Column("kind", String(16), nullable=False),
    Column("name", String(200)),
    Column("amount", Float),
    Column("unit", String(32)),
    Column("note", Text),
    Index(None, "person_id", "night"),
)

sleep_entry = Table(
    "sleep_entry", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    Column("night", Date, nullable=False),
    Column("tz", String(64), nullable=False),
    Column("into_bed", UTCDateTime),
    Column("tried_to_sleep", UTCDateTime),
    Column("sol_minutes", Float),
    Column("awakenings", Integer),
    Column("waso_minutes", Float),
    Column("final_awakening", UTCDateTime),
    Column("out_of_bed", UTCDateTime),
    Column("woke_early_minutes", Float),
    Column("quality", Integer),
    Column("rested", Integer),
    Column("nap_count", Integer),
    Column("nap_minutes", Float),
    Column("note", Text),
    UniqueConstraint("person_id", "night"),
    CheckConstraint("quality IS NULL OR (quality BETWEEN 1 AND 5)", name="quality"),
    CheckConstraint("rested IS NULL OR (rested BETWEEN 1 AND 5)", name="rested"),
)

sleep_episode = Table(
    "sleep_episode", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    Column("source", String(32), nullable=False),
    Column("external_id", String(200), nullable=False),
    Column("start", UTCDateTime, nullable=False),
    Column("end", UTCDateTime, nullable=False),
    Column("tz", String(64), nullable=False),
    Column("night", Date, nullable=False),
    Column("device", String(200)),
    Column("tst_minutes", Float),
    Column("sol_minutes", Float),
    Column("waso_minutes", Float),
    Column("awakenings", Integer),
    Column("is_nap", Boolean, nullable=False),
    # the file's own per-stage minutes where it states them (Oura); null otherwise (0005)
    Column("deep_minutes", Float),
    Column("light_minutes", Float),
    Column("rem_minutes", Float),
    Column("awake_minutes", Float),
    UniqueConstraint("person_id", "source", "external_id"),
    Index(None, "person_id", "night"),
)

sleep_stage = Table(
    "sleep_stage", metadata,
    Column("id", Integer, primary_key=True),
    Column("episode_id", Integer, ForeignKey("sleep_episode.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("start", UTCDateTime, nullable=False),
    Column("end", UTCDateTime, nullable=False),
    Column("stage", String(16), nullable=False),
)

pain = Table(
    "pain", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    *_when(),
    Column("context", String(16), nullable=False),
    Column("nrs", Integer, nullable=False),
    Column("peg_pain", Integer),
    Column("peg_enjoyment", Integer),
    Column("peg_activity", Integer),
    Column("note", Text),
    CheckConstraint("nrs BETWEEN 0 AND 10", name="nrs"),
    Index(None, "person_id", "night"),
)

symptom = Table(
    "symptom", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    *_when(),
    Column("kind", String(16), nullable=False),
    Column("name", String(200), nullable=False),
    Column("severity", Integer, nullable=False),
    Column("note", Text),
    CheckConstraint("severity BETWEEN 0 AND 4", name="severity"),
    Index(None, "person_id", "night"),
)

routine_item = Table(
    "routine_item", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    Column("position", Integer, nullable=False),
    Column("text", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("minutes_before_bed", Integer),
)

routine_check = Table(
    "routine_check", metadata,
    _person(),
    Column("item_id", Integer, ForeignKey("routine_item.id", ondelete="CASCADE"),
           primary_key=True),
    Column("night", Date, primary_key=True),
    Column("done", Boolean, nullable=False),
)

note = Table(
    "note", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    *_when(),
    Column("text", Text, nullable=False),
)


# --- self-experiments (issue 12) -------------------------------------------------------------
#: The plan, fixed before the first night (CENT 2015 / SPENT 2019): arms, outcome, MID, analysis
#: and seed. Only ``status``/``stopped_*`` change after the start.
experiment = Table(
    "experiment", metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    Column("name", String(200), nullable=False),
    Column("compare", String(16), nullable=False),
    Column("arm_a", String(200), nullable=False),
    Column("arm_b", String(200), nullable=False),
    Column("period", Integer, nullable=False),
    Column("pairs", Integer, nullable=False),
    Column("washout", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("mid", Float, nullable=False),
    Column("analysis", Text, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("tz", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("stopped_reason", Text),
    Column("stopped_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    # where the sleep outcomes come from: "diary" or one wearable source (revision 0006)
    Column("source", String(64), nullable=False, server_default="diary"),
    # the usual morning pain a "30 %" pain MID was computed from (None: MID given in points)
    Column("mid_usual", Float),
    CheckConstraint("compare IN ('timing', 'amount', 'product', 'none')", name="compare"),
    CheckConstraint("status IN ('planned', 'running', 'stopped', 'finished')", name="status"),
    CheckConstraint("period >= 1 AND pairs >= 1 AND washout >= 0 AND washout < period",
                    name="design"),
    Index(None, "person_id", "start"),
)

#: The schedule derived from the seed, stored so it cannot drift if the draw ever changes.
experiment_night = Table(
    "experiment_night", metadata,
    _person(),
    Column("experiment_id", Integer, ForeignKey("experiment.id", ondelete="CASCADE"),
           primary_key=True),
    Column("night", Date, primary_key=True),
    Column("arm", String(1), nullable=False),
    Column("washout", Boolean, nullable=False),
    CheckConstraint("arm IN ('A', 'B')", name="arm"),
)

#: states of a web import job (``web.import_jobs``)
IMPORT_STATES = ("queued", "running", "done", "failed")

import_job = Table(
    "import_job", metadata,
    Column("id", String(32), primary_key=True),  # the job id the page polls
    _person(),
    Column("filename", String(255), nullable=False),  # the upload's own name, for messages
    Column("format", String(32)),
    Column("state", String(16), nullable=False),
    Column("bytes_read", BigInteger, nullable=False),
    Column("total_bytes", BigInteger),
    Column("nights_found", Integer, nullable=False),
    Column("error", Text),
    Column("status_code", Integer, nullable=False),
    Column("result", Text),  # the import's result as JSON, once done
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state"),
)

#: Tables a person owns that are bookkeeping, not part of the journal: not in the JSON backup,
#: not counted by the emptiness check (an import's status is kept so a restart does not lose it).
BOOKKEEPING_TABLES: tuple[Table, ...] = (import_job,)

#: One person's journal, table by table, parents before children (foreign keys point backwards),
#: each named by its part of ``nightleaf.model.entities.Journal`` (and of the JSON backup).
#: The store's emptiness check and wipe, its map of entity classes to tables and the backup's
#: lists all derive from this tuple. ``sleep_stage`` rows belong to their episode and travel
#: inside it; ``person`` is the owner, not a part.
JOURNAL_TABLES: tuple[tuple[str, Table], ...] = (
    ("profile", profile),
    ("medicines", medicine),
    ("conditions", condition),
    ("products", product),
    ("batches", batch),
    ("intakes", intake),
    ("substances", substance),
    ("sleep", sleep_entry),
    ("episodes", sleep_episode),
    ("pain", pain),
    ("symptoms", symptom),
    ("routine", routine_item),
    ("routine_checks", routine_check),
    ("notes", note),
    ("experiments", experiment),
    ("experiment_nights", experiment_night),
)


# -- server mode (issue 15): accounts, sessions, shares, follows, audit ---------------------------
# These tables exist on every journal (one schema, one migration chain) but only server mode
# writes them. They are not parts of a person's journal: the JSON backup and the store's wipe
# leave them alone (``SERVER_TABLES``, not ``JOURNAL_TABLES``).
#
# Citus readiness: the tables a person owns (``share``, ``follow``, ``audit``) carry
# ``person_id`` as the first column of their primary key, so they can be distributed by person
# (or, with an organisation column later, by organisation) without a key change. ``account`` and
# ``session`` are looked up by email / session hash before anyone is known, so they stay
# keyed by their own id and would become Citus *reference* tables. The journal tables of 0001
# keep their single ``id`` key; docs/server.md says what moving them takes.

ROLES = ("person", "clinician", "admin")
SHARE_SCOPES = ("report", "journal")

account = Table(
    "account", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("person_id", Integer, ForeignKey("person.id", ondelete="SET NULL")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("password_changed_at", UTCDateTime, nullable=False),
    CheckConstraint("role IN ('person', 'clinician', 'admin')", name="role"),
)

session = Table(
    "session", metadata,
    # SHA-256 of the cookie's value: a database read does not hand out live sessions
    Column("id_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),  # the absolute timeout
    Column("revoked_at", UTCDateTime),
    Column("ip", String(64)),
    Column("user_agent", String(300)),
    Index(None, "account_id"),
)

share = Table(
    "share", metadata,
    Column("person_id", Integer, ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(32), primary_key=True),  # a public handle for listing and revoking
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("scope", String(16), nullable=False),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("label", String(200)),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("max_uses", Integer),
    Column("uses", Integer, nullable=False),
    Column("revoked_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("scope IN ('report', 'journal')", name="scope"),
    CheckConstraint("max_uses IS NULL OR max_uses > 0", name="max_uses"),
)

follow = Table(
    "follow", metadata,
    Column("person_id", Integer, ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("clinician_id", Integer, ForeignKey("account.id", ondelete="CASCADE"),
           primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

audit = Table(
    "audit", metadata,
    # 0 = no person (a failed sign-in for an unknown email). No foreign key: the trail outlives
    # the journal it describes. Each person's rows form their own hash chain (seq 1, 2, ...).
    Column("person_id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", Integer),  # the account, None for a share link or nobody
    Column("action", String(32), nullable=False),
    Column("object", String(200), nullable=False),
    Column("count", Integer, nullable=False),
    Column("via", String(16), nullable=False),  # session | share | cli | anonymous
    Column("share_id", String(32)),
    Column("ip", String(64)),
    Column("outcome", String(16), nullable=False),  # ok | denied | failed
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

#: the server-mode tables, in creation order (not part of a person's journal or backup)
SERVER_TABLES: tuple[Table, ...] = (account, session, share, follow, audit)
