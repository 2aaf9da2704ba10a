"""Local safety for a server on 127.0.0.1: Host check (DNS rebinding), CSRF, strict headers.

- **Host**: a page served to ``evil.example`` that re-points its DNS at 127.0.0.1 still sends
  ``Host: evil.example``; only the server's own names (with its own port) are answered.
- **CSRF**: double-submit token. A random token lives in a ``SameSite=Strict`` cookie and must
  come back in the form field ``csrf`` (or the ``X-CSRF-Token`` header, or ``?csrf=`` for
  streamed uploads). JSON API calls need no token: a cross-site page cannot send
  ``Content-Type: application/json`` without a CORS preflight, which this server never grants.
- **Headers**: a Content-Security-Policy with no inline script or style and nothing off-site.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nightleaf.errors import NightleafError

LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
CSRF_COOKIE = "nl_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: content types a cross-site page can send without a CORS preflight
SIMPLE_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")
#: the one other policy a response may carry: the in-app report view (``/report/view``), a
#: self-contained document with its own inline style and data: images, no script at all
#: (``sandbox``), which only this app's report page may frame
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
              "frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


class CsrfError(NightleafError):
    status_code = 403


def _split_host(value: str) -> tuple[str, int | None]:
    try:
        parts = urlsplit(f"//{value}")
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", None


class LocalGuard:
    """ASGI middleware: answer only requests addressed to this server, and add the headers."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = LOCAL_NAMES) -> None:
        self.app = app
        #: names, and ``name:port`` pairs: a reverse proxy listening on another port than the
        #: app's (``--allowed-host localhost:18443``) passes its own port in the Host header
        self.allowed: set[str] = set()
        self.proxied: set[tuple[str, int]] = set()
        for h in allowed_hosts:
            bare = h.count(":") != 1 and not h.startswith("[")  # a name, or an IPv6 address
            name, port = (h.lower(), None) if bare else _split_host(h.lower())
            if port is None:
                self.allowed.add(name.strip("[]"))
            else:
                self.proxied.add((name, port))

    def host_ok(self, scope: Scope) -> bool:
        host = Headers(scope=scope).get("host", "")
        name, port = _split_host(host)
        if port is not None and (name, port) in self.proxied:
            return True
        if name not in self.allowed:
            return False
        server = scope.get("server")
        return not (port is not None and server and server[1] is not None and port != server[1])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.host_ok(scope):
            resp = PlainTextResponse(
                "This nightleaf server only answers requests addressed to it by its own local "
                "address (e.g. http://127.0.0.1:8765).", status_code=421)
            await resp(scope, receive, self._with_headers(send))
            return
        origin = Headers(scope=scope).get("origin")
        if origin and origin != "null" and scope["method"] in UNSAFE:
            o = urlsplit(origin)
            if (o.hostname or "").lower() not in self.allowed | {n for n, _ in self.proxied}:
                resp = PlainTextResponse("Cross-site request refused.", status_code=403)
                await resp(scope, receive, self._with_headers(send))
                return
        await self.app(scope, receive, self._with_headers(send))

    @staticmethod
    def _with_headers(send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = message.get("headers", [])
                headers = [(k, v) for k, v in given
                           if k.lower() not in {h for h, _ in SECURITY_HEADERS}]
                ours = SECURITY_HEADERS
                if (b"content-security-policy", REPORT_CSP.encode()) in given:
                    ours = [(b"content-security-policy", REPORT_CSP.encode()),
                            (b"x-frame-options", b"SAMEORIGIN"),
                            *[(k, v) for k, v in SECURITY_HEADERS
                              if k not in (b"content-security-policy", b"x-frame-options")]]
                message["headers"] = headers + ours
            await send(message)
        return wrapped


# -- CSRF -----------------------------------------------------------------------------------------
def csrf_token(request: Request) -> str:
    """The token for forms on this page (the cookie's, or a new one the response will set)."""
    tok = request.cookies.get(CSRF_COOKIE)
    if not tok or len(tok) < 32:
        tok = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(32)
        request.state.new_csrf = tok
    return tok


def set_csrf_cookie(request: Request, response: Any) -> None:
    tok = getattr(request.state, "new_csrf", None)
    if tok:
        response.set_cookie(CSRF_COOKIE, tok, httponly=True, samesite="strict", path="/")


def _matches(sent: str | None, cookie: str | None) -> bool:
    return bool(sent and cookie and hmac.compare_digest(sent.encode(), cookie.encode()))


async def require_csrf(request: Request) -> None:
    """Dependency for every page router: unsafe methods must carry the token."""
    if request.method not in UNSAFE:
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER) or request.query_params.get(CSRF_FIELD)
    if sent is None and (request.headers.get("content-type") or "").startswith(SIMPLE_TYPES[:2]):
        form = await request.form()  # cached on the request; the route reads the same form
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not _matches(sent, cookie):
        raise CsrfError("This form has expired or did not come from nightleaf. Reload the page "
                        "and try again; nothing was saved.")


async def require_upload_csrf(request: Request) -> None:
    """Dependency for streamed uploads: the token must come in the ``X-CSRF-Token`` header or the
    ``?csrf=`` query, checked *before* a byte of the body is read (the body is never parsed as a
    form here, so nothing is written to disk for a request that fails the check)."""
    if request.method not in UNSAFE:
        return
    sent = request.headers.get(CSRF_HEADER) or request.query_params.get(CSRF_FIELD)
    if not _matches(sent, request.cookies.get(CSRF_COOKIE)):
        raise CsrfError("This upload has expired or did not come from nightleaf. Reload the page "
                        "and try again; nothing was saved.")


async def require_api_csrf(request: Request) -> None:
    """Dependency for /api: a JSON body, or the token in ``X-CSRF-Token``."""
    if request.method not in UNSAFE:
        return
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if (ctype in SIMPLE_TYPES or not ctype) and not _matches(request.headers.get(CSRF_HEADER),
                                              request.cookies.get(CSRF_COOKIE)):
        raise CsrfError("send JSON (Content-Type: application/json), or the X-CSRF-Token header "
                        "with the nl_csrf cookie's value")
