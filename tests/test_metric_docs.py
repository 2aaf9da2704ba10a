"""The formulas' docstring examples run, and docs/metrics.md covers every metric."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from nightleaf.sleep.regularity import SRI_RULE_PER_EPOCH, SRI_RULE_POOLED
from nightleaf.stats.window import PAIN_METRICS, SLEEP_METRICS

MODULES = [
    "nightleaf.sleep.diary", "nightleaf.sleep.episode", "nightleaf.sleep.regularity",
    "nightleaf.pain.nrs", "nightleaf.pain.peg", "nightleaf.stats.intake",
    "nightleaf.stats.describe", "nightleaf.stats.compare",
]
DOC = Path(__file__).resolve().parents[1] / "docs" / "metrics.md"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0


def test_metrics_doc_names_every_metric_and_the_sri_rule() -> None:
    text = DOC.read_text(encoding="utf-8")
    for field in (*SLEEP_METRICS, *PAIN_METRICS):
        assert f"`{field}`" in text, f"docs/metrics.md does not describe {field}"
    assert SRI_RULE_POOLED in text and SRI_RULE_PER_EPOCH in text
    for cite in ("Carney", "Phillips", "Wittmann", "Krebs", "Welch", "80.8074"):
        assert cite in text
