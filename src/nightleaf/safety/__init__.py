"""Safety rules: pure functions ``(SafetyContext, Knowledge) -> list[Finding]``.

    from nightleaf.knowledge import load_knowledge
    from nightleaf.safety import SafetyContext, evaluate
    findings = evaluate(SafetyContext(profile=..., now=...), load_knowledge())
"""

from nightleaf.safety.context import SafetyContext
from nightleaf.safety.engine import RULES, evaluate

__all__ = ["RULES", "SafetyContext", "evaluate"]
