"""The authorization matrix: every route of the multi-user app × every kind of caller.

Callers (columns, in :data:`ROLES` order): Ana who owns the journal; a clinician she lets
follow her; another person (Ben, with a journal of his own); another clinician; an admin;
nobody; and a share link of Ana's that is valid, expired or revoked (an anonymous browser
holding the link's token: in the ``/s/{token}`` path, and as a bearer header everywhere else).

Every object in a path is Ana's. The rules the table spells out:

- another person's object is 404, never 403; a collection route shows the caller's own journal;
- clinicians and admins have no journal: 403 with one line on every journal route;
- nobody: 401 on ``/api``, a redirect (303) to the sign-in page on pages;
- a share token opens its own scope (a read-only journal link: ``/s/{token}/nights``) and
  nothing else; expired or revoked, nothing at all.

:func:`test_every_route_is_in_the_matrix` fails when the app has a route the table does not
classify, so a new route cannot be added without saying who may use it. One database and one
app serve the whole matrix; writes that destroy (deletes, sign-outs) get fresh objects or a
fresh session of their own, so the order of the rows does not matter.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from nightleaf.services import accounts as acc
from nightleaf.web.security import CSRF_COOKIE
from tests.support.common import Clock
from tests.support.server_mode import PASSWORD, add, server_client, sign_in

pytestmark = pytest.mark.pg

ROLES = ("owner", "follower", "other_person", "other_clinician", "admin", "anonymous",
         "share", "expired_share", "revoked_share")
CSRF = "c" * 43
NIGHT = "2026-11-23"
#: routes that need no session (probes, static files, the sign-in itself); not in the matrix
UNLISTED = {("GET", "/openapi.json"), ("MOUNT", "/static")}


def all_routes(routes: Any) -> Iterator[Any]:
    """Every route, also inside included routers (which newer FastAPI keeps nested)."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from all_routes(inner.routes)
        else:
            yield r


def _row(owner: int, other: int, *, clinician: int = 403, admin: int | None = None,
         anon: int = 401) -> tuple[int, ...]:
    return (owner, clinician, other, clinician, clinician if admin is None else admin, anon,
            anon, anon, anon)


def api(owner: int, other: int | None = None) -> tuple[int, ...]:
    """A journal route under /api: ``other`` is Ben's answer (his own journal, or 404 for
    Ana's object)."""
    return _row(owner, owner if other is None else other)


def page(owner: int, other: int | None = None) -> tuple[int, ...]:
    """A journal page: nobody (and a share token) is sent to the sign-in page."""
    return _row(owner, owner if other is None else other, anon=303)


def account_api(status: int) -> tuple[int, ...]:
    """An account's own affair (sessions, password): any signed-in account, for itself."""
    return _row(status, status, clinician=status, anon=401)


def account_page(status: int) -> tuple[int, ...]:
    return _row(status, status, clinician=status, anon=303)


def sharing(owner: int, other: int) -> tuple[int, ...]:
    """Share links and follows: a person's own; clinicians and admins have none (403)."""
    return _row(owner, other)


PUBLIC = (200,) * 9
OPEN_TO_ALL_SIGNED = account_page(200)

