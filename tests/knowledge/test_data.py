"""The data files: every entry cited and dated, schema errors become FormatError."""

from __future__ import annotations

import re
import shutil
import tomllib
from datetime import date
from pathlib import Path

import pytest

from nightleaf.errors import FormatError, InputError
from nightleaf.knowledge import DATA_DIR, load_from, load_knowledge

LISTS = {
    "interactions.toml": ["class"], "medicines.toml": ["medicine", "combination"],
    "conditions.toml": ["condition"], "products.toml": ["rule"],
    "legal.toml": ["region", "locality"],
}


def _entries():
    for fname, keys in LISTS.items():
        raw = tomllib.loads((DATA_DIR / fname).read_text(encoding="utf-8"))
        assert isinstance(raw.get("version"), int), fname
        for key in keys:
            for i, entry in enumerate(raw.get(key, [])):
                yield f"{fname}:{key}[{i}]", entry
    pat = tomllib.loads((DATA_DIR / "patterns.toml").read_text(encoding="utf-8"))
    for name, entry in pat.items():
        if isinstance(entry, dict):
            yield f"patterns.toml:{name}", entry


@pytest.mark.parametrize(("where", "entry"), list(_entries()), ids=lambda v: v if isinstance(
    v, str) else "")
def test_every_entry_has_sources_and_as_of(where, entry):
    # a legal entry whose status is "unknown" may rest on no source, but must say why
    if entry.get("status") == "unknown" and where.startswith("legal.toml:region"):
        assert entry.get("notes"), where
    else:
        assert entry.get("sources"), where
    assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", entry.get("as_of", "")), where


def test_every_cited_key_resolves():
    kb = load_knowledge()
    for c in kb.classes.values():
        assert all(s.title for s in kb.cite(c.sources))


def test_load_is_cached():
    assert load_knowledge() is load_knowledge()


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR, d)
    return d


def test_schema_error_is_format_error(tmp_path):
    d = _copy(tmp_path)
    p = d / "interactions.toml"
    p.write_text(p.read_text().replace('severity = "danger"', 'severity = "deadly"', 1))
    with pytest.raises(FormatError, match="interactions.toml.*severity"):
        load_from(d)


def test_missing_sources_is_format_error(tmp_path):
    d = _copy(tmp_path)
    p = d / "conditions.toml"
    p.write_text(p.read_text().replace('sources = ["A8", "E15"]', "sources = []", 1))
    with pytest.raises(FormatError, match="conditions.toml"):
        load_from(d)


def test_unknown_source_key_is_format_error(tmp_path):
    d = _copy(tmp_path)
    p = d / "legal.toml"
    p.write_text(p.read_text().replace('sources = ["A17"]', 'sources = ["ZZ9"]', 1))
    with pytest.raises(FormatError, match="ZZ9"):
        load_from(d)


def test_bad_toml_and_unknown_class_are_format_errors(tmp_path):
    d = _copy(tmp_path)
    (d / "products.toml").write_text("version = [")
    with pytest.raises(FormatError, match="not valid TOML"):
        load_from(d)
    d2 = _copy(tmp_path / "b")
    p = d2 / "medicines.toml"
    p.write_text(p.read_text().replace('"opioid_agonist", "cyp3a4_narrow"]', '"opoid"]', 1))
    with pytest.raises(FormatError, match="opoid"):
        load_from(d2)


@pytest.mark.parametrize("code", ["XX", "US-ZZ", "UK", "California", ""])
def test_invalid_region_codes(code):
    with pytest.raises(InputError):
        load_knowledge().legal_status(code, date(2026, 1, 1))


def test_uk_suggests_gb():
    with pytest.raises(InputError, match="GB"):
        load_knowledge().legal_status("uk", date(2026, 1, 1))


def test_valid_uncovered_region_is_unknown():
    st = load_knowledge().legal_status("US-PR", date(2026, 1, 1))  # Puerto Rico: no entry
    assert st.status == "unknown" and not st.covered and st.parent.code == "US"


def test_covered_region_with_localities():
    st = load_knowledge().legal_status("us-ca", date(2026, 1, 1))
    assert st.covered and st.status == "restricted"
    assert {loc.name for loc in st.localities} >= {"San Diego (city)"}


#: the files this team curates for medicines, conditions, products and patterns (legal.toml has
#: its own as_of test with the legal data)
MONTH_FILES = ("interactions.toml", "medicines.toml", "medicine_synonyms.toml", "conditions.toml",
               "products.toml", "patterns.toml", "onset.toml")


def _as_ofs(node, where):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "as_of":
                yield where, v
            else:
                yield from _as_ofs(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _as_ofs(v, f"{where}[{i}]")


@pytest.mark.parametrize("fname", MONTH_FILES)
def test_every_as_of_has_at_least_month_precision(fname):
    import re

    raw = tomllib.loads((DATA_DIR / fname).read_text(encoding="utf-8"))
    found = list(_as_ofs(raw, fname))
    assert found
    for where, value in found:
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value), (where, value)


def test_every_medicine_and_substance_has_sources_and_as_of():
    raw = tomllib.loads((DATA_DIR / "medicines.toml").read_text(encoding="utf-8"))
    for key in ("medicine", "combination", "substance"):
        for entry in raw.get(key, []):
            assert entry.get("sources") and entry.get("as_of"), entry["name"]


def test_a_combination_cannot_leave_out_a_class_it_does_not_have(tmp_path):
    d = _copy(tmp_path)
    p = d / "medicines.toml"
    p.write_text(p.read_text().replace('without_classes = ["naloxone_rescue"]',
                                       'without_classes = ["benzodiazepine"]', 1))
    with pytest.raises(FormatError, match="leaves out class 'benzodiazepine'"):
        load_from(d)


def test_alcohol_class_cannot_be_defined_twice(tmp_path):
    d = _copy(tmp_path)
    p = d / "interactions.toml"
    p.write_text(p.read_text().replace('id = "maoi"', 'id = "alcohol"', 1))
    with pytest.raises(FormatError, match="built from patterns.toml"):
        load_from(d)
