"""Importer tests read the real samples in place from ``../shared/fixtures/real`` (several are
unlicensed personal data and are never copied into the repository); they skip, saying so,
only when ``../shared`` is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.common import REAL, SHARED


@pytest.fixture
def real() -> Path:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent: the real samples are read in place, never copied")
    return REAL
