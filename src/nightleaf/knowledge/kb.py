"""The loaded knowledge base: validated entries plus lookup indexes.

Build it with :func:`nightleaf.knowledge.load_knowledge`; this module holds no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from typing import Any

from nightleaf.errors import FormatError, NotFound
from nightleaf.knowledge.names import normalise_name
from nightleaf.knowledge.regions import LegalStatus, legal_status
from nightleaf.knowledge.schema import (
    ConditionRule,
    ConditionsFile,
    InteractionClass,
    InteractionsFile,
    LegalFile,
    LocalityEntry,
    MedicinesFile,
    PatternsFile,
    ProductRule,
    ProductsFile,
    RegionEntry,
    SourceRef,
    SourcesFile,
    SynonymsFile,
)
from nightleaf.model.finding import SEVERITIES, Source

#: how a typed name matched: the generic name, a brand/other name, a known misspelling, or a
#: synonym from the generated list
MATCH_KINDS = ("generic", "brand", "misspelling", "synonym", "combination")


@dataclass(frozen=True)
class MedicineInfo:
    """What nightleaf knows about one medicine name."""

    query: str
    name: str  # canonical generic (or combination) name
    matched_as: str  # one of MATCH_KINDS
    ingredients: tuple[str, ...]
    classes: tuple[InteractionClass, ...]
    medlineplus_url: str | None = None

    @property
    def severity(self) -> str | None:
        """The highest severity among the classes, or None when no class is recorded."""
        if not self.classes:
            return None
        return max((c.severity for c in self.classes), key=SEVERITIES.index)


@lru_cache(maxsize=1024)
def _alias_words(alias: str) -> str:
    """A condition alias normalised, between spaces (aliases come from the knowledge files, a
    fixed set: normalised once, not on every safety check)."""
    return f" {normalise_name(alias)} "


@dataclass
class Knowledge:
    sources: dict[str, SourceRef]
    classes: dict[str, InteractionClass]
    medicines: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # name -> (ingredients, classes)
    name_index: dict[str, tuple[str, str]]  # normalised name -> (canonical name, match kind)
    medlineplus: dict[str, str]
    conditions: tuple[ConditionRule, ...]
    product_rules: dict[str, ProductRule]
    patterns: PatternsFile
    regions: dict[str, RegionEntry]
    localities: dict[str, tuple[LocalityEntry, ...]]
    versions: dict[str, int] = field(default_factory=dict)
    #: names in ``medicines`` that are substances (alcohol, grapefruit...), not medicines
    substance_names: frozenset[str] = frozenset()
    _choices: list[str] = field(default_factory=list, repr=False)

    # ---------------------------------------------------------------- building
    @classmethod
    def build(
        cls,
        *,
        sources: SourcesFile,
        interactions: InteractionsFile,
        medicines: MedicinesFile,
        synonyms: SynonymsFile,
        conditions: ConditionsFile,
        products: ProductsFile,
        patterns: PatternsFile,
        legal: LegalFile,
    ) -> Knowledge:
        srcs = sources.sources

        def check_sources(where: str, keys: list[str]) -> None:
            for k in keys:
                if k not in srcs:
                    raise FormatError(
                        f"knowledge: {where} cites source {k!r}, which is not in sources.toml"
                    )

        classes: dict[str, InteractionClass] = {}
        for c in interactions.class_:
            if c.id in classes or c.id == ALCOHOL_CLASS:
                raise FormatError(f"knowledge: interaction class {c.id!r} is defined twice"
                                  + (" (it is built from patterns.toml [alcohol])"
                                     if c.id == ALCOHOL_CLASS else ""))
            check_sources(f"interaction class {c.id}", c.sources)
            classes[c.id] = c
        classes[ALCOHOL_CLASS] = alcohol_class(patterns)

        meds: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        index: dict[str, tuple[str, str]] = {}

        def add(alias: str, target: str, kind: str) -> None:
            key = normalise_name(alias)
            if not key:
                return
            prev = index.get(key)
            if prev is not None and prev[0] != target:
                if kind == "synonym":  # generated synonyms never override curated names
                    return
                if prev[1] != "synonym":
                    raise FormatError(
                        f"knowledge: the name {alias!r} is given to both {prev[0]!r} and "
                        f"{target!r} in medicines.toml"
                    )
            if prev is None or prev[1] == "synonym" or MATCH_KINDS.index(kind) < MATCH_KINDS.index(
                prev[1]
            ):
                index[key] = (target, kind)

        for m in [*medicines.medicine, *medicines.substance]:
            if m.name in meds:
                raise FormatError(f"knowledge: medicine {m.name!r} is listed twice")
            check_sources(f"medicine {m.name}", m.sources)
            for class_id in m.classes:
                if class_id not in classes:
                    raise FormatError(
                        f"knowledge: medicine {m.name!r} names class {class_id!r}, which is not in "
                        "interactions.toml"
                    )
            meds[m.name] = ((m.name,), tuple(m.classes))
        for m in [*medicines.medicine, *medicines.substance]:
            add(m.name, m.name, "generic")
            for b in m.brands:
                add(b, m.name, "brand")
            for s in m.misspellings:
                add(s, m.name, "misspelling")
        for combo in medicines.combination:
            check_sources(f"combination {combo.name}", combo.sources)
            cl: list[str] = []
            for ing in combo.ingredients:
                if ing not in meds:
                    raise FormatError(
                        f"knowledge: combination {combo.name!r} names ingredient {ing!r}, which "
                        "is not a medicine in medicines.toml"
                    )
                cl.extend(c for c in meds[ing][1] if c not in cl)
            for left_out in combo.without_classes:
                if left_out not in cl:
                    raise FormatError(
                        f"knowledge: combination {combo.name!r} leaves out class {left_out!r}, "
                        "which none of its ingredients has"
                    )
            cl = [k for k in cl if k not in combo.without_classes]
            meds[combo.name] = (tuple(combo.ingredients), tuple(cl))
            add(combo.name, combo.name, "combination")
            for b in combo.brands:
                add(b, combo.name, "brand")
            for s in combo.misspellings:
                add(s, combo.name, "misspelling")
        check_sources("medicine_synonyms.toml", synonyms.sources)
        for name, syns in synonyms.synonyms.items():
            if name not in meds:
                raise FormatError(
                    f"knowledge: medicine_synonyms.toml lists {name!r}, which is not in "
                    "medicines.toml; re-run tools/gen_medicine_synonyms.py"
                )
            for s in syns:
                add(s, name, "synonym")

        for cond in conditions.condition:
            check_sources(f"condition {cond.id}", cond.sources)
        prules: dict[str, ProductRule] = {}
        for r in products.rule:
            check_sources(f"product rule {r.id}", r.sources)
            prules[r.id] = r
        for pname in ("seven_oh_share", "seven_oh_weight", "seven_oh_product",
                      "concentrated_extract", "no_lab_results", "contaminant_failed"):
            if pname not in prules:
                raise FormatError(f"knowledge: products.toml has no rule {pname!r}")
        for f in fields(patterns):
            entry: Any = getattr(patterns, f.name)
            if hasattr(entry, "sources"):
                check_sources(f"patterns.{f.name}", entry.sources)

        regions: dict[str, RegionEntry] = {}
        for reg in legal.region:
            if reg.code in regions:
                raise FormatError(f"knowledge: legal.toml lists region {reg.code} twice")
            check_sources(f"legal region {reg.code}", reg.sources)
            regions[reg.code] = reg
        locs: dict[str, list[LocalityEntry]] = {}
        for loc in legal.locality:
            check_sources(f"legal locality {loc.name}", loc.sources)
            locs.setdefault(loc.region, []).append(loc)

        kb = cls(
            sources=srcs,
            classes=classes,
            medicines=meds,
            name_index=index,
            medlineplus=dict(synonyms.medlineplus),
            conditions=tuple(conditions.condition),
            product_rules=prules,
            patterns=patterns,
            regions=regions,
            localities={k: tuple(v) for k, v in locs.items()},
            substance_names=frozenset(m.name for m in medicines.substance),
            versions={
                "sources": sources.version, "interactions": interactions.version,
                "medicines": medicines.version, "synonyms": synonyms.version,
                "conditions": conditions.version, "products": products.version,
                "patterns": patterns.version, "legal": legal.version,
            },
        )
        kb._choices = list(index)
        return kb

    # ---------------------------------------------------------------- citations
    def cite(self, keys: list[str] | tuple[str, ...]) -> tuple[Source, ...]:
        """Turn source keys into :class:`Source` citations (keys were checked at load)."""
        out: list[Source] = []
        for k in keys:
            ref = self.sources[k]
            s = Source(title=ref.title, url=ref.url)
            if s not in out:
                out.append(s)
        return tuple(out)

    # ---------------------------------------------------------------- medicines
    def find_medicine(self, name: str) -> MedicineInfo | None:
        """Look a typed medicine name up (generic, brand, misspelling; case and spacing do not
        matter). ``None`` when nightleaf does not know the name."""
        hit = self.name_index.get(normalise_name(name))
        if hit is None:
            return None
        canonical, kind = hit
        ingredients, class_ids = self.medicines[canonical]
        mp = self.medlineplus.get(canonical)
        return MedicineInfo(
            query=name,
            name=canonical,
            matched_as=kind,
            ingredients=ingredients,
            classes=tuple(self.classes[c] for c in class_ids),
            medlineplus_url=f"https://medlineplus.gov/druginfo/meds/{mp}.html" if mp else None,
        )

    def suggest_medicines(self, name: str, limit: int = 3) -> list[str]:
        """Closest known names to ``name`` (rapidfuzz), best first, as canonical names with the
        matched alias, e.g. ``"zolpidem (Ambien)"`` -> ``["zolpidem"]``."""
        from rapidfuzz import fuzz, process

        key = normalise_name(name)
        if not key:
            return []
        found = process.extract(key, self._choices, scorer=fuzz.ratio, limit=limit * 4,
                                score_cutoff=70)
        out: list[str] = []
        for alias, _score, _i in found:
            canonical = self.name_index[alias][0]
            label = canonical if alias == canonical else f"{canonical} ({alias})"
            if canonical not in [o.split(" (")[0] for o in out]:
                out.append(label)
            if len(out) == limit:
                break
        return out

    def lookup_medicine(self, name: str) -> MedicineInfo:
        """Like :meth:`find_medicine` but raises :class:`NotFound` with suggestions."""
        info = self.find_medicine(name)
        if info is not None:
            return info
        raise NotFound(unknown_medicine_message(name, self.suggest_medicines(name)))

    # ---------------------------------------------------------------- conditions
    def find_condition(self, name: str) -> ConditionRule | None:
        """Match a typed condition to a condition rule by its aliases (whole words)."""
        key = f" {normalise_name(name)} "
        best: tuple[int, ConditionRule] | None = None
        for cond in self.conditions:
            for alias in cond.aliases:
                a = _alias_words(alias)
                if a in key and (best is None or len(a) > best[0]):
                    best = (len(a), cond)
        return best[1] if best else None

    # ---------------------------------------------------------------- legal
    def legal_status(self, code: str, on: date) -> LegalStatus:
        return legal_status(self, code, on)


#: the interaction class for alcohol typed as a name ("beer", "wine"): built from the night rule
#: ``patterns.toml [alcohol]`` so that ``nightleaf interactions alcohol`` and the alcohol finding
#: for a logged drink can never disagree
ALCOHOL_CLASS = "alcohol"


def alcohol_class(patterns: PatternsFile) -> InteractionClass:
    rule = patterns.alcohol
    return InteractionClass(
        id=ALCOHOL_CLASS, label="alcohol (beer, wine, spirits)", severity=rule.severity,
        inferred=False, mechanism=rule.explanation, discuss=rule.discuss,
        sources=list(rule.sources), as_of=rule.as_of,
    )


def unknown_medicine_message(name: str, suggestions: list[str]) -> str:
    closest = (
        f"; closest known names: {', '.join(suggestions)}" if suggestions
        else "; no close name is known either"
    )
    return (
        f"{name!r} is not in nightleaf's medicine list, so what it does with kratom is unknown "
        f"here{closest}. Ask a pharmacist about it and kratom."
    )

