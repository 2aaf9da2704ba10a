"""Constants and small classes shared by the conftests and test modules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REAL = SHARED / "fixtures" / "real"

#: the pinned "now" of most tests: a Tuesday evening in late November
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)


def real_fixture(*parts: str) -> Path:
    """A real sample export, read in place; skip only where ../shared is absent."""
    path = REAL.joinpath(*parts)
    if not SHARED.exists():
        pytest.skip(f"../shared is absent, so the real sample {'/'.join(parts)} is not here")
    if not path.exists():
        raise FileNotFoundError(f"real fixture missing: {path}")
    return path


class Clock:
    """A settable clock for use cases."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Result:
    code: int
    out: str
    err: str
