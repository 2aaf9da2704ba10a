"""Legal status by ISO 3166-1 alpha-2 (``TH``) or ISO 3166-2 (``US-CA``) code.

An invalid code raises :class:`InputError`; a valid code that the knowledge base does not cover
gets status ``"unknown"`` (never a guess). Dated changes (``[[region.changes]]``) apply from
their date on, so the status shown depends on the day asked about.

Staleness: an entry is stale when its ``as_of`` (the newest source read for it, a month or a
day) ended more than ``STALE_AFTER_DAYS`` (about 12 months) before the day asked about. A month
counts from its last day, so an entry as of 2025-12 is stale from 2026-12-31 on. Year-only dates
are refused by the schema, so no entry escapes the check by counting as 31 December.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from nightleaf.knowledge.schema import LocalityEntry, RegionEntry, period_end, period_start
from nightleaf.model.finding import Source
from nightleaf.model.region import normalise_region
from nightleaf.model.region import region_short_name as region_name


class RegionFacts(Protocol):
    """What :func:`legal_status` reads from the knowledge base (``Knowledge`` satisfies it).

    A protocol rather than an import of ``kb.Knowledge``: ``kb`` imports this module, so this
    module must not import ``kb`` (no cycle, not even for typing)."""

    @property
    def regions(self) -> dict[str, RegionEntry]: ...
    @property
    def localities(self) -> dict[str, tuple[LocalityEntry, ...]]: ...
    def cite(self, keys: list[str]) -> tuple[Source, ...]: ...  # noqa: E704


#: "more than 12 months": the legal rule's own figure (patterns.toml) is used where it is at hand
STALE_AFTER_DAYS = 365


def is_stale(as_of: str | None, today: date, max_age_days: int = STALE_AFTER_DAYS) -> bool:
    """True when ``as_of`` (a month or a day) ended more than ``max_age_days`` before ``today``.

    >>> is_stale("2025-10", date(2026, 12, 2)), is_stale("2026-01", date(2026, 12, 2))
    (True, False)
    """
    if as_of is None:
        return False
    return period_end(as_of) < today - timedelta(days=max_age_days)


@dataclass(frozen=True)
class LegalStatus:
    code: str
    name: str
    covered: bool
    status: str
    age_limit: int | None = None
    seven_oh: str | None = None
    effective: str = "unknown"
    notes: str | None = None
    sources: tuple[Source, ...] = ()
    as_of: str | None = None
    localities: tuple[LocalityEntry, ...] = ()
    parent: LegalStatus | None = None
    next_change: str | None = None  # e.g. "from 2026-04-01: regulated-with-age-limit (21+)"
    unverified: str | None = None
    checked: str | None = None
    #: the day this status was computed for (the caller's today): staleness is judged against it
    on: date | None = None

    def is_stale(self, today: date | None = None, max_age_days: int = STALE_AFTER_DAYS) -> bool:
        """True when the newest source is more than ``max_age_days`` before ``today`` (default:
        the day the status was computed for)."""
        day = today or self.on
        return day is not None and is_stale(self.as_of, day, max_age_days)

    def as_dict(self, max_age_days: int = STALE_AFTER_DAYS) -> dict[str, object]:
        day = self.on
        return {
            "code": self.code, "name": self.name, "covered": self.covered, "status": self.status,
            "age_limit": self.age_limit, "seven_oh": self.seven_oh, "effective": self.effective,
            "notes": self.notes, "unverified": self.unverified, "as_of": self.as_of,
            "checked": self.checked, "stale": self.is_stale(None, max_age_days),
            "next_change": self.next_change,
            "sources": [{"title": s.title, "url": s.url} for s in self.sources],
            "localities": [
                {"name": loc.name, "status": loc.status, "notes": loc.notes, "as_of": loc.as_of,
                 "stale": day is not None and is_stale(loc.as_of, day, max_age_days)}
                for loc in self.localities
            ],
            "parent": self.parent.as_dict(max_age_days) if self.parent else None,
        }


def normalise_code(code: str) -> str:
    """Validate an ISO 3166 code (one validator for the whole project: model.region)."""
    return normalise_region(code)


def legal_status(kb: RegionFacts, code: str, on: date) -> LegalStatus:
    """The legal status for ``code`` on day ``on`` (see module docstring)."""
    norm = normalise_code(code)
    parent = None
    if "-" in norm:
        parent = legal_status(kb, norm.split("-")[0], on)
    entry = kb.regions.get(norm)
    if entry is None:
        return LegalStatus(
            code=norm, name=region_name(norm), covered=False, status="unknown",
            notes="nightleaf has no sourced entry for this region: the legal status is unknown "
            "here. Check the current law with a local authority.",
            localities=kb.localities.get(norm, ()), parent=parent, on=on,
        )
    status, age, seven_oh = entry.status, entry.age_limit, entry.seven_oh
    effective = entry.effective
    next_change = None
    for change in sorted(entry.changes, key=lambda c: period_start(c.on)):
        if period_start(change.on) <= on:
            status, effective = change.status, change.on
            age = change.age_limit if change.age_limit is not None else age
            seven_oh = change.seven_oh or seven_oh
        elif next_change is None:
            age_txt = f" ({change.age_limit}+)" if change.age_limit else ""
            next_change = f"from {change.on}: {change.status}{age_txt}"
    return LegalStatus(
        code=norm, name=region_name(norm), covered=True, status=status, age_limit=age,
        seven_oh=seven_oh, effective=effective, notes=entry.notes,
        sources=kb.cite(entry.sources), as_of=entry.as_of,
        localities=kb.localities.get(norm, ()), parent=parent, next_change=next_change,
        unverified=entry.unverified, checked=entry.checked, on=on,
    )


def all_statuses(kb: RegionFacts, on: date) -> list[LegalStatus]:
    """Every jurisdiction the knowledge base covers, as of day ``on``: countries first (by
    code), each followed by its subdivisions."""
    codes = sorted(kb.regions, key=lambda c: (c.split("-")[0], "-" in c, c))
    return [legal_status(kb, c, on) for c in codes]
