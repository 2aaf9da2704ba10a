"""FHIR R4 export: validates with fhir.resources.R4B, round-trips, and is deterministic."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from nightleaf.errors import NotFound
from nightleaf.io import fhir
from nightleaf.model.entities import PainRating
from nightleaf.services import Context
from nightleaf.services import export as svc
from nightleaf.simulate import simulate_journal
from nightleaf.sleep.diary import diary_metrics


def _seed(ctx: Context, nights: int = 30, seed: int = 5) -> None:
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(nights, seed=seed))


def _by_type(b: Bundle, kind: str) -> list:
    return [e.resource for e in b.entry if e.resource.get_resource_type() == kind]


def _code(res, system: str) -> str | None:  # type: ignore[no-untyped-def]
    return next((c.code for c in res.code.coding if c.system == system), None)


def test_bundle_validates_and_round_trips_counts_and_values(ctx: Context) -> None:
    _seed(ctx)
    result = svc.export_fhir(ctx)
    assert result.download.media_type == "application/fhir+json"
    b = Bundle.model_validate_json(result.download.content)  # the R4 models accept it
    j = svc.load_journal(ctx)
    assert b.type == "collection"
    assert result.counts == {
        "Condition": len(j.conditions), "MedicationStatement": len(j.medicines) + len(j.intakes),
        "Observation": result.counts["Observation"], "Patient": 1, "Questionnaire": 1,
        "QuestionnaireResponse": len(j.sleep)}
    assert len(b.entry) == sum(result.counts.values())

    obs = _by_type(b, "Observation")
    tst = {o.effectivePeriod.end.isoformat()[:10]: o.valueQuantity.value for o in obs
           if _code(o, fhir.LOINC) == "93832-4"}
    expected = [diary_metrics(s) for s in j.sleep]
    assert len(tst) == len([m for m in expected if m.tst_minutes is not None])
    assert sorted(float(v) for v in tst.values()) == pytest.approx(
        sorted(round(m.tst_minutes, 2) for m in expected if m.tst_minutes is not None))
    assert all(o.valueQuantity.unit == "min" for o in obs if _code(o, fhir.LOINC) == "93832-4")

    pain = [o for o in obs if _code(o, fhir.LOINC) == "72514-3"]
    assert [o.valueInteger for o in pain] == [p.nrs for p in j.pain]

    stmts = [s for s in _by_type(b, "MedicationStatement") if s.status == "completed"]
    assert len(stmts) == len(j.intakes)
    grams = [float(s.dosage[0].doseAndRate[0].doseQuantity.value) for s in stmts]
    assert grams == pytest.approx([round(i.grams, 2) for i in j.intakes if i.grams is not None])
    assert all(s.medicationCodeableConcept.coding[0].code == fhir.KRATOM_UNII for s in stmts)

    qrs = _by_type(b, "QuestionnaireResponse")
    first = next(q for q in qrs if q.id == fhir._Ids(fhir.journal_namespace(j))(
        "diary", j.sleep[0].night.isoformat()))
    answers = {i.linkId: i.answer[0] for i in first.item}
    assert float(answers["3"].valueDecimal) == j.sleep[0].sol_minutes
    assert answers["8"].valueCoding.code == str(j.sleep[0].quality)


def test_reexport_is_byte_identical_and_ids_are_unique(ctx: Context) -> None:
    _seed(ctx, 14)
    a = svc.export_fhir(ctx).download.content
    b = svc.export_fhir(ctx).download.content
    assert a == b
    data = json.loads(a)
    ids = [e["resource"]["id"] for e in data["entry"]]
    assert len(ids) == len(set(ids))
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in data["entry"]
               if e["resource"]["resourceType"] != "Questionnaire")


def test_two_journals_do_not_share_ids() -> None:
    one = fhir.build_bundle(simulate_journal(5, seed=1), nightly={})
    two = fhir.build_bundle(simulate_journal(5, seed=2), nightly={})
    ids = lambda b: {e["resource"]["id"] for e in b["entry"]}  # noqa: E731
    assert ids(one) & ids(two) == {"nightleaf-csd-core"}  # only the shared Questionnaire


def test_patient_is_pseudonymous_unless_the_name_is_asked_for() -> None:
    j = simulate_journal(3, seed=1)
    assert j.profile is not None
    j.profile.name = "Alex Example"
    anon = fhir.build_bundle(j, nightly={})
    named = fhir.build_bundle(j, nightly={}, include_name=True)
    assert "Alex Example" not in json.dumps(anon)
    patient = next(fhir.resources_of(named, "Patient"))
    assert patient["name"] == [{"text": "Alex Example"}]
    fhir.parse_bundle(named)


def test_every_code_is_loinc_ucum_unii_hl7_or_namespaced_local() -> None:
    j = simulate_journal(10, seed=4)
    j.pain.append(PainRating(at=j.pain[-1].at, tz=j.pain[-1].tz, night=j.pain[-1].night, nrs=5,
                             peg_pain=6, peg_enjoyment=5, peg_activity=4, id=999))
    bundle = fhir.build_bundle(j, nightly={s.night: diary_metrics(s) for s in j.sleep},
                               peg={999: 5.0})
    systems: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "system" in node:
                systems.add(node["system"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(bundle)
    allowed = (fhir.LOINC, fhir.UCUM, fhir.UNII, "http://terminology.hl7.org/CodeSystem/")
    assert all(s.startswith(allowed) or s.startswith(fhir.LOCAL + "/") for s in systems), systems
    loinc = {c["code"] for r in fhir.resources_of(bundle, "Observation")
             for c in r["code"]["coding"] if c["system"] == fhir.LOINC}
    assert loinc == {"93832-4", "72514-3", "91147-9"}  # only the confirmed codes
    fhir.parse_bundle(bundle)


def test_an_invalid_bundle_is_refused_before_it_is_rendered() -> None:
    from nightleaf.errors import FormatError

    bad = {"resourceType": "Bundle", "type": "collection",
           "entry": [{"resource": {"resourceType": "Observation", "status": "final"}}]}
    with pytest.raises(FormatError, match="not a valid FHIR R4 Bundle"):
        fhir.bundle_bytes(bad)


def test_an_empty_journal_says_there_is_nothing_to_export(ctx: Context) -> None:
    with pytest.raises(NotFound, match="journal is empty"):
        svc.export_fhir(ctx)