# (method, path template, body, expected status per role in ROLES order)
# body: ("json", {...}) | ("form", {...}) | ("raw", bytes) | None
J = "json"
F = "form"
MATRIX: list[tuple[str, str, Any, tuple[int, ...]]] = [
    # -- probes and sign-in ----------------------------------------------------------------
    ("GET", "/healthz", None, PUBLIC),
    ("GET", "/readyz", None, PUBLIC),
    ("GET", "/sign-in", None, PUBLIC),
    # (each caller tries its own unknown email: the backoff per email and address stays out of it)
    ("POST", "/sign-in", (F, {"email": "nobody-{role}@example.org", "password": "wrong pass x"}),
     (401,) * 9),
    ("POST", "/api/session", (J, {"email": "nobody-{role}@example.org",
                                  "password": "wrong pass x"}), (401,) * 9),
    ("GET", "/api/session", None, account_api(200)),
    ("DELETE", "/api/session", None, account_api(204)),
    ("GET", "/api/sessions", None, account_api(200)),
    ("DELETE", "/api/sessions/{session_id}", None, _row(204, 404, clinician=404, anon=401)),
    ("POST", "/api/password", (J, {"current_password": PASSWORD,
                                   "new_password": "a new and longer phrase 7"}),
     account_api(200)),
    ("GET", "/sessions", None, account_page(200)),
    ("POST", "/sessions/{session_id}/end", None, _row(303, 404, clinician=404, anon=303)),
    ("POST", "/sign-out", None, account_page(303)),
    ("GET", "/audit", None, page(200)),
    ("GET", "/api/audit", None, api(200)),
    # -- sharing -----------------------------------------------------------------------------
    ("GET", "/api/shares", None, sharing(200, 200)),
    ("POST", "/api/shares", (J, {"scope": "journal"}), sharing(201, 201)),
    ("DELETE", "/api/shares/{share_id}", None, sharing(204, 404)),
    ("GET", "/api/follows", None, sharing(200, 200)),
    ("POST", "/api/follows", (J, {"email": "dr3@example.org"}), sharing(201, 201)),
    ("DELETE", "/api/follows/{clinician_id}", None, sharing(204, 404)),
    ("GET", "/api/people/{person_id}/nights", None, (404, 200, 404, 404, 404, 401, 401, 401, 401)),
    ("GET", "/s/{token}/nights", None, (401, 401, 401, 401, 401, 401, 200, 401, 401)),
    ("GET", "/s/{token}/report", None, (401,) * 9),  # the valid link is a journal link
    # -- the journal API ---------------------------------------------------------------------
    ("GET", "/api/profile", None, api(200)),
    ("PUT", "/api/profile", (J, {"tz": "Europe/Berlin", "region": "DE"}), api(200)),
    ("GET", "/api/tonight", None, api(200)),
    ("GET", "/api/dashboard", None, api(200)),
    ("GET", "/api/summary", None, api(200)),
    ("GET", "/api/export", None, api(200)),
    ("GET", "/api/nights", None, api(200)),
    ("GET", "/api/nights/{night}", None, api(200)),
    ("POST", "/api/sleep", (J, {"night": NIGHT, "into_bed": "23:00", "out_of_bed": "07:00"}),
     api(201)),
    ("POST", "/api/morning", (J, {"night": NIGHT, "quality": "3"}), api(201)),
    ("POST", "/api/substances", (J, {"kind": "caffeine", "amount": "80", "at": "19:00"}),
     api(201)),
    ("POST", "/api/pain", (J, {"nrs": "4", "at": "19:00"}), api(201)),
    ("DELETE", "/api/entries/{kind}/{entry_id}", None, api(200, 404)),
    ("POST", "/api/intakes/check", (J, {"amount": "3g", "at": "19:30"}), api(200)),
    ("POST", "/api/intakes", (J, {"amount": "3g", "at": "19:30"}), api(201)),
    ("PUT", "/api/intakes/{intake_id}", (J, {"amount": "2g", "at": "19:30"}), api(200, 404)),
    ("GET", "/api/medicines", None, api(200)),
    ("POST", "/api/medicines", (J, {"name": "zolpidem"}), api(201)),
    ("DELETE", "/api/medicines/{med_id}", None, api(200, 404)),
    ("GET", "/api/conditions", None, api(200)),
    ("POST", "/api/conditions", (J, {"name": "insomnia"}), api(201)),
    ("DELETE", "/api/conditions/{cond_id}", None, api(200, 404)),
    ("GET", "/api/products", None, api(200)),
    ("POST", "/api/products", (J, {"name": "Green Maeng Da", "form": "powder"}), api(201)),
    ("POST", "/api/batches", (J, {"product": "Red Bali", "lot": "B7"}), api(201, 404)),
    ("GET", "/api/routine", None, api(200)),
    ("POST", "/api/routine/items", (J, {"text": "dim the lights"}), api(201)),
    ("PUT", "/api/routine/{item_id}", (J, {"done": True}), api(200, 404)),
    ("DELETE", "/api/routine/items/{item_id}", None, api(200, 404)),
    ("GET", "/api/experiments", None, api(200)),
    ("POST", "/api/experiments", (J, {"name": "timing", "compare": "timing", "a": "60",
                                      "b": "120", "start": "2026-11-30", "seed": "1"}),
     api(201)),
    ("GET", "/api/experiments/{experiment_id}", None, api(200, 404)),
    ("GET", "/api/experiments/{experiment_id}/result", None, api(200, 404)),
    ("POST", "/api/experiments/{experiment_id}/stop", (J, {"reason": "travel"}), api(200, 404)),
    ("GET", "/api/safety", None, api(200)),
    ("GET", "/api/check", None, api(200)),
    ("GET", "/api/interactions?name=sertraline", None, api(200)),
    ("GET", "/api/legal", None, api(200)),
    ("POST", "/api/imports?format=oura&filename=oura.json&wait=true", ("raw", "oura"),
     api(200)),
    ("GET", "/api/imports/{job_id}", None, api(200, 404)),
    # -- pages -------------------------------------------------------------------------------
    ("GET", "/", None, page(200)),
    ("GET", "/welcome", None, page(200)),
    ("GET", "/manifest.webmanifest", None, OPEN_TO_ALL_SIGNED),  # the app's shell: no journal
    ("GET", "/sw.js", None, OPEN_TO_ALL_SIGNED),
    ("GET", "/tonight", None, page(200)),
    ("GET", "/tonight/check?amount=3g&at=19:30", None, page(200)),
    ("POST", "/tonight/intake", (F, {"amount": "3g", "at": "19:30"}), page(303)),
    ("POST", "/tonight/intake/check", (F, {"amount": "3g", "at": "19:30"}), page(200)),
    ("POST", "/tonight/substance", (F, {"kind": "alcohol", "amount": "1", "at": "19:40"}),
     page(303)),
    ("POST", "/tonight/pain", (F, {"nrs": "5", "at": "19:45"}), page(303)),
    ("POST", "/tonight/routine", (F, {"item": "{item_id}"}), page(303)),
    ("GET", "/morning", None, page(200)),
    ("POST", "/morning", (F, {"night": NIGHT, "quality": "3"}), page(303)),
    ("GET", "/journal", None, page(200)),
    ("GET", "/journal/night/{night}", None, page(200)),
    ("GET", "/journal/intake/{intake_id}", None, page(200, 404)),
    ("GET", "/journal/intake/{intake_id}/edit", None, page(200, 404)),
    ("POST", "/journal/intake/{intake_id}/edit", (F, {"amount": "2g", "at": "19:30"}),
     page(303, 404)),
    ("GET", "/journal/{kind}/{entry_id}/edit", None, page(200, 404)),
    ("POST", "/journal/{kind}/{entry_id}/edit", (F, {"kind": "caffeine", "amount": "90",
                                                     "at": "19:00"}), page(303, 404)),
    ("GET", "/journal/{kind}/{entry_id}/delete", None, page(200, 404)),
    ("POST", "/journal/{kind}/{entry_id}/delete", None, page(303, 404)),
    ("GET", "/dashboard", None, page(200)),
    ("GET", "/report", None, page(200)),
    ("GET", "/report/view", None, page(200)),
    ("GET", "/report.pdf", None, page(200)),
    ("GET", "/safety", None, page(200)),
    ("GET", "/health", None, page(200)),
    ("POST", "/health/medicines", (F, {"name": "tramadol"}), page(303)),
    ("GET", "/health/medicines/{med_id}/edit", None, page(200, 404)),
    ("POST", "/health/medicines/{med_id}/edit", (F, {"name": "sertraline", "dose_text": "50 mg"}),
     page(303, 404)),
    ("GET", "/health/medicines/{med_id}/remove", None, page(200, 404)),
    ("POST", "/health/medicines/{med_id}/remove", None, page(303, 404)),
    ("POST", "/health/conditions", (F, {"name": "back pain"}), page(303)),
    ("POST", "/health/conditions/{cond_id}/remove", None, page(303, 404)),
    ("GET", "/products", None, page(200)),
    ("POST", "/products", (F, {"name": "White Borneo", "form": "powder"}), page(303)),
    ("POST", "/products/batches", (F, {"product": "Red Bali", "lot": "C3"}), page(303, 404)),
    ("GET", "/products/{product_id}/edit", None, page(200, 404)),
    ("POST", "/products/{product_id}/edit", (F, {"name": "Red Bali", "form": "powder"}),
     page(303, 404)),
    ("GET", "/products/batches/{batch_id}/edit", None, page(200, 404)),
    ("POST", "/products/batches/{batch_id}/edit", (F, {"product": "Red Bali", "lot": "A1"}),
     page(303, 404)),
    ("GET", "/experiments", None, page(200)),
    ("POST", "/experiments", (F, {"name": "timing", "compare": "timing", "a": "60", "b": "120",
                                  "start": "2026-11-30", "seed": "1"}),
     page(303, 422)),  # Ben's own experiment (the API row's) runs: one at a time
    ("GET", "/experiments/{experiment_id}", None, page(200, 404)),
    ("POST", "/experiments/{experiment_id}/stop", (F, {"reason": "travel"}), page(303, 404)),
    ("GET", "/settings", None, page(200)),
    ("POST", "/settings/profile", (F, {"tz": "Europe/Berlin", "region": "DE", "bedtime": "23:00",
                                       "lead": "60", "wake": "07:00"}), page(303)),
    ("POST", "/settings/routine", (F, {"text": "no screens"}), page(303)),
    ("POST", "/settings/routine/{item_id}/remove", None, page(303, 404)),
    ("GET", "/settings/export.json", None, page(200)),
    ("GET", "/settings/export.csv.zip", None, page(200)),
    ("GET", "/settings/export.fhir.json", None, page(200)),
    ("GET", "/settings/reminders.ics", None, page(200)),
    # a journal export goes into an empty journal only (or replaces it): 409 here, past the gate
    ("POST", "/settings/import", ("multipart", "journal"), page(409)),
    ("GET", "/import", None, page(200)),
    ("GET", "/import?job={job_id}", None, page(200, 404)),
    ("POST", "/import", ("multipart", "oura"), page(303)),
]

