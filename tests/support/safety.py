"""Safety-rule test helpers: a profile in Berlin, tonight, intakes and a SafetyContext."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from nightleaf.model import Amount, Intake, Profile
from nightleaf.model.clock import night_time
from nightleaf.safety import SafetyContext

TZ = "Europe/Berlin"
TONIGHT = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)


def intake(night: date = TONIGHT, hhmm: str = "21:00", grams: float | None = 3.0, **kw) -> Intake:
    h, m = (int(x) for x in hhmm.split(":"))
    at = night_time(night, time(h, m), TZ)
    amount = Amount(grams, "g") if grams is not None else Amount(2, "capsule")
    return Intake(at=at, tz=TZ, amount=amount, night=night, **kw)


def nightly(n: int, grams: float = 3.0, end: date = TONIGHT, skip_tonight: bool = True):
    """One intake a night for the n nights before ``end`` (excluding ``end`` by default)."""
    start = 1 if skip_tonight else 0
    return [intake(end - timedelta(days=k), grams=grams) for k in range(start, n + start)]


def ctx(**kw) -> SafetyContext:
    kw.setdefault("profile", Profile(tz=TZ, region="DE"))
    kw.setdefault("now", NOW)
    kw.setdefault("night", TONIGHT)
    return SafetyContext(**kw)


def rules(findings) -> set[str]:
    return {f.rule for f in findings}
