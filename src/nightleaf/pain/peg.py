"""PEG three-item pain scale (Krebs EE, Lorenz KA, Bair MJ, et al. *Development and initial
validation of the PEG, a three-item scale assessing pain intensity and interference.* J Gen
Intern Med 2009;24(6):733-738. doi:10.1007/s11606-009-0981-1). Items derive from the Brief Pain
Inventory.

PEG = (P + E + G) / 3, each item 0-10 over the past week; the score is 0-10.

>>> round(peg_score(6, 5, 4), 2)
5.0
>>> peg_score(6, None, 4) is None
True
"""

from __future__ import annotations

from nightleaf.errors import InputError


def _check(name: str, value: int | float) -> None:
    if not 0 <= value <= 10:
        raise InputError(f"PEG {name} must be between 0 and 10 (got {value})")


def peg_score(
    pain: int | float | None, enjoyment: int | float | None, activity: int | float | None
) -> float | None:
    """Mean of the three PEG items; ``None`` (unknown) if any item is missing."""
    if pain is None or enjoyment is None or activity is None:
        return None
    for name, v in (("pain", pain), ("enjoyment", enjoyment), ("activity", activity)):
        _check(name, v)
    return (pain + enjoyment + activity) / 3.0