#: the objects a destructive request uses up: the owner gets a fresh one for each such request
FRESH_FOR_OWNER = {"med_id", "cond_id", "item_id", "entry_id", "experiment_id", "share_id",
                   "clinician_id", "session_id"}
#: requests that end the caller's own session: made from a session of its own
ENDS_SESSION = {("DELETE", "/api/session"), ("POST", "/sign-out"), ("POST", "/api/password")}


def oura_export() -> bytes:
    night = {"day": "2026-11-22", "bedtime_start": "2026-11-21T23:10:00+01:00",
             "bedtime_end": "2026-11-22T06:50:00+01:00", "total_sleep_duration": 25200,
             "type": "long_sleep", "id": "oura-1"}
    return json.dumps({"data": [night]}).encode()


@dataclass
class World:
    app: Any
    clock: Clock
    store: Any
    clients: dict[str, TestClient]
    tokens: dict[str, str]
    ids: dict[str, Any] = field(default_factory=dict)
    journal_export: bytes = b""

    def client(self, role: str) -> TestClient:
        return self.clients["anonymous" if role.endswith("share") else role]

    def fresh_client(self, email: str) -> TestClient:
        c = TestClient(self.app, base_url="http://localhost", follow_redirects=False)
        c.cookies.set(CSRF_COOKIE, CSRF)
        if email:
            assert sign_in(c, email).status_code == 200
        return c


