"""Local safety: Host check, CSRF on every form, strict headers, no off-site resources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute

from nightleaf.web.app import create_app
from nightleaf.web.security import CSP
from tests.support.web import post, token

STATIC = Path(__file__).parents[2] / "src" / "nightleaf" / "web" / "static"
TEMPLATES = STATIC.parent / "templates"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.nip.io",
                                  "192.168.1.5"])
def test_requests_addressed_to_another_host_are_refused(client, host) -> None:
    r = client.get("/", headers={"host": host})
    assert r.status_code == 421
    assert client.get("/api/nights", headers={"host": host}).status_code == 421


def test_own_names_are_answered(client) -> None:
    for host in ("127.0.0.1", "localhost", "[::1]"):
        assert client.get("/healthz", headers={"host": host}).status_code == 200


def test_every_response_has_a_strict_csp(client) -> None:
    for path in ("/", "/tonight", "/api/nights", "/static/style.css", "/nope"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'self'" in csp
        assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in CSP


def test_pages_have_no_inline_script_style_or_offsite_resource() -> None:
    for tpl in TEMPLATES.glob("*.html"):
        text = tpl.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), tpl.name
        assert "<style" not in text and " style=" not in text, tpl.name
        assert not re.search(r'(src|href)="(https?:)?//', text), tpl.name
        assert " on" + "click=" not in text, tpl.name


def all_routes(routes):
    """Every APIRoute, also inside included routers (which newer FastAPI keeps nested)."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from all_routes(inner.routes)
        elif isinstance(r, APIRoute):
            yield r


def _page_post_routes():
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        app = create_app(f"sqlite:///{d}/routes.db")
        for r in all_routes(app.routes):
            if not r.path.startswith("/api") and "POST" in r.methods:
                yield r.path


@pytest.mark.parametrize("path", sorted(set(_page_post_routes())))
def test_every_form_post_needs_the_csrf_token(client, path) -> None:
    url = re.sub(r"\{[^}]+\}", "1", path).replace("/intake/1/", "/intake/1/")
    token(client)  # the cookie is set; the form field is missing
    r = client.post(url, data={"name": "x", "amount": "3g"}, follow_redirects=False)
    assert r.status_code == 403, (path, r.status_code)
    assert "nothing was saved" in r.text
    r = client.post(url, data={"csrf": "forged" * 8, "name": "x"}, follow_redirects=False)
    assert r.status_code == 403


def test_a_refused_form_saves_nothing(client) -> None:
    token(client)
    client.post("/health/medicines", data={"name": "tramadol"})
    assert client.get("/api/medicines").json()["medicines"] == []


def test_api_refuses_simple_cross_site_bodies_without_the_token(client) -> None:
    r = client.post("/api/medicines", data={"name": "tramadol"})
    assert r.status_code == 403
    r = client.post("/api/medicines", content='{"name": "tramadol"}',
                    headers={"content-type": "text/plain"})
    assert r.status_code == 403
    assert client.post("/api/medicines", json={"name": "tramadol"}).status_code == 201


def test_a_foreign_origin_cannot_write(client) -> None:
    r = client.post("/api/medicines", json={"name": "x"}, headers={"origin": "https://evil.example"})
    assert r.status_code == 403


def test_no_hosted_docs_page_that_loads_scripts_off_site(client) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 200


def test_csrf_cookie_is_strict_and_http_only(client) -> None:
    r = client.get("/settings")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_vendored_chart_library_is_served_locally_with_its_licence(client) -> None:
    assert client.get("/static/vendor/uplot/uPlot.iife.min.js").status_code == 200
    assert (STATIC / "vendor" / "uplot" / "LICENSE").exists()


def test_post_helper_passes(profiled) -> None:
    assert post(profiled, "/health/conditions", {"name": "epilepsy"}).status_code == 303


def test_a_proxy_port_is_answered_only_when_allowed(tmp_path) -> None:
    """``--allowed-host localhost:18443`` (a reverse proxy on its own port): that name with that
    port is answered; the same name on another port still is not."""
    from fastapi.testclient import TestClient

    from nightleaf.services import open_context

    ctx = open_context(f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app(context=ctx, allowed_hosts=("127.0.0.1", "localhost", "::1",
                                                 "localhost:18443"))
    with TestClient(app) as c:
        assert c.get("/healthz", headers={"host": "localhost:18443"}).status_code == 200
        assert c.get("/healthz", headers={"host": "localhost:18444"}).status_code == 421
        assert c.get("/healthz", headers={"host": "evil.example:18443"}).status_code == 421
    ctx.store.dispose()
