"""The journal as a FHIR R4 ``collection`` Bundle, for a clinician's system.

Pure translation: domain objects (and the nightly metrics computed by :mod:`nightleaf.sleep`)
in, a plain JSON-ready dict out; :func:`parse_bundle` checks it with the R4 models of
``fhir.resources`` (its ``R4B`` subpackage; the top-level import is R5).

What goes in:

- one pseudonymous ``Patient`` (a name only when asked for and the profile has one);
- ``Condition`` per condition the person listed (patient-reported);
- ``MedicationStatement`` per medicine, and per kratom intake (``effectiveDateTime``,
  dose as entered: grams in UCUM ``g`` when the material is known);
- ``Observation`` per night for the diary's sleep metrics, per pain rating (NRS 0-10) and per
  PEG score, and per wearable sleep episode (total sleep time);
- one ``Questionnaire`` (the Consensus Sleep Diary core items, as nightleaf asks them) and a
  ``QuestionnaireResponse`` per diary night.

Codes. LOINC only where a code has been confirmed (see ``docs``/report notes):

- ``93832-4`` Sleep duration — HL7 Personal Health Record IG, ValueSet
  ``pcd-sleep-observation-code`` (http://hl7.org/fhir/uv/phr/ValueSet/pcd-sleep-observation-code)
- ``72514-3`` Pain severity - 0-10 verbal numeric rating [Score] - Reported — HL7 Belgium
  patient-monitoring IG ValueSet ``pain-scale`` (https://loinc.org/72514-3)
- ``91147-9`` Mean score [PEG] — AHRQ CDS Connect pain-management terminology
  (cds.ahrq.gov), same code in independent third-party code

Everything else (time in bed, SOL, WASO, awakenings, sleep efficiency, sleep quality, the
diary's items, pain context, product form) uses nightleaf's own CodeSystems under
:data:`LOCAL`, a deliberately unresolvable ``.invalid`` base so no one mistakes them for a
standard. The kratom substance carries the FDA UNII ``754HG7WK00`` (openFDA substance record
for *Mitragyna speciosa* leaf) beside plain text; there is no RxNorm code for kratom.

Ids are UUID 5 of ``kind:journal id`` inside a namespace derived from the journal itself, so
exporting the same journal twice gives byte-identical bundles, and two people's bundles do not
share ids. The bundle carries no timestamp for the same reason.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from nightleaf.errors import FormatError
from nightleaf.model import clock
from nightleaf.model.entities import (
    Batch,
    Condition,
    Intake,
    Journal,
    Medicine,
    PainRating,
    Product,
    SleepEntry,
    SleepEpisode,
)

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
UNII = "http://fdasis.nlm.nih.gov"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
COND_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
#: base of nightleaf's own CodeSystems, Questionnaire and extensions (deliberately unresolvable)
LOCAL = "https://nightleaf.invalid/fhir"
CS_SLEEP = f"{LOCAL}/CodeSystem/sleep-diary-metric"
CS_PAIN_CONTEXT = f"{LOCAL}/CodeSystem/pain-context"
CS_FORM = f"{LOCAL}/CodeSystem/kratom-product-form"
CS_QUALITY = f"{LOCAL}/CodeSystem/sleep-quality"
EXT_PAIN_CONTEXT = f"{LOCAL}/StructureDefinition/pain-context"
EXT_MITRAGYNINE = f"{LOCAL}/StructureDefinition/mitragynine-estimate"
EXT_PRODUCT = f"{LOCAL}/StructureDefinition/kratom-product"
EXT_DEVICE = f"{LOCAL}/StructureDefinition/sleep-source"
Q_DIARY = f"{LOCAL}/Questionnaire/consensus-sleep-diary-core"
KRATOM_UNII = "754HG7WK00"
KRATOM_TEXT = "Kratom (Mitragyna speciosa leaf)"

_NS = uuid.UUID("0b3c6a52-2f4d-5b8e-9c61-6e1f7a3d9c20")  # nightleaf's fixed root namespace


class NightSleep(Protocol):
    """The per-night metrics this module reads (``nightleaf.sleep.diary.NightMetrics``)."""

    @property
    def tib_minutes(self) -> float | None: ...
    @property
    def sol_minutes(self) -> float | None: ...
    @property
    def nwak(self) -> int | None: ...
    @property
    def waso_minutes(self) -> float | None: ...
    @property
    def tst_minutes(self) -> float | None: ...
    @property
    def se_percent(self) -> float | None: ...
    @property
    def quality(self) -> int | None: ...


#: (key, LOINC code or None, display, UCUM unit or None for a count) of the nightly diary metrics
SLEEP_OBSERVATIONS: tuple[tuple[str, str | None, str, str | None], ...] = (
    ("tst_minutes", "93832-4", "Sleep duration", "min"),
    ("tib_minutes", None, "Time in bed (diary)", "min"),
    ("sol_minutes", None, "Sleep onset latency (diary)", "min"),
    ("waso_minutes", None, "Wake after sleep onset (diary)", "min"),
    ("nwak", None, "Number of awakenings (diary)", None),
    ("se_percent", None, "Sleep efficiency, TST/TIB (diary)", "%"),
    ("quality", None, "Sleep quality rating 1-5 (diary)", None),
)
_LOCAL_SLEEP_CODES = {
    "tst_minutes": "tst", "tib_minutes": "tib", "sol_minutes": "sol", "waso_minutes": "waso",
    "nwak": "nwak", "se_percent": "se", "quality": "quality",
}
QUALITY = {1: "Very poor", 2: "Poor", 3: "Fair", 4: "Good", 5: "Very good"}

#: the diary items of the Questionnaire: (linkId, text, FHIR item type, SleepEntry field)
DIARY_ITEMS: tuple[tuple[str, str, str, str], ...] = (
    ("1", "What time did you get into bed?", "dateTime", "into_bed"),
    ("2", "What time did you try to go to sleep?", "dateTime", "tried_to_sleep"),
    ("3", "How long did it take you to fall asleep? (minutes)", "decimal", "sol_minutes"),
    ("4", "How many times did you wake up, not counting your final awakening?", "integer",
     "awakenings"),
    ("5", "In total, how long did these awakenings last? (minutes)", "decimal", "waso_minutes"),
    ("6", "What time was your final awakening?", "dateTime", "final_awakening"),
    ("7", "What time did you get out of bed for the day?", "dateTime", "out_of_bed"),
    ("8", "How would you rate the quality of your sleep?", "choice", "quality"),
    ("9", "Did you wake up earlier than you planned? How much earlier? (minutes)", "decimal",
     "woke_early_minutes"),
    ("10", "How rested or refreshed did you feel when you woke up? (1 not at all .. 5 very)",
     "integer", "rested"),
    ("11", "How many times did you nap or doze?", "integer", "nap_count"),
    ("12", "In total, how long did you nap or doze? (minutes)", "decimal", "nap_minutes"),
    ("13", "Comments", "string", "note"),
)


def journal_namespace(j: Journal, person_id: int = 1) -> uuid.UUID:
    """A namespace for this journal's ids: stable across exports, different between people.

    Derived from the person id and the earliest recorded instant (or the first product or
    medicine name when nothing is timed), never from a name.
    """
    instants: list[datetime] = [i.at for i in j.intakes]
    instants += [p.at for p in j.pain] + [s.at for s in j.symptoms] + [s.at for s in j.substances]
    instants += [t for s in j.sleep if (t := s.into_bed or s.tried_to_sleep) is not None]
    instants += [e.start for e in j.episodes]
    seed = min(instants).isoformat() if instants else "|".join(
        [p.name for p in j.products] + [m.name for m in j.medicines] + [c.name for c in j.conditions])
    return uuid.uuid5(_NS, f"journal:{person_id}:{seed}")


class _Ids:
    def __init__(self, ns: uuid.UUID) -> None:
        self.ns = ns

    def __call__(self, kind: str, key: object) -> str:
        return str(uuid.uuid5(self.ns, f"{kind}:{key}"))


def _local_iso(instant: datetime, tz: str) -> str:
    """ISO 8601 with the person's local offset, to the second."""
    return clock.local_datetime(instant, tz).replace(microsecond=0).isoformat()


