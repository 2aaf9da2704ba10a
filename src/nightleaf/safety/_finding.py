"""Helpers shared by the rule modules."""

from __future__ import annotations

from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.finding import Finding


def finding(
    kb: Knowledge,
    rule: str,
    severity: str,
    title: str,
    explanation: str,
    sources: list[str] | tuple[str, ...],
    discuss: str | None = None,
) -> Finding:
    text = explanation.strip()
    if discuss:
        text = f"{text} {discuss.strip()}"
    return Finding(rule=rule, severity=severity, title=title, explanation=text,
                   sources=kb.cite(list(sources)))


def fmt_g(grams: float) -> str:
    return f"{grams:g} g"


def max_severity(severities: list[str]) -> str:
    from nightleaf.model.finding import SEVERITIES

    return max(severities, key=SEVERITIES.index)
