from pathlib import Path

from nightleaf.knowledge import load_knowledge
from nightleaf.knowledge.docs import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "safety.md"


def test_safety_doc_matches_the_data():
    assert DOC.read_text(encoding="utf-8") == render(load_knowledge()), (
        "docs/safety.md is out of date: run python -m nightleaf.knowledge.docs > docs/safety.md"
    )


def test_every_rule_family_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for rule in ("medicine.", "condition.", "product.", "ceiling.night", "escalation.weekly",
                 "frequency.streak", "same_night.cumulative", "timing.after_bedtime",
                 "depressant.alcohol", "withdrawal.after_break", "legal.status", "legal.stale"):
        assert rule in text