def _round(v: float) -> float | int:
    r = round(float(v), 2)
    return int(r) if r == int(r) else r


def _qty(value: float, unit: str | None) -> dict[str, Any]:
    if unit is None:
        return {"value": _round(value)}
    return {"value": _round(value), "unit": unit, "system": UCUM, "code": unit}


def _ref(full_url: str, display: str | None = None) -> dict[str, str]:
    r = {"reference": full_url}
    if display:
        r["display"] = display
    return r


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBS_CATEGORY, "code": code, "display": display}]}]


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _patient(ids: _Ids, j: Journal, include_name: bool, person_id: int) -> dict[str, Any]:
    pid = ids("patient", person_id)
    res: dict[str, Any] = {
        "resourceType": "Patient", "id": pid,
        "identifier": [{"system": f"{LOCAL}/NamingSystem/pseudonym", "value": pid}],
        "active": True,
    }
    name = j.profile.name if j.profile else None
    if include_name and name:
        res["name"] = [{"text": name}]
    return res


def _condition(ids: _Ids, c: Condition, patient: str) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Condition", "id": ids("condition", c.id),
        "category": [{"coding": [{"system": COND_CATEGORY, "code": "problem-list-item",
                                  "display": "Problem List Item"}]}],
        "code": {"text": c.name}, "subject": _ref(patient),
    }
    if c.note:
        res["note"] = [{"text": c.note}]
    return res


