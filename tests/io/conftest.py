"""Shared fixtures for the importer tests.

Real samples are read in place from ``/work/shared/fixtures/real`` (several are unlicensed
personal data and must not be copied into the repository); tests that need them skip with a
clear message when that directory is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REAL = Path("/work/shared/fixtures/real")
BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


@pytest.fixture
def real() -> Path:
    if not REAL.is_dir():
        pytest.skip(f"real samples not available: {REAL} is absent (read in place, never copied)")
    return REAL
