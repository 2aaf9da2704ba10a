"""Clinician shares and follows (server mode).

A share link is a 256-bit ``secrets`` token, shown once; only its SHA-256 is stored. It has a
scope (``report`` for a period, or ``journal``: read-only nights), an expiry (14 days unless
said otherwise), optional ``max_uses`` and a label. Revoking it takes effect on the next request:
every use reads the share row on the primary. A clinician *account* can be invited to follow a
person read-only; the person can end that at any time.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from nightleaf.errors import InputError, NotFound
from nightleaf.services.accounts import NotSignedIn, normalize_email, token_hash
from nightleaf.store import Store
from nightleaf.store.server import ShareRow, server_tx, share_tx
from nightleaf.store.tables import SHARE_SCOPES

DEFAULT_DAYS = 14
MAX_DAYS = 90


@dataclass(frozen=True)
class NewShare:
    share: ShareRow
    token: str  # shown once; never stored


def create_share(store: Store, person_id: int, *, scope: str, now: datetime,
                 period_start: date | None = None, period_end: date | None = None,
                 days: int = DEFAULT_DAYS, max_uses: int | None = None,
                 label: str | None = None) -> NewShare:
    if scope not in SHARE_SCOPES:
        raise InputError(f"scope must be one of {', '.join(SHARE_SCOPES)}", field="scope")
    if not 1 <= days <= MAX_DAYS:
        raise InputError(f"a link may last 1 to {MAX_DAYS} days", field="days")
    if max_uses is not None and max_uses < 1:
        raise InputError("max_uses must be at least 1", field="max_uses")
    if period_start and period_end and period_end < period_start:
        raise InputError("the period ends before it starts", field="period_end")
    token = secrets.token_urlsafe(32)
    row = ShareRow(person_id=person_id, id=secrets.token_hex(8), token_hash=token_hash(token),
                   scope=scope, period_start=period_start, period_end=period_end,
                   label=(label or "").strip()[:200] or None, expires_at=now + timedelta(days=days),
                   max_uses=max_uses, uses=0, revoked_at=None, created_at=now)
    with server_tx(store, person_id) as srv:
        srv.add_share(row)
    return NewShare(row, token)


def list_shares(store: Store, person_id: int) -> list[ShareRow]:
    with server_tx(store, person_id) as srv:
        return srv.shares()


def revoke_share(store: Store, person_id: int, share_id: str, *, now: datetime) -> None:
    with server_tx(store, person_id) as srv:
        if not srv.revoke_share(share_id, now):
            raise NotFound(f"no open share link {share_id!r}")


def use_share(store: Store, token: str, *, scope: str, now: datetime) -> ShareRow:
    """The share a presented token names, counted as one use; refused (as "not valid", with no
    hint which of unknown, expired, used up, revoked or wrong scope) otherwise."""
    refused = NotSignedIn("this share link is not valid (it may have expired or been revoked)")
    if not token or len(token) > 100:
        raise refused
    digest = token_hash(token)
    with share_tx(store, digest) as srv:
        row = srv.share_by_hash(digest)
    if (row is None or row.revoked_at is not None or now >= row.expires_at
            or row.scope != scope or (row.max_uses is not None and row.uses >= row.max_uses)):
        raise refused
    with server_tx(store, row.person_id) as srv:
        srv.use_share(row.person_id, row.id)
    return row


# -- follows -------------------------------------------------------------------------------------
def invite_clinician(store: Store, person_id: int, email: str, *, now: datetime) -> int:
    """Let the clinician account ``email`` follow this person read-only. Returns its id."""
    email = normalize_email(email)
    with server_tx(store, person_id) as srv:
        acc = srv.account_by_email(email)
        if acc is None or acc.role != "clinician":
            raise NotFound(f"no clinician account {email}", field="email")
        srv.follow(acc.id, now)
        return acc.id


def end_follow(store: Store, person_id: int, clinician_id: int, *, now: datetime) -> None:
    with server_tx(store, person_id) as srv:
        if not srv.end_follow(clinician_id, now):
            raise NotFound("that clinician does not follow you")


def followers(store: Store, person_id: int) -> list[tuple[int, str, datetime]]:
    with server_tx(store, person_id) as srv:
        return srv.follows()


def may_follow(store: Store, clinician_id: int, person_id: int) -> bool:
    with server_tx(store, person_id) as srv:
        return srv.is_followed_by(clinician_id)
