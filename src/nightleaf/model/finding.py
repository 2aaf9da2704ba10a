"""A safety finding: what the risk is, why, and where that is written down."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("info", "caution", "warning", "danger")


@dataclass(frozen=True)
class Source:
    """A citation: a short label and, where there is one, a URL or DOI."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class Finding:
    """``rule`` names the rule that fired; ``severity`` is one of :data:`SEVERITIES`
    (``info < caution < warning < danger``). The wording informs and never prescribes a dose."""

    rule: str
    severity: str
    title: str
    explanation: str
    sources: tuple[Source, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def rank(self) -> int:
        return SEVERITIES.index(self.severity)
