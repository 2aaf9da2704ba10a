"""Amounts of kratom as people write them, and their conversion to grams of material.

``3g``, ``3 g``, ``500 mg``, ``2 caps`` (with the capsule size), ``250 ml`` of tea (with the grams
steeped). Limits here catch typing mistakes only; they say nothing about what is advisable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nightleaf.errors import InputError

UNITS = ("g", "mg", "capsule", "ml")
_ALIASES = {
    "g": "g", "gram": "g", "grams": "g", "gr": "g",
    "mg": "mg", "milligram": "mg", "milligrams": "mg",
    "cap": "capsule", "caps": "capsule", "capsule": "capsule", "capsules": "capsule",
    "ml": "ml", "millilitre": "ml", "milliliter": "ml", "millilitres": "ml", "milliliters": "ml",
}
#: above this much plant material in one intake the entry is taken for a typing mistake
MAX_GRAMS_PER_INTAKE = 100.0
MAX_CAPSULES = 100
MAX_CAPSULE_MG = 2000.0
MAX_TEA_ML = 3000.0

_AMOUNT = re.compile(r"^\s*(?P<v>[-+]?\d+(?:[.,]\d+)?)\s*(?P<u>[a-zA-Z]+)?\s*$")


@dataclass(frozen=True)
class Amount:
    """An amount as entered. ``grams`` is the plant material it stands for, when known."""

    value: float
    unit: str  # one of UNITS
    capsule_mg: float | None = None  # with unit "capsule": material per capsule
    tea_grams: float | None = None  # with unit "ml": grams of leaf steeped for the tea

    @property
    def grams(self) -> float | None:
        if self.unit == "g":
            return self.value
        if self.unit == "mg":
            return self.value / 1000.0
        if self.unit == "capsule":
            return None if self.capsule_mg is None else self.value * self.capsule_mg / 1000.0
        if self.unit == "ml":
            return self.tea_grams
        return None

    def label(self) -> str:
        v = f"{self.value:g}"
        if self.unit == "capsule":
            size = f" × {self.capsule_mg:g} mg" if self.capsule_mg else ""
            return f"{v} capsule{'s' if self.value != 1 else ''}{size}"
        if self.unit == "ml":
            steep = f" ({self.tea_grams:g} g steeped)" if self.tea_grams else ""
            return f"{v} ml tea{steep}"
        return f"{v} {self.unit}"


def normalise_unit(unit: str) -> str:
    u = _ALIASES.get(unit.strip().lower())
    if u is None:
        raise InputError(f"unknown unit {unit!r}: use g, mg, caps (capsules) or ml (tea)")
    return u


def make_amount(
    value: float, unit: str, *, capsule_mg: float | None = None, tea_grams: float | None = None
) -> Amount:
    """Validate and build an :class:`Amount`."""
    u = normalise_unit(unit)
    if value != value or value <= 0:  # NaN or not positive
        raise InputError(f"the amount must be greater than zero (got {value:g} {u})")
    if u == "capsule":
        if value > MAX_CAPSULES or value != int(value * 2) / 2:
            raise InputError("the number of capsules must be whole or half, at most 100")
        if capsule_mg is not None and not 0 < capsule_mg <= MAX_CAPSULE_MG:
            raise InputError("mg per capsule must be between 1 and 2000")
    elif u == "ml":
        if value > MAX_TEA_ML:
            raise InputError("a tea entry above 3000 ml looks like a typing mistake")
        if tea_grams is not None and not 0 < tea_grams <= MAX_GRAMS_PER_INTAKE:
            raise InputError("grams steeped must be greater than 0 and at most 100")
    amount = Amount(value=float(value), unit=u, capsule_mg=capsule_mg, tea_grams=tea_grams)
    g = amount.grams
    if g is not None and g > MAX_GRAMS_PER_INTAKE:
        raise InputError(
            (f"{g:g} g in one intake is" if u == "g" else
             f"{amount.label()} is {g:g} g of material in one intake,")
            + " beyond what this journal accepts (100 g); check the number and the unit"
        )
    return amount


def parse_amount(
    text: str, *, capsule_mg: float | None = None, tea_grams: float | None = None
) -> Amount:
    """Parse ``3g``, ``3 g``, ``2.5 g``, ``500mg``, ``2 caps``, ``250 ml``.

    >>> parse_amount("2 caps", capsule_mg=500).grams
    1.0
    """
    m = _AMOUNT.match(text or "")
    if not m:
        raise InputError(f"cannot read the amount {text!r}: write a number and a unit, e.g. 3g")
    if not m.group("u"):
        raise InputError(f"the amount {text!r} needs a unit: g, mg, caps or ml")
    value = float(m.group("v").replace(",", "."))
    return make_amount(value, m.group("u"), capsule_mg=capsule_mg, tea_grams=tea_grams)
