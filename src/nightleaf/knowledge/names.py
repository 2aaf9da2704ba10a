"""Normalising medicine names as people type them.

``"  Seroquel XR 50 mg "`` -> ``"seroquel"``; ``"Tylenol-PM"`` -> ``"tylenol pm"``.
Strengths and dosage-form words at the end are dropped; case, accents, hyphens and repeated
spaces do not matter.

>>> normalise_name("Seroquel XR 50 mg tablets")
'seroquel'
"""

from __future__ import annotations

import re
import unicodedata

_STRENGTH = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|g|ml|%|iu)\b")
_FORM_WORDS = frozenset((
    "tablet", "tablets", "tab", "tabs", "capsule", "capsules", "cap", "caps", "er", "xr", "sr",
    "cr", "xl", "la", "ir", "dr", "odt", "extended", "release", "patch", "oral", "solution",
    "suspension", "liquid", "syrup", "injection", "hcl", "hydrochloride", "generic",
))


def normalise_name(text: str) -> str:
    """Lower-case, strip accents and punctuation, drop trailing strengths and form words."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    t = _STRENGTH.sub(" ", t)
    t = re.sub(r"[^a-z0-9#/+]+", " ", t)
    words = t.split()
    while len(words) > 1 and (words[-1] in _FORM_WORDS or words[-1].isdigit()):
        words.pop()
    return " ".join(words)
