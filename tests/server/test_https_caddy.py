"""HTTPS end to end: ``serve --multi-user`` on loopback, a real Caddy in front of it running
docs/server.md's Caddyfile (with the documented ``tls internal`` substitutions: its own local CA,
a temporary data folder), and headless Debian Chromium at 390x844 that trusts that CA's root
through an NSS database (not a blanket ignore of certificate errors) signing in over HTTPS.

Checked: the session cookie is ``Secure; HttpOnly; SameSite=Lax``; HSTS and the app's headers
arrive through Caddy; the app sees the client's scheme and address from Caddy, and forwarded
headers from anyone else are ignored. A screenshot goes to ``artifacts/screenshots/https/``."""

from __future__ import annotations

import os
import re
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from nightleaf.store.rls import app_role_url
from tests.support.browser import chromium
from tests.support.multi_server import add_people, start_multi_user
from tests.support.pgserver import create_database
from tests.support.server import Server, free_port
from tests.support.server_mode import PASSWORD

pytestmark = [pytest.mark.pg, pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "server.md"
SHOTS = ROOT / "artifacts" / "screenshots" / "https"
EMAIL = "ana@example.org"


def documented_caddyfile(site: str, upstream: str, storage: Path, http_port: int) -> str:
    """docs/server.md's Caddyfile with the substitutions it documents for a machine without a
    public name; each must apply exactly once, so the docs and this test cannot drift apart."""
    found = re.search(r"```caddyfile\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert found, "docs/server.md lost its ```caddyfile block"
    text = found.group(1)
    for old, new in (("nightleaf.example.org {\n",
                      f"{site} {{\n\ttls internal\n\tbind 127.0.0.1\n"),
                     ("127.0.0.1:8765", upstream),
                     ("\tadmin off\n", f"\tadmin off\n\tstorage file_system {storage}\n"
                                       f"\tskip_install_trust\n\thttp_port {http_port}\n")):
        assert text.count(old) == 1, f"docs/server.md's Caddyfile has no single {old!r}"
        text = text.replace(old, new)
    return text


@dataclass
class Proxied:
    https: str  # Caddy's address
    direct: str  # the app's own (loopback) address
    root_ca: Path
    home: Path  # HOME with an NSS database trusting the root


def _trusting(root: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(root))


def _wait_for_tls(port: int, root: Path, caddy: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if caddy.poll() is not None:
            raise RuntimeError(f"caddy exited:\n{caddy.output()}")
        if root.exists():
            try:
                httpx.get(f"https://localhost:{port}/healthz", verify=_trusting(root),
                          timeout=2)
                return
            except httpx.HTTPError:
                pass
        time.sleep(0.1)
    raise RuntimeError(f"caddy did not serve HTTPS in 60 s:\n{caddy.output()}")


@pytest.fixture(scope="module")
def proxied(pg_admin_url: str, server_template: str,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    caddy_exe, certutil = shutil.which("caddy"), shutil.which("certutil")
    if caddy_exe is None or certutil is None:
        pytest.skip("caddy or certutil (libnss3-tools) is missing: run `make system-deps`")
    d = tmp_path_factory.mktemp("https")
    owner_url = create_database(pg_admin_url, server_template)
    add_people(owner_url, [EMAIL])
    app_port, tls_port = free_port(), free_port()
    app = start_multi_user(app_role_url(owner_url), app_port,
                           ["--host", "127.0.0.1", "--allowed-host", f"localhost:{tls_port}",
                            "--forwarded-allow-ips", "127.0.0.1"])
    caddyfile = d / "Caddyfile"
    caddyfile.write_text(documented_caddyfile(f"https://localhost:{tls_port}",
                                              f"127.0.0.1:{app_port}", d / "caddy-data",
                                              free_port()))
    env = {**os.environ, "HOME": str(d), "XDG_CONFIG_HOME": str(d / "config"),
           "XDG_DATA_HOME": str(d / "data")}
    caddy = Server([caddy_exe, "run", "--config", str(caddyfile), "--adapter", "caddyfile"], env)
    try:
        root = d / "caddy-data" / "pki" / "authorities" / "local" / "root.crt"
        _wait_for_tls(tls_port, root, caddy)
        home = d / "browser-home"
        nss = home / ".pki" / "nssdb"
        nss.mkdir(parents=True)
        for args in (["-N", "--empty-password"],
                     ["-A", "-n", "caddy-local-root", "-t", "C,,", "-i", str(root)]):
            subprocess.run([certutil, "-d", f"sql:{nss}", *args], check=True,
                           capture_output=True, timeout=30)
        yield Proxied(f"https://localhost:{tls_port}", f"http://127.0.0.1:{app_port}", root,
                      home)
    finally:
        caddy.stop()
        app.stop()
        print(f"--- caddy ---\n{caddy.output()[-3000:]}\n--- serve ---\n{app.output()[-3000:]}")


def _cookie_attrs(set_cookie: str) -> set[str]:
    return {p.strip().split("=")[0].lower() for p in set_cookie.split(";")[1:]} | {
        p.strip().lower() for p in set_cookie.split(";")[1:] if p.strip().lower().startswith(
            "samesite")}


def test_sign_in_over_https_sets_a_secure_cookie_and_the_headers(proxied: Proxied) -> None:
    with httpx.Client(base_url=proxied.https, verify=_trusting(proxied.root_ca)) as c:
        # a forged X-Forwarded-* from the client is replaced by Caddy's own
        r = c.post("/api/session", json={"email": EMAIL, "password": PASSWORD},
                   headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http"})
        assert r.status_code == 200, r.text
        cookie = next(v for k, v in r.headers.multi_items()
                      if k == "set-cookie" and v.startswith("nl_session="))
        assert {"secure", "httponly", "samesite=lax"} <= _cookie_attrs(cookie)
        page = c.get("/sign-in")
        assert page.status_code == 200
        assert page.headers["strict-transport-security"].startswith("max-age=31536000")
        assert page.headers["referrer-policy"] == "no-referrer"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in page.headers["content-security-policy"]
        sessions = c.get("/api/sessions").json()
    # the app recorded the client's address as Caddy saw it, not the forged one
    assert [s["ip"] for s in sessions if s["current"]] == ["127.0.0.1"]
    assert all(s["ip"] != "203.0.113.9" for s in sessions)


def test_forwarded_headers_count_only_from_the_proxy(proxied: Proxied) -> None:
    """Straight to the app from another loopback address: X-Forwarded-Proto/For are ignored, so
    the cookie is not marked Secure and the real address is recorded."""
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=proxied.direct, transport=transport) as c:
        r = c.post("/api/session", json={"email": EMAIL, "password": PASSWORD},
                   headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
        assert r.status_code == 200, r.text
        cookie = r.headers["set-cookie"]
        assert "secure" not in _cookie_attrs(cookie) and "httponly" in _cookie_attrs(cookie)
        sessions = c.get("/api/sessions").json()
    assert [s["ip"] for s in sessions if s["current"]] == ["127.0.0.2"]
    assert all(s["ip"] != "203.0.113.9" for s in sessions)


def test_chromium_at_390x844_signs_in_over_https_trusting_only_that_ca(
        proxied: Proxied) -> None:
    env = {**os.environ, "HOME": str(proxied.home)}
    with chromium(env=env) as browser:
        ctx = browser.new_context(viewport={"width": 390, "height": 844})
        page = ctx.new_page()
        page.goto(f"{proxied.https}/sign-in")
        assert page.url.startswith("https://")
        page.fill("#email", EMAIL)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "/sign-in" not in page.url, page.content()[:500]
        cookies = {c["name"]: c for c in ctx.cookies()}
        session = cookies["nl_session"]
        assert (session["secure"], session["httpOnly"], session["sameSite"]) == (True, True,
                                                                                 "Lax")
        assert page.evaluate("document.cookie").find("nl_session") == -1  # HttpOnly
        assert page.evaluate("location.protocol") == "https:"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "signed-in-390x844.png"), full_page=False)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        ctx.close()
    # the control: the same browser without that NSS database refuses the certificate
    with chromium(env={**os.environ, "HOME": str(proxied.home.parent / "empty-home")}) as other:
        page = other.new_page()
        with pytest.raises(Exception, match="ERR_CERT_AUTHORITY_INVALID"):
            page.goto(f"{proxied.https}/sign-in")
