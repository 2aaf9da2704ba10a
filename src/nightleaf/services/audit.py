"""Server mode's audit trail: who read or wrote whose data, how, from where, with what outcome.

Rows are appended, never changed (the app role has no UPDATE or DELETE on ``audit``); each
person's rows form a SHA-256 hash chain, so an edit or a removal made behind the app's back shows
in :func:`verify_chain`. A read or write of a person's journal writes its row inside the same
transaction (:attr:`Context.on_commit`): if the row cannot be written, the request fails and
nothing it did is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from nightleaf.store import Store
from nightleaf.store.repo import Repo
from nightleaf.store.server import GENESIS, AuditRow, ServerRepo, audit_hash, server_tx

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Actor:
    """Who acts: an account through a session, a share link, or nobody."""

    account_id: int | None
    via: str  # session | share | anonymous | cli
    ip: str | None
    share_id: str | None = None


def action_of(method: str) -> str:
    return "read" if method.upper() in READ_METHODS else "write"


def writer(actor: Actor, *, method: str, obj: str, clock: Callable[[], datetime],
           outcome: str = "ok", count: int = 1) -> Callable[[Repo], None]:
    """The ``on_commit`` hook of a request's context: one audit row per transaction (in a
    server-mode web request, one per request: :class:`~nightleaf.services.context.RequestTx`).
    ``outcome="denied", count=0``: the row of a refused request."""
    def write(repo: Repo) -> None:
        ServerRepo(repo.conn, repo.person_id).append_audit(
            person_id=repo.person_id, at=clock(), actor_id=actor.account_id,
            action=action_of(method), obj=obj, count=count, via=actor.via,
            share_id=actor.share_id, ip=actor.ip, outcome=outcome)
    return write


def record(store: Store, person_id: int, actor: Actor, *, action: str, obj: str, outcome: str,
           at: datetime, count: int = 0) -> AuditRow:
    """A row of its own transaction (failed sign-ins, refused requests)."""
    with server_tx(store, person_id) as srv:
        return srv.append_audit(person_id=person_id, at=at, actor_id=actor.account_id,
                                action=action, obj=obj, count=count, via=actor.via,
                                share_id=actor.share_id, ip=actor.ip, outcome=outcome)


def own_log(store: Store, person_id: int, *, limit: int = 200) -> list[AuditRow]:
    with server_tx(store, person_id) as srv:
        return srv.audit_rows(person_id, limit=limit)


def verify_chain(rows: list[AuditRow]) -> int | None:
    """The ``seq`` of the first row whose hash does not follow from its fields and its
    predecessor (or a gap in the sequence); None when the whole chain holds."""
    prev = GENESIS
    for i, row in enumerate(sorted(rows, key=lambda r: r.seq), start=1):
        fields = {"person_id": row.person_id, "seq": row.seq, "at": row.at.isoformat(),
                  "actor_id": row.actor_id, "action": row.action, "object": row.object,
                  "count": row.count, "via": row.via, "share_id": row.share_id, "ip": row.ip,
                  "outcome": row.outcome}
        if row.seq != i or row.prev_hash != prev or audit_hash(prev, fields) != row.hash:
            return row.seq
        prev = row.hash
    return None


def full_chain(store: Store, person_id: int) -> list[AuditRow]:
    with server_tx(store, person_id) as srv:
        return srv.audit_rows(person_id, limit=10**9)
