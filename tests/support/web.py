"""Web test helpers: a form's CSRF token, and a POST that carries it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by tests/web/conftest.py, under its warnings filter
    from fastapi.testclient import TestClient


def token(client: TestClient, page: str = "/settings") -> str:
    """The CSRF token of a page's forms (and the cookie is set on the client)."""
    r = client.get(page)
    m = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert m, f"no CSRF field on {page}: {r.status_code} {r.text[-800:]}"
    return m.group(1)


def post(client: TestClient, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    return client.post(url, data={"csrf": token(client), **(data or {})}, follow_redirects=False,
                       **kw)
