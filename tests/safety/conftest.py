"""Safety tests share one knowledge base (helpers are in tests/support/safety.py)."""

from __future__ import annotations

import pytest

from nightleaf.knowledge import load_knowledge


@pytest.fixture(scope="session")
def kb():
    return load_knowledge()