def _api_id(c: TestClient, method: str, url: str, body: dict[str, Any], key: str = "id") -> Any:
    r = c.request(method, url, json=body)
    assert r.status_code in (200, 201), (url, r.status_code, r.text)
    return r.json()[key]


def stop_current_experiment(w: World) -> None:
    """Before the owner starts an experiment: one runs at a time."""
    for e in w.clients["owner"].get("/api/experiments").json():
        if e.get("stopped_at") is None and e.get("status") not in ("stopped", "done"):
            w.clients["owner"].post(f"/api/experiments/{e['id']}/stop",
                                    json={"reason": "the next row starts one"})


def make_objects(w: World) -> Callable[[str], Any]:
    """Ana's objects, one of each kind, and a maker of fresh ones for destructive requests."""
    ana = w.clients["owner"]
    store = w.store

    def med() -> Any:
        return _api_id(ana, "POST", "/api/medicines", {"name": "sertraline", "dose_text": "50 mg"})

    def cond() -> Any:
        return _api_id(ana, "POST", "/api/conditions", {"name": "restless legs"})

    def item() -> Any:
        return _api_id(ana, "POST", "/api/routine/items", {"text": "read a book"})

    def entry() -> Any:
        return _api_id(ana, "POST", "/api/substances",
                       {"kind": "caffeine", "amount": "80", "at": "18:00"})

    def experiment() -> Any:
        """One experiment runs at a time: the current one stops, a new one is the current."""
        stop_current_experiment(w)
        w.ids["experiment_id"] = _api_id(ana, "POST", "/api/experiments",
                                         {"name": "timing", "compare": "timing", "a": "60",
                                          "b": "120", "start": "2026-11-30", "seed": "1"})
        return w.ids["experiment_id"]

    def share() -> Any:
        return _api_id(ana, "POST", "/api/shares", {"scope": "journal"})

    counter = iter(range(1, 10_000))

    def clinician() -> Any:
        email = f"dr-extra-{next(counter)}@example.org"
        acc.add_user(store, email, PASSWORD, role="clinician", now=w.clock())
        return _api_id(ana, "POST", "/api/follows", {"email": email}, key="clinician_id")

    def session() -> Any:
        extra = w.fresh_client("ana@example.org")
        mine = extra.get("/api/sessions").json()
        return next(s["id"] for s in mine if s["current"])

    makers = {"med_id": med, "cond_id": cond, "item_id": item, "entry_id": entry,
              "experiment_id": experiment, "share_id": share, "clinician_id": clinician,
              "session_id": session}
    for key, make in makers.items():
        if key not in ("clinician_id", "session_id"):
            w.ids[key] = make()
    w.ids["clinician_id"] = w.ids["follower_id"]
    w.ids["session_id"] = next(s["id"] for s in ana.get("/api/sessions").json() if s["current"])
    w.ids["intake_id"] = _api_id(ana, "POST", "/api/intakes", {"amount": "3g", "at": "19:00"},
                                 key="intake")["id"]
    ana.post("/api/products", json={"name": "Red Bali", "form": "powder"})
    batch = ana.post("/api/batches", json={"product": "Red Bali", "lot": "A1"})
    assert batch.status_code == 201, batch.text
    w.ids["batch_id"] = batch.json()["id"]
    w.ids["product_id"] = batch.json()["product_id"]
    r = ana.post("/api/imports?format=oura&filename=oura.json&wait=true", content=oura_export(),
                 headers={"X-CSRF-Token": CSRF})
    assert r.status_code == 200, r.text
    w.ids["job_id"] = r.json()["id"]
    w.ids["kind"] = "substance"
    w.ids["night"] = NIGHT
    w.ids["person_id"] = w.ids["ana_person"]
    w.journal_export = ana.get("/settings/export.json").content
    return lambda key: makers[key]()


