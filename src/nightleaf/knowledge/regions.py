"""Legal status by ISO 3166-1 alpha-2 (``TH``) or ISO 3166-2 (``US-CA``) code.

An invalid code raises :class:`InputError`; a valid code that the knowledge base does not cover
gets status ``"unknown"`` (never a guess). Dated changes (``[[region.changes]]``) apply from
their date on, so the status shown depends on the day asked about.
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

    def is_stale(self, today: date, max_age_days: int) -> bool:
        """True when the newest source is more than ``max_age_days`` before ``today``."""
        if self.as_of is None:
            return False
        return period_end(self.as_of) < today - timedelta(days=max_age_days)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code, "name": self.name, "covered": self.covered, "status": self.status,
            "age_limit": self.age_limit, "seven_oh": self.seven_oh, "effective": self.effective,
            "notes": self.notes, "as_of": self.as_of, "next_change": self.next_change,
            "sources": [{"title": s.title, "url": s.url} for s in self.sources],
            "localities": [
                {"name": loc.name, "status": loc.status, "notes": loc.notes, "as_of": loc.as_of}
                for loc in self.localities
            ],
            "parent": self.parent.as_dict() if self.parent else None,
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
            localities=kb.localities.get(norm, ()), parent=parent,
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
    )
