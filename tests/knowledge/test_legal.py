"""The law data (issue 11): corrected entries, coverage, month-precise dates and staleness.

The clock is pinned in every test: staleness depends on the day asked about, not on when the
suite runs.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from nightleaf.errors import FormatError
from nightleaf.knowledge import DATA_DIR, load_from, load_knowledge
from nightleaf.knowledge.regions import all_statuses, is_stale
from nightleaf.model import Profile
from nightleaf.safety import SafetyContext
from nightleaf.safety import legal as legal_rule
from tests.support.common import Result

DEC_2026 = date(2026, 12, 2)
_MONTH = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def _check(kb, region: str, now: datetime):
    return legal_rule.check(SafetyContext(profile=Profile(tz="UTC", region=region), now=now,
                                          night=now.date()), kb)


# ------------------------------------------------------------------ corrected entries
def test_ohio_is_not_legal_and_7oh_is_schedule_i(kb):
    st = kb.legal_status("US-OH", DEC_2026)
    assert st.status != "legal" and st.status == "restricted"
    assert "7-OH" in st.seven_oh and "Schedule I" in st.seven_oh
    assert "possessing" in st.seven_oh and "12 Dec 2025" in st.seven_oh
    assert st.effective == "2025-12-12"
    assert any("codes.ohio.gov" in (s.url or "") for s in st.sources)  # the rule itself


def test_czechia_is_regulated_for_adults(kb):
    st = kb.legal_status("CZ", DEC_2026)
    assert st.status == "regulated" and st.age_limit == 18
    assert st.effective == "2025-11-12" and "psychomodulatory" in st.notes
    assert "licensed" in st.notes and "vending machines" in st.notes


def test_uk_possession_is_not_an_offence_but_import_is(kb):
    st = kb.legal_status("GB", DEC_2026)
    assert st.status == "restricted"
    assert "Possession for personal use is not an offence" in st.notes
    assert "custodial" in st.notes and "Importing" in st.notes
    assert st.effective == "2016-05-26"


def test_federal_7oh_notices_of_july_2026(kb):
    st = kb.legal_status("US", DEC_2026)
    assert st.status != "legal"
    assert "0.050 %" in st.seven_oh and "1 Jul 2026" in st.seven_oh
    assert "mitragynine pseudoindoxyl" in st.seven_oh and "MGM-16" in st.seven_oh
    assert st.unverified and "temporary scheduling orders" in st.unverified


@pytest.mark.parametrize(("code", "needles"), [
    ("US-FL", ["400 ppm", "2ER25-2"]),
    ("US-CO", ["SB 25-072", "semi-synthesized"]),
    ("US-MS", ["1 % of alkaloids"]),
    ("US-AZ", ["2 %", "21"]),
])
def test_state_7oh_rules(kb, code, needles):
    st = kb.legal_status(code, DEC_2026)
    text = f"{st.seven_oh} {st.notes}"
    for n in needles:
        assert n in text, (code, n)


def test_rhode_island_regulated_from_april_2026_with_contaminant_limits(kb):
    before = kb.legal_status("US-RI", date(2026, 3, 31))
    after = kb.legal_status("US-RI", date(2026, 4, 1))
    assert before.status == "banned" and after.status == "regulated-with-age-limit"
    assert after.age_limit == 21 and "synthetic" in after.seven_oh
    assert "Pb < 1.2" in after.notes and "Hg < 0.4" in after.notes


def test_tennessee_21_plus_and_pending_ban_not_settled(kb):
    st = kb.legal_status("US-TN", DEC_2026)
    assert "under 21" in st.notes and "synthetic" in st.seven_oh
    assert st.status == "unknown" and "HB 1649" in st.unverified  # a reported 2026 ban


def test_thailand_2025_sales_rules_and_indonesia_canada_not_plain_legal(kb):
    th = kb.legal_status("TH", DEC_2026)
    assert "1,000 m" in th.notes and "12 Oct 2025" in th.notes
    idn = kb.legal_status("ID", DEC_2026)
    assert idn.status == "restricted" and "BPOM" in idn.notes
    can = kb.legal_status("CA", DEC_2026)
    assert can.status == "restricted" and "authorised no product" in can.notes


def test_utah_and_california_bills_are_marked_as_such(kb):
    ut = kb.legal_status("US-UT", DEC_2026)
    assert "pure leaf" in ut.seven_oh and ut.unverified
    ca = kb.legal_status("US-CA", DEC_2026)
    assert "AB 1088" in ca.notes and "pending" in ca.notes


# ------------------------------------------------------------------ rules for every entry
def test_no_entry_is_legal_or_known_without_a_source(kb):
    for code, reg in kb.regions.items():
        if reg.status == "unknown":
            assert reg.notes and reg.notes.strip(), code  # says why
        else:
            assert reg.sources, code
        if reg.status == "legal":
            qualities = {kb.sources[k].quality for k in reg.sources}
            assert qualities - {"vendor", "advocacy"}, f"{code}: legal on relays only"


def test_every_as_of_is_a_month_or_finer(kb):
    for code, reg in kb.regions.items():
        assert _MONTH.match(reg.as_of), code
        assert reg.checked is None or _MONTH.match(reg.checked), code
    for locs in kb.localities.values():
        for loc in locs:
            assert _MONTH.match(loc.as_of), loc.name


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR, d)
    return d


@pytest.mark.parametrize("bad", ['as_of = "2025"', 'as_of = "2025-13"', 'as_of = "Dec 2025"'])
def test_year_only_or_malformed_as_of_is_refused(tmp_path, bad):
    d = _copy(tmp_path)
    p = d / "legal.toml"
    text = p.read_text(encoding="utf-8")
    assert 'as_of = "2025-11"' in text
    p.write_text(text.replace('as_of = "2025-11"', bad, 1), encoding="utf-8")
    with pytest.raises(FormatError, match="legal.toml.*as_of"):
        load_from(d)


def test_a_known_status_without_sources_is_refused(tmp_path):
    d = _copy(tmp_path)
    p = d / "legal.toml"
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace('sources = ["L26-CZ1", "L26-CZ2"]', "sources = []", 1),
                 encoding="utf-8")
    with pytest.raises(FormatError, match="CZ.*needs at least one source"):
        load_from(d)


# ------------------------------------------------------------------ staleness
@pytest.mark.parametrize(("as_of", "today", "stale"), [
    ("2025-10", date(2026, 11, 24), True),    # 13 months
    ("2025-12", date(2026, 11, 24), False),   # 11 months
    ("2025-11-15", date(2026, 11, 24), True),  # a day, more than 365 days before
    ("2025-12-01", date(2026, 11, 24), False),
    ("2025-11", date(2026, 11, 30), False),   # a month counts from its last day
    ("2025-11", date(2026, 12, 2), True),
])
def test_staleness_is_judged_in_months(as_of, today, stale):
    assert is_stale(as_of, today) is stale


def test_stale_entry_gets_a_finding_and_fresh_does_not(kb):
    # Czechia: sources of Nov 2025. Eleven months later fresh, thirteen months later stale.
    fresh = _check(kb, "CZ", datetime(2026, 10, 15, 12, tzinfo=UTC))
    stale = _check(kb, "CZ", datetime(2026, 12, 15, 12, tzinfo=UTC))
    assert "legal.stale" not in {f.rule for f in fresh}
    stale_f = [f for f in stale if f.rule == "legal.stale"]
    assert stale_f and "2025-11" in stale_f[0].explanation and "12 months" in stale_f[0].explanation
    assert "more than 12 months old" in stale[0].explanation


def test_national_note_under_a_state_is_checked_for_staleness(kb):
    # the federal entry is as of 2026-07: fresh in Dec 2026, stale by Sep 2027
    fresh = _check(kb, "US-TX", datetime(2026, 12, 2, 12, tzinfo=UTC))
    later = _check(kb, "US-TX", datetime(2027, 9, 1, 12, tzinfo=UTC))
    nat = [f for f in fresh if f.rule == "legal.national"]
    assert nat and "0.050 %" in nat[0].explanation and "out of date" not in nat[0].explanation
    assert not any(f.title.startswith("National legal data") for f in fresh)
    nat_later = [f for f in later if f.rule == "legal.national"][0]
    assert "may be out of date" in nat_later.explanation
    assert any(f.rule == "legal.stale" and f.title.startswith("National legal data for US")
               for f in later)


# ------------------------------------------------------------------ what a user sees
def test_all_statuses_cover_every_state_dc_and_30_countries(kb):
    rows = all_statuses(kb, DEC_2026)
    us = {r.code for r in rows if r.code.startswith("US-")}
    countries = {r.code for r in rows if "-" not in r.code}
    assert len(us) >= 51 and "US-DC" in us
    assert len(countries) >= 30
    eu = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
          "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
    assert eu <= countries
    assert {"GB", "NO", "CH", "TH", "MY", "ID", "MM", "AU", "NZ", "CA", "MX", "JP", "KR", "IL",
            "AE"} <= countries


def test_legal_all_json(cli: Callable[..., Result]) -> None:
    r = cli("legal", "--all", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["today"] == "2026-11-24"  # the pinned CLI clock
    rows = data["regions"]
    assert data["count"] == len(rows)
    assert sum(1 for x in rows if x["code"].startswith("US-")) >= 51
    assert sum(1 for x in rows if "-" not in x["code"]) >= 30
    for x in rows:
        assert {"status", "as_of", "sources", "stale"} <= set(x), x["code"]
        assert x["status"] == "unknown" or x["sources"], x["code"]
    by = {x["code"]: x for x in rows}
    assert by["US-AR"]["stale"] is False and by["FR"]["stale"] is True
    assert data["stale_count"] == sum(1 for x in rows if x["stale"])


def test_legal_all_text_marks_stale_entries(cli: Callable[..., Result]) -> None:
    r = cli("legal", "--all")
    assert r.code == 0, r.err
    assert re.search(r"FR France: controlled .*STALE", r.out)
    assert re.search(r"US-OH Ohio: restricted — as of 2026-06 \(partly unverified\);", r.out)
    bad = cli("legal", "GB", "--all")
    assert bad.code == 2 and "not both" in bad.err


def test_legal_region_json_keeps_its_shape(cli: Callable[..., Result]) -> None:
    r = cli("legal", "US-OH", "--json")
    data = json.loads(r.out)
    assert data["region"] == "US-OH"
    st = data["status"]
    assert st["status"] == "restricted" and st["as_of"] == "2026-06" and st["stale"] is False
    assert st["parent"]["code"] == "US" and st["parent"]["stale"] is False
    fr = json.loads(cli("legal", "FR", "--json").out)["status"]
    assert fr["stale"] is True
