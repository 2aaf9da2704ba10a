"""An authorization matrix over representative routes: who may do what to Ana's journal.

Roles: the owner, a clinician she lets follow her, another person, another clinician, an admin,
nobody, and a share link (valid, expired, revoked). Not every route of the app is listed yet."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.common import Clock
from tests.support.server_mode import add, server_client, sign_in

pytestmark = pytest.mark.pg
JSON = {"Content-Type": "application/json"}
ROLES = ["owner", "follower", "other_person", "other_clinician", "admin", "anonymous"]

# (method, route, expected status per role); {med} is Ana's medicine, {pid} her person id
MATRIX = [
    ("GET", "/api/people/{pid}/nights", [404, 200, 404, 404, 404, 401]),
    ("DELETE", "/api/medicines/{med}", [200, 404, 404, 404, 404, 401]),
    ("GET", "/api/shares", [200, 404, 200, 404, 404, 401]),
    ("GET", "/api/audit", [200, 404, 200, 404, 404, 401]),  # person 0's log is nobody's
]


@pytest.fixture
def world(app_url):
    clock = Clock()
    with server_client(app_url, clock) as ana, server_client(app_url, clock) as dr, \
            server_client(app_url, clock) as ben, server_client(app_url, clock) as dr2, \
            server_client(app_url, clock) as adm, server_client(app_url, clock) as anon:
        a = add(ana, "ana@example.org")
        add(ana, "dr@example.org", role="clinician")
        add(ana, "ben@example.org")
        add(ana, "dr2@example.org", role="clinician")
        add(ana, "admin@example.org", role="admin")
        for client, email in ((ana, "ana"), (dr, "dr"), (ben, "ben"), (dr2, "dr2"),
                              (adm, "admin")):
            assert sign_in(client, f"{email}@example.org").status_code == 200
        ana.put("/api/profile", json={"tz": "Europe/Berlin", "region": "DE"})
        assert ana.post("/api/follows", json={"email": "dr@example.org"}).status_code == 201
        yield {"clock": clock, "pid": a.person_id, "clients": dict(zip(
            ROLES, (ana, dr, ben, dr2, adm, anon), strict=True))}


def test_route_by_role(world) -> None:
    got = {}
    for method, route, expected in MATRIX:
        for role, want in zip(ROLES, expected, strict=True):
            owner = world["clients"]["owner"]
            med = owner.post("/api/medicines", json={"name": "sertraline"}).json()["id"]
            url = route.format(pid=world["pid"], med=med)
            r = world["clients"][role].request(method, url, headers=JSON)
            got[(method, route, role)] = (r.status_code, want)
    wrong = {k: v for k, v in got.items() if v[0] != v[1]}
    assert wrong == {}


def test_share_links_by_state(world) -> None:
    ana, anon = world["clients"]["owner"], world["clients"]["anonymous"]
    valid = ana.post("/api/shares", json={"scope": "journal"}).json()
    revoked = ana.post("/api/shares", json={"scope": "journal"}).json()
    expiring = ana.post("/api/shares", json={"scope": "journal", "days": 1}).json()
    ana.request("DELETE", f"/api/shares/{revoked['id']}", headers=JSON)
    assert anon.get(valid["url"]).status_code == 200
    assert anon.get(revoked["url"]).status_code == 401
    # a link never opens anything but its own scope, nor any /api route
    assert anon.get(f"/s/{valid['token']}/report").status_code == 401
    assert anon.get("/api/medicines", headers={"Authorization": valid["token"]}).status_code == 401
    world["clock"].now += timedelta(days=1, seconds=1)
    assert anon.get(expiring["url"]).status_code == 401
    assert anon.get(valid["url"]).status_code == 200  # 14 days by default