def _medicine(ids: _Ids, m: Medicine, patient: str) -> dict[str, Any]:
    dosage: dict[str, Any] = {"asNeededBoolean": m.regimen == "as_needed"}
    if m.dose_text:
        dosage["text"] = m.dose_text
    res: dict[str, Any] = {
        "resourceType": "MedicationStatement", "id": ids("medicine", m.id),
        "status": "active", "medicationCodeableConcept": {"text": m.name},
        "subject": _ref(patient), "informationSource": _ref(patient), "dosage": [dosage],
    }
    if m.note:
        res["note"] = [{"text": m.note}]
    return res


def _kratom_concept(product: Product | None) -> dict[str, Any]:
    coding = [{"system": UNII, "code": KRATOM_UNII}]
    text = KRATOM_TEXT
    if product is not None:
        coding.append({"system": CS_FORM, "code": product.form, "display": product.form})
        text = f"{KRATOM_TEXT}, {product.form}: {product.name}"
    return {"coding": coding, "text": text}


def _batch_note(b: Batch | None) -> str | None:
    if b is None:
        return None
    parts = [f"lot {b.lot}" if b.lot else "lot not recorded"]
    if b.has_lab_results:
        lab = []
        if b.mitragynine_pct is not None:
            lab.append(f"mitragynine {b.mitragynine_pct:g} %")
        if b.seven_oh_pct is not None:
            lab.append(f"7-hydroxymitragynine {b.seven_oh_pct:g} %")
        parts.append("lab result (as reported by the vendor or lab): " + ", ".join(lab))
    else:
        parts.append("no lab result recorded")
    return "; ".join(parts)


def _intake(ids: _Ids, i: Intake, patient: str, products: Mapping[int, Product],
            batches: Mapping[int, Batch]) -> dict[str, Any]:
    product = products.get(i.product_id) if i.product_id is not None else None
    batch = batches.get(i.batch_id) if i.batch_id is not None else None
    a = i.amount
    if a.grams is not None:
        dose = _qty(a.grams, "g")
    elif a.unit == "capsule":
        dose = {"value": _round(a.value), "unit": "capsule", "system": UCUM, "code": "{capsule}"}
    elif a.unit == "ml":
        dose = _qty(a.value, "mL")
    else:
        dose = {"value": _round(a.value), "unit": a.unit}
    res: dict[str, Any] = {
        "resourceType": "MedicationStatement", "id": ids("intake", i.id),
        "status": "completed", "medicationCodeableConcept": _kratom_concept(product),
        "subject": _ref(patient), "informationSource": _ref(patient),
        "effectiveDateTime": _local_iso(i.at, i.tz),
        "dosage": [{"text": f"{a.label()} as entered", "route": {"text": "oral"},
                    "doseAndRate": [{"doseQuantity": dose}]}],
    }
    ext: list[dict[str, Any]] = []
    if product is not None:
        ext.append({"url": EXT_PRODUCT, "valueString": product.name})
    if i.mitragynine_mg is not None:
        ext.append({"url": EXT_MITRAGYNINE, "valueQuantity": _qty(i.mitragynine_mg, "mg")})
    if ext:
        res["extension"] = ext
    notes = [n for n in (_batch_note(batch), i.note) if n]
    if notes:
        res["note"] = [{"text": n} for n in notes]
    return res