@pytest.fixture(scope="module")
def world(module_app_url: str) -> Iterator[World]:
    clock = Clock()
    with server_client(module_app_url, clock) as ana:
        app = ana.app
        store = app.state.ctx.store  # type: ignore[attr-defined]
        ana.follow_redirects = False
        ana.cookies.set(CSRF_COOKIE, CSRF)
        a = add(ana, "ana@example.org")
        dr = add(ana, "dr@example.org", role="clinician")
        add(ana, "ben@example.org")
        add(ana, "dr2@example.org", role="clinician")
        add(ana, "admin@example.org", role="admin")
        add(ana, "dr3@example.org", role="clinician")  # whom the follows row invites
        assert sign_in(ana, "ana@example.org").status_code == 200
        # the expired link is made two days before the rest of the world
        clock.now -= timedelta(days=2)
        expired = ana.post("/api/shares", json={"scope": "journal", "days": 1}).json()
        clock.now += timedelta(days=2)
        assert sign_in(ana, "ana@example.org").status_code == 200
        ana.put("/api/profile", json={"tz": "Europe/Berlin", "region": "DE", "bedtime": "23:00",
                                      "wake": "07:00"})
        valid = ana.post("/api/shares", json={"scope": "journal"}).json()
        revoked = ana.post("/api/shares", json={"scope": "journal"}).json()
        assert ana.delete(f"/api/shares/{revoked['id']}").status_code == 204
        assert ana.post("/api/follows", json={"email": "dr@example.org"}).status_code == 201
        w = World(app=app, clock=clock, store=store, clients={"owner": ana}, tokens={
            "share": valid["token"], "expired_share": expired["token"],
            "revoked_share": revoked["token"]})
        for role, email in (("follower", "dr"), ("other_person", "ben"),
                            ("other_clinician", "dr2"), ("admin", "admin"), ("anonymous", "")):
            w.clients[role] = w.fresh_client(f"{email}@example.org" if email else "")
        ben = w.clients["other_person"]
        ben.put("/api/profile", json={"tz": "Europe/Lisbon", "region": "PT", "bedtime": "22:30",
                                      "wake": "06:30"})
        w.ids["ana_person"], w.ids["follower_id"] = a.person_id, dr.id
        fresh = make_objects(w)
        w.ids["fresh"] = fresh
        yield w


def _body(w: World, body: Any, role: str) -> dict[str, Any]:
    if body is None:
        return {}
    kind, data = body
    if kind == J:
        return {"json": {k: v.format(role=role) if isinstance(v, str) else v
                         for k, v in data.items()}}
    if kind == F:
        return {"data": {k: v.format(role=role, **w.ids) for k, v in data.items()}}
    if kind == "raw":
        return {"content": oura_export()}
    name, content, ctype = (("sleep.json", oura_export(), "application/json") if data == "oura"
                            else ("journal.json", w.journal_export, "application/json"))
    extra = {"format": "oura"} if data == "oura" else {"mode": "merge"}
    return {"files": {"file": (name, content, ctype)}, "data": extra}


