from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightleaf.errors import InputError
from nightleaf.model.region import normalise_region
from nightleaf.model.units import parse_amount


@pytest.mark.parametrize(("text", "kw", "grams", "unit"), [
    ("3g", {}, 3.0, "g"),
    ("3 g", {}, 3.0, "g"),
    ("2,5 g", {}, 2.5, "g"),
    ("500mg", {}, 0.5, "mg"),
    ("2 caps", {"capsule_mg": 500}, 1.0, "capsule"),
    ("1 capsule", {"capsule_mg": 750}, 0.75, "capsule"),
    ("2 caps", {}, None, "capsule"),
    ("250 ml", {"tea_grams": 4}, 4.0, "ml"),
    ("3 Grams", {}, 3.0, "g"),
])
def test_amounts_as_people_write_them(text: str, kw: dict, grams: float | None, unit: str) -> None:
    a = parse_amount(text, **kw)
    assert a.unit == unit
    assert a.grams == grams


@pytest.mark.parametrize(("text", "message"), [
    ("3kg", "unknown unit"),
    ("3", "needs a unit"),
    ("-2g", "greater than zero"),
    ("0g", "greater than zero"),
    ("150g", "beyond what this journal accepts"),
    ("three grams", "cannot read"),
    ("2.3 caps", "whole or half"),
])
def test_bad_amounts_are_refused(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_amount(text)


@given(st.floats(min_value=0.01, max_value=100, allow_nan=False),
       st.sampled_from(["g", " g", "g ", "gram"]))
def test_grams_parse_back_to_their_value(value: float, unit: str) -> None:
    text = f"{value:.2f}{unit}"
    assert parse_amount(text).grams == pytest.approx(round(value, 2))


@given(st.text(max_size=20))
def test_parse_amount_never_raises_anything_but_input_error(text: str) -> None:
    try:
        parse_amount(text)
    except InputError:
        pass


@pytest.mark.parametrize(("code", "canonical"), [("us-ca", "US-CA"), ("TH", "TH"), ("gb", "GB"),
                                                 ("DE-BY", "DE-BY")])
def test_region_codes_are_normalised(code: str, canonical: str) -> None:
    assert normalise_region(code) == canonical


@pytest.mark.parametrize("code", ["XX", "US-XX", "USA", "California", "", "U"])
def test_invalid_region_codes_are_refused(code: str) -> None:
    with pytest.raises(InputError, match="invalid region code"):
        normalise_region(code)
