"""Headless Debian Chromium driven by Playwright (never ``playwright install``: the browser comes
from the system package, see ``scripts/system-deps.sh``).

``chromium()`` opens one browser for a module's tests; ``tests/web/conftest.py`` turns it into the
``browser`` fixture, and tests that need more switches (the HTTPS test trusts one CA by its key)
pass them as ``extra_args``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pytest

#: the switches every test browser runs with (no sandbox as root, no network chatter)
ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run")


@contextmanager
def chromium(extra_args: Sequence[str] = (), env: Mapping[str, str] | None = None
             ) -> Iterator[Any]:
    """A launched headless Chromium; skips the test when Playwright or chromium is missing.
    ``env``: the browser's environment (e.g. a HOME whose NSS database trusts a test CA)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    exe = shutil.which("chromium")
    if exe is None:
        pytest.skip("Debian's chromium is not installed (make system-deps)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=[*ARGS, *extra_args],
                                    env=dict(env) if env is not None else None)
        try:
            yield browser
        finally:
            browser.close()