def request(w: World, method: str, path: str, body: Any, role: str) -> Any:
    ids = dict(w.ids)
    if role == "owner":  # destructive requests of the owner's get objects of their own
        for key in FRESH_FOR_OWNER:
            if "{" + key + "}" in path and (method != "GET" or key == "session_id"):
                ids[key] = w.ids["fresh"](key)
    if role == "owner" and method == "POST" and path in ("/api/experiments", "/experiments"):
        stop_current_experiment(w)
    token = w.tokens.get(role, "no-such-token-" + "x" * 20)
    url = path.format(token=token, **ids)
    headers = {"X-CSRF-Token": CSRF}
    if role in w.tokens and not path.startswith("/s/"):
        headers["Authorization"] = f"Bearer {token}"
    client = w.client(role)
    if (method, path) in ENDS_SESSION and role not in ("anonymous",) and role not in w.tokens:
        email = {"owner": "ana", "follower": "dr", "other_person": "ben",
                 "other_clinician": "dr2", "admin": "admin"}[role]
        client = w.fresh_client(f"{email}@example.org")
    try:
        return client.request(method, url, headers=headers, **_body(w, body, role))
    finally:
        if (method, path) == ("POST", "/api/password") and role in (
                "owner", "follower", "other_person", "other_clinician", "admin"):
            email = {"owner": "ana", "follower": "dr", "other_person": "ben",
                     "other_clinician": "dr2", "admin": "admin"}[role]
            _reset_password(w, f"{email}@example.org")


def _reset_password(w: World, email: str) -> None:
    """Put the password back (a change ends the account's other sessions: sign those in again)."""
    acc.reset_password(w.store, email, PASSWORD, now=w.clock())
    role = {"ana@example.org": "owner", "dr@example.org": "follower",
            "ben@example.org": "other_person", "dr2@example.org": "other_clinician",
            "admin@example.org": "admin"}[email]
    assert sign_in(w.clients[role], email).status_code == 200


def test_every_route_is_in_the_matrix(world: World) -> None:
    """A route the matrix does not classify fails here: say who may use it."""
    listed = {(m, p.split("?")[0]) for m, p, _, _ in MATRIX}
    present = set()
    for r in all_routes(world.app.routes):
        for m in sorted((getattr(r, "methods", None) or {"MOUNT"}) - {"HEAD"}):
            present.add((m, r.path))
    assert present - listed - UNLISTED == set()
    assert listed - present == set()  # and no row names a route that is gone


def test_route_by_role(world: World) -> None:
    wrong = {}
    for method, path, body, expected in MATRIX:
        assert len(expected) == len(ROLES), path
        for role, want in zip(ROLES, expected, strict=True):
            r = request(world, method, path, body, role)
            if r.status_code != want:
                wrong[(method, path, role)] = (r.status_code, want, r.text[:120])
            elif want >= 400 and path.startswith(("/api/", "/s/")):
                # a refusal is one line: an "error" message, no traceback
                msg = r.json().get("error") if r.headers.get("content-type", "").startswith(
                    "application/json") else None
                if not msg or "\n" in msg or "Traceback" in msg:
                    wrong[(method, path, role)] = (r.status_code, "one line", r.text[:120])
            elif (want == 303 and role in ("anonymous", "share", "expired_share",
                                           "revoked_share")
                  and r.headers.get("location") != "/sign-in"):
                wrong[(method, path, role)] = (r.status_code, "to /sign-in",
                                               r.headers.get("location"))
    assert wrong == {}, "\n".join(f"{k}: {v}" for k, v in wrong.items())


def test_share_links_by_state(world: World) -> None:
    anon = world.clients["anonymous"]
    assert anon.get(f"/s/{world.tokens['share']}/nights").status_code == 200
    assert anon.get(f"/s/{world.tokens['revoked_share']}/nights").status_code == 401
    assert anon.get(f"/s/{world.tokens['expired_share']}/nights").status_code == 401
    # a link never opens anything but its own scope, nor any /api route
    assert anon.get(f"/s/{world.tokens['share']}/report").status_code == 401
    assert anon.get("/api/medicines",
                    headers={"Authorization": world.tokens["share"]}).status_code == 401