def _sleep_observations(ids: _Ids, s: SleepEntry, m: NightSleep, patient: str
                        ) -> list[dict[str, Any]]:
    start = s.tried_to_sleep or s.into_bed
    end = s.final_awakening or s.out_of_bed
    out = []
    for key, loinc, display, unit in SLEEP_OBSERVATIONS:
        value = getattr(m, key, None)
        if value is None:
            continue
        coding = [{"system": CS_SLEEP, "code": _LOCAL_SLEEP_CODES[key], "display": display}]
        if loinc:
            coding.insert(0, {"system": LOINC, "code": loinc, "display": display})
        res: dict[str, Any] = {
            "resourceType": "Observation", "id": ids(f"sleep.{key}", s.night.isoformat()),
            "status": "final", "category": _category("survey", "Survey"),
            "code": {"coding": coding, "text": display}, "subject": _ref(patient),
        }
        if key == "tib_minutes" and s.into_bed and s.out_of_bed:
            res["effectivePeriod"] = {"start": _local_iso(s.into_bed, s.tz),
                                      "end": _local_iso(s.out_of_bed, s.tz)}
        elif start and end:
            res["effectivePeriod"] = {"start": _local_iso(start, s.tz),
                                      "end": _local_iso(end, s.tz)}
        else:
            res["effectiveDateTime"] = s.night.isoformat()
        if key == "quality":
            res["valueCodeableConcept"] = {
                "coding": [{"system": CS_QUALITY, "code": str(value),
                            "display": QUALITY.get(int(value), str(value))}],
                "text": QUALITY.get(int(value), str(value))}
        elif unit is None:
            res["valueInteger"] = int(value)
        else:
            res["valueQuantity"] = _qty(value, unit)
        out.append(res)
    return out


def _episode_observation(ids: _Ids, ep: SleepEpisode, patient: str) -> dict[str, Any] | None:
    if ep.tst_minutes is None:
        return None
    return {
        "resourceType": "Observation", "id": ids("episode.tst", f"{ep.source}:{ep.external_id}"),
        "status": "final", "category": _category("activity", "Activity"),
        "code": {"coding": [{"system": LOINC, "code": "93832-4", "display": "Sleep duration"}],
                 "text": f"Sleep duration ({ep.source}{', nap' if ep.is_nap else ''})"},
        "subject": _ref(patient),
        "effectivePeriod": {"start": _local_iso(ep.start, ep.tz), "end": _local_iso(ep.end, ep.tz)},
        "valueQuantity": _qty(ep.tst_minutes, "min"),
        "device": {"display": ep.device or ep.source},
        "extension": [{"url": EXT_DEVICE, "valueString": ep.source}],
    }


def _pain_observation(ids: _Ids, p: PainRating, patient: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation", "id": ids("pain.nrs", p.id),
        "status": "final", "category": _category("survey", "Survey"),
        "code": {"coding": [{"system": LOINC, "code": "72514-3",
                             "display": "Pain severity - 0-10 verbal numeric rating [Score] - "
                                        "Reported"}],
                 "text": f"Pain 0-10 ({p.context})"},
        "subject": _ref(patient), "effectiveDateTime": _local_iso(p.at, p.tz),
        "valueInteger": int(p.nrs),
        "extension": [{"url": EXT_PAIN_CONTEXT,
                       "valueCoding": {"system": CS_PAIN_CONTEXT, "code": p.context}}],
    }


def _peg_observation(ids: _Ids, p: PainRating, score: float, patient: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation", "id": ids("pain.peg", p.id),
        "status": "final", "category": _category("survey", "Survey"),
        "code": {"coding": [{"system": LOINC, "code": "91147-9", "display": "Mean score [PEG]"}],
                 "text": "PEG mean score (pain, enjoyment of life, general activity; 0-10)"},
        "subject": _ref(patient), "effectiveDateTime": _local_iso(p.at, p.tz),
        "valueQuantity": {"value": _round(score), "unit": "{score}", "system": UCUM,
                          "code": "{score}"},
    }


def diary_questionnaire() -> dict[str, Any]:
    """The Questionnaire the diary responses answer (CSD core items plus nightleaf's extras)."""
    items = []
    for link, text, kind, _ in DIARY_ITEMS:
        item: dict[str, Any] = {"linkId": link, "text": text, "type": kind}
        if kind == "choice":
            item["answerOption"] = [{"valueCoding": {"system": CS_QUALITY, "code": str(k),
                                                     "display": v}} for k, v in QUALITY.items()]
        items.append(item)
    return {
        "resourceType": "Questionnaire", "id": "nightleaf-csd-core", "url": Q_DIARY,
        "name": "NightleafSleepDiary", "title": "Sleep diary (Consensus Sleep Diary core items)",
        "status": "active",
        "description": "Items of the Consensus Sleep Diary (Carney et al., SLEEP 2012;35(2):287-302, "
                       "doi:10.5665/sleep.1642) as asked by nightleaf, with optional expanded items.",
        "item": items,
    }


