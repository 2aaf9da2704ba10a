"""Region codes: ISO 3166-1 alpha-2 countries (``TH``) and ISO 3166-2 subdivisions (``US-CA``).

Validated against pycountry's copy of the ISO tables rather than a hand-typed list.
"""

from __future__ import annotations

import re
from types import ModuleType

from nightleaf.errors import InputError

_SHAPE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
#: codes people type that are not ISO 3166 codes, and what they most likely meant
_COMMON_MISTAKES = {"UK": "GB", "USA": "US", "EL": "GR", "EN": "GB"}


def normalise_region(code: str) -> str:
    """Return the canonical upper-case code or raise :class:`InputError`.

    >>> normalise_region("us-ca")
    'US-CA'
    """
    c = (code or "").strip().upper().replace("_", "-")
    if c in _COMMON_MISTAKES:
        raise InputError(f"invalid region code {code!r}: not an ISO 3166 code; did you mean "
                         f"{_COMMON_MISTAKES[c]}?")
    if not _SHAPE.match(c):
        raise InputError(
            f"invalid region code {code!r}: use an ISO 3166 code such as US, US-CA, GB or TH"
        )
    country = c.split("-")[0]
    if _pycountry().countries.get(alpha_2=country) is None:
        raise InputError(f"invalid region code {code!r}: {country} is not an ISO 3166 country")
    if "-" in c and _pycountry().subdivisions.get(code=c) is None:
        raise InputError(
            f"invalid region code {code!r}: {c} is not an ISO 3166-2 subdivision of {country}"
        )
    return c



def _pycountry() -> ModuleType:
    """pycountry, imported on first use: about 12 ms that loading the knowledge base (which
    imports this module) does not need."""
    import pycountry

    return pycountry


def region_name(code: str) -> str:
    c = normalise_region(code)
    country = _pycountry().countries.get(alpha_2=c[:2])
    country_name = str(getattr(country, "name", c[:2]))
    if "-" in c:
        sub = _pycountry().subdivisions.get(code=c)
        return f"{getattr(sub, 'name', c)}, {country_name}"
    return country_name


def region_short_name(code: str) -> str:
    """The subdivision's or country's own name (``California``, ``Thailand``); the code if unknown."""
    if "-" in code:
        return str(getattr(_pycountry().subdivisions.get(code=code), "name", code))
    return str(getattr(_pycountry().countries.get(alpha_2=code), "name", code))