def _diary_response(ids: _Ids, s: SleepEntry, patient: str) -> dict[str, Any]:
    items = []
    for link, text, kind, attr in DIARY_ITEMS:
        v = getattr(s, attr)
        if v is None:
            continue
        if kind == "dateTime":
            ans: dict[str, Any] = {"valueDateTime": _local_iso(v, s.tz)}
        elif kind == "decimal":
            ans = {"valueDecimal": _round(v)}
        elif kind == "integer":
            ans = {"valueInteger": int(v)}
        elif kind == "choice":
            ans = {"valueCoding": {"system": CS_QUALITY, "code": str(v),
                                   "display": QUALITY.get(int(v), str(v))}}
        else:
            ans = {"valueString": str(v)}
        items.append({"linkId": link, "text": text, "answer": [ans]})
    res: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse", "id": ids("diary", s.night.isoformat()),
        "questionnaire": Q_DIARY, "status": "completed", "subject": _ref(patient),
        "source": _ref(patient), "item": items,
    }
    when = s.out_of_bed or s.final_awakening
    if when is not None:  # the diary is filled in on getting up; the app keeps no entry time
        res["authored"] = _local_iso(when, s.tz)
    return res


def build_bundle(
    j: Journal,
    *,
    nightly: Mapping[date, NightSleep],
    peg: Mapping[int, float] | None = None,
    include_name: bool = False,
    person_id: int = 1,
) -> dict[str, Any]:
    """The whole journal as a FHIR R4 collection Bundle (a JSON-ready dict).

    ``nightly`` maps each diary night to its metrics (from :mod:`nightleaf.sleep.diary`);
    ``peg`` maps a pain rating's id to its PEG mean score (from :mod:`nightleaf.pain.peg`).
    """
    ns = journal_namespace(j, person_id)
    ids = _Ids(ns)
    patient = _patient(ids, j, include_name, person_id)
    pref = f"urn:uuid:{patient['id']}"
    products = {p.id: p for p in j.products if p.id is not None}
    batches = {b.id: b for b in j.batches if b.id is not None}
    resources: list[dict[str, Any]] = [patient]
    resources += [_condition(ids, c, pref) for c in j.conditions]
    resources += [_medicine(ids, m, pref) for m in j.medicines]
    resources += [_intake(ids, i, pref, products, batches) for i in j.intakes]
    for s in j.sleep:
        m = nightly.get(s.night)
        if m is not None:
            resources += _sleep_observations(ids, s, m, pref)
    resources += [r for ep in j.episodes if (r := _episode_observation(ids, ep, pref))]
    resources += [_pain_observation(ids, p, pref) for p in j.pain]
    for p in j.pain:
        if peg and p.id is not None and p.id in peg:
            resources.append(_peg_observation(ids, p, peg[p.id], pref))
    if j.sleep:
        resources.append(diary_questionnaire())
        resources += [_diary_response(ids, s, pref) for s in j.sleep]
    return {
        "resourceType": "Bundle", "id": str(uuid.uuid5(ns, "bundle")), "type": "collection",
        "meta": {"tag": [{"system": f"{LOCAL}/CodeSystem/origin", "code": "patient-reported",
                          "display": "Self-kept journal (nightleaf); values as entered"}]},
        "entry": [_entry(r) for r in resources],
    }


def parse_bundle(data: dict[str, Any] | str | bytes) -> Any:
    """Validate ``data`` as an R4 Bundle with ``fhir.resources.R4B``; raise FormatError if not."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        if isinstance(data, dict):
            return Bundle.model_validate(data)
        return Bundle.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise FormatError(f"not a valid FHIR R4 Bundle: {where}: {first.get('msg')}") from None


def bundle_bytes(bundle: dict[str, Any]) -> bytes:
    """Validate ``bundle``, then return it as UTF-8 JSON (FormatError if it is not valid)."""
    parse_bundle(bundle)
    return (json.dumps(bundle, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
            ).encode("utf-8")


def resource_counts(bundle: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in bundle.get("entry", []):
        t = e["resource"]["resourceType"]
        out[t] = out.get(t, 0) + 1
    return dict(sorted(out.items()))


def resources_of(bundle: dict[str, Any], kind: str) -> Iterable[dict[str, Any]]:
    return (e["resource"] for e in bundle.get("entry", []) if e["resource"]["resourceType"] == kind)


__all__: Sequence[str] = (
    "build_bundle", "parse_bundle", "bundle_bytes", "resource_counts", "resources_of",
    "diary_questionnaire", "journal_namespace", "LOCAL", "LOINC",
)
