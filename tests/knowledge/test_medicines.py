"""Medicine names as people type them -> the highest severity nightleaf records with kratom."""

from __future__ import annotations

import pytest

from nightleaf.errors import NotFound
from nightleaf.knowledge import load_knowledge

CASES = [
    # opioids (brands, generics, misspellings, combinations)
    ("OxyContin", "danger"), ("oxycodone", "danger"), ("oxycodon", "danger"),
    ("Percocet", "danger"), ("percoset", "danger"), ("Vicodin", "danger"), ("Norco", "danger"),
    ("hydrocodone", "danger"), ("morphine", "danger"), ("MS Contin", "danger"),
    ("codeine", "danger"), ("Tylenol #3", "danger"), ("tramadol", "danger"),
    ("Ultram", "danger"), ("tramadole", "danger"), ("fentanyl", "danger"),
    ("Duragesic", "danger"), ("Dilaudid", "danger"), ("methadone", "danger"),
    ("Nucynta", "danger"),
    # partial agonists and antagonists
    ("Suboxone", "warning"), ("buprenorphine", "warning"), ("Subutex", "warning"),
    ("naltrexone", "warning"), ("Vivitrol", "warning"), ("Narcan", "info"),
    ("Kloxxado", "info"), ("naloxone", "info"),
    # benzodiazepines
    ("Xanax", "danger"), ("alprazolan", "danger"), ("xanex", "danger"), ("Klonopin", "danger"),
    ("clonazapam", "danger"), ("Valium", "danger"), ("lorazepam", "danger"),
    ("Ativan", "danger"), ("temazepam", "danger"),
    # z-drugs, gabapentinoids, sleep aids
    ("Ambien", "danger"), ("zolpidem 10 mg", "danger"), ("Lunesta", "danger"),
    ("Belsomra", "warning"), ("suvorexant", "warning"), ("Dayvigo", "warning"),
    ("Quviviq", "warning"),
    ("gabapentin", "danger"), ("Neurontin", "danger"), ("gabapentine", "danger"),
    ("Lyrica", "danger"), ("pregablin", "danger"), ("Benadryl", "warning"),
    ("diphenhydramine", "warning"), ("ZzzQuil", "warning"), ("Unisom SleepTabs", "warning"),
    ("Tylenol PM", "warning"), ("hydroxyzine", "warning"), ("Phenergan", "warning"),
    # muscle relaxants, antidepressants, antipsychotics
    ("Flexeril", "warning"), ("Soma", "warning"), ("tizanidine", "warning"),
    ("trazadone", "warning"), ("trazodone", "warning"), ("Remeron", "warning"),
    ("amitriptyline", "warning"), ("Seroquel", "warning"), ("seroquel xr 50mg", "warning"),
    ("quetiapine", "warning"), ("Zyprexa", "warning"),
    ("Zoloft", "caution"), ("sertraline", "caution"), ("Prozac", "caution"),
    ("Lexapro", "warning"), ("citalopram", "warning"), ("Effexor", "caution"),
    ("Cymbalta", "caution"), ("Nardil", "caution"),
    # stimulants, QT, CYP, liver
    ("Adderall", "caution"), ("adderal", "caution"), ("Ritalin", "caution"),
    ("Vyvanse", "caution"), ("Zithromax", "warning"), ("ondansetron", "warning"),
    ("Imodium", "warning"), ("tacrolimus", "warning"), ("Tegretol", "warning"),
    ("metoprolol", "caution"), ("Tylenol", "caution"), ("paracetamol", "caution"),
    ("acetominophen", "caution"), ("Depakote", "caution"),
    # CYP3A inhibitors and inducers, seizure threshold
    ("rifampin", "warning"), ("rifampicin", "warning"), ("Rifadin", "warning"),
    ("clarithromycin", "warning"), ("Paxlovid", "warning"), ("itraconazole", "warning"),
    ("diltiazem", "warning"), ("grapefruit juice", "warning"), ("Dilantin", "warning"),
    ("St John's wort", "warning"), ("bupropion", "warning"), ("Wellbutrin", "warning"),
    ("Contrave", "warning"),
    # typed substances
    ("alcohol", "danger"), ("beer", "danger"), ("wine", "danger"), ("cannabis", None),
    # dextromethorphan, ketamine, oxybate
    ("Delsym", "danger"), ("NyQuil", "danger"), ("ketamine", "danger"), ("Xyrem", "danger"),
    # known, no class recorded
    ("ibuprofen", None), ("Advil", None), ("Lipitor", None), ("metformin", None),
    ("Claritin", None),
]


def test_table_has_at_least_60_names():
    assert len(CASES) >= 60


@pytest.mark.parametrize(("name", "severity"), CASES)
def test_highest_severity(name, severity):
    info = load_knowledge().find_medicine(name)
    assert info is not None, name
    assert info.severity == severity


def test_lookup_is_case_and_space_insensitive():
    kb = load_knowledge()
    assert kb.find_medicine("  xAnAx  ").name == "alprazolam"
    assert kb.find_medicine("Tylenol-PM").name == "acetaminophen/diphenhydramine"


def _single_medicines(kb):
    return [n for n, (ings, _c) in kb.medicines.items()
            if len(ings) == 1 and n not in kb.substance_names]


def test_at_least_250_medicines_covered():
    kb = load_knowledge()
    meds = _single_medicines(kb)
    assert len(meds) >= 250
    for name in ("suvorexant", "lemborexant", "daridorexant", "rifampin", "ritonavir",
                 "diltiazem", "verapamil", "enzalutamide", "bupropion", "clozapine"):
        assert name in meds, name
    assert not {"alcohol", "grapefruit", "cannabis"} & set(meds)


@pytest.mark.parametrize(("typed", "class_id"), [
    ("rifampin", "cyp3a_inducer"), ("Rifampicin 600 mg", "cyp3a_inducer"),
    ("Tegretol", "cyp3a_inducer"), ("St John's wort", "cyp3a_inducer"),
    ("clarithromycin", "cyp3a_inhibitor"), ("ketoconazole", "cyp3a_inhibitor"),
    ("Paxlovid", "cyp3a_inhibitor"), ("grapefruit juice", "cyp3a_inhibitor"),
    ("bupropion", "seizure_threshold"), ("tramadol", "seizure_threshold"),
    ("amitriptyline", "seizure_threshold"), ("Clozaril", "seizure_threshold"),
    ("suvorexant", "orexin_antagonist"), ("Belsomra", "orexin_antagonist"),
    ("alcohol", "alcohol"), ("Beer", "alcohol"),
    ("hydroxyzine", "qt_prolonging"), ("trazodone", "qt_prolonging"),
    ("nortriptyline", "qt_prolonging"), ("Imodium", "loperamide_pgp"),
    ("Narcan", "naloxone_rescue"), ("Vivitrol", "opioid_antagonist"),
])
def test_typed_name_reaches_its_class(typed, class_id):
    info = load_knowledge().find_medicine(typed)
    assert info is not None, typed
    assert class_id in {c.id for c in info.classes}


def test_carbamazepine_is_an_inducer_not_a_cyp3a4_victim():
    ids = {c.id for c in load_knowledge().find_medicine("carbamazepine").classes}
    assert "cyp3a_inducer" in ids and "cyp3a4_narrow" not in ids


def test_inducer_and_inhibitor_say_what_is_known_and_what_is_not():
    kb = load_knowledge()
    inh, ind = kb.classes["cyp3a_inhibitor"], kb.classes["cyp3a_inducer"]
    assert "raise mitragynine" in inh.mechanism and "unknown" in inh.mechanism
    assert "7-OH" in inh.mechanism and "7-OH" in ind.mechanism
    assert "withdrawal" in ind.mechanism and "unknown" in ind.mechanism
    assert inh.inferred and ind.inferred


def test_naloxone_is_a_rescue_medicine_not_a_warning():
    kb = load_knowledge()
    for name in ("naloxone", "Narcan", "Kloxxado", "Zimhi"):
        info = kb.find_medicine(name)
        assert info is not None and info.name == "naloxone"
        assert info.severity in ("info", "caution")
    rescue = kb.classes["naloxone_rescue"]
    text = f"{rescue.mechanism} {rescue.discuss}".lower()
    assert "overdose" in text and "emergency services" in text and "withdrawal" in text
    assert "before starting" not in text
    assert any("Overbeek" in kb.sources[k].title for k in rescue.sources)


def test_suboxone_does_not_carry_the_rescue_rule():
    info = load_knowledge().find_medicine("Suboxone")
    assert {c.id for c in info.classes} == {"opioid_partial_agonist"}


def test_naltrexone_stays_a_warning_and_cites_the_published_case():
    kb = load_knowledge()
    info = kb.find_medicine("Vivitrol")
    assert info.severity == "warning"
    cls = kb.classes["opioid_antagonist"]
    assert not cls.inferred and "urine" in cls.mechanism
    assert any("PMC10337879" in kb.sources[k].title for k in cls.sources)


def test_alcohol_typed_and_logged_give_the_same_rule():
    kb = load_knowledge()
    cls = kb.classes["alcohol"]
    assert (cls.severity, cls.mechanism, tuple(cls.sources)) == (
        kb.patterns.alcohol.severity, kb.patterns.alcohol.explanation,
        tuple(kb.patterns.alcohol.sources))


def test_gabapentinoids_cite_the_fda_warning_and_say_they_are_inferred():
    kb = load_knowledge()
    cls = kb.classes["gabapentinoid"]
    assert cls.inferred and "S26-FDA-GABA2019" in cls.sources
    assert kb.classes["sedating_antihistamine"].inferred


def test_z_drug_and_orexin_severities_say_why():
    kb = load_knowledge()
    z, orx = kb.classes["z_drug"], kb.classes["orexin_antagonist"]
    assert z.severity == "danger" and "CYP3A4" in z.mechanism and "benzodiazepines" in z.mechanism
    assert orx.severity == "warning" and "CYP3A" in orx.mechanism and "not a danger" in orx.mechanism


def test_unknown_medicine_message_names_closest():
    kb = load_knowledge()
    assert kb.find_medicine("zolpidm") is None
    with pytest.raises(NotFound) as exc:
        kb.lookup_medicine("zolpidm")
    assert "unknown" in exc.value.message and "zolpidem" in exc.value.message


def test_unknown_medicine_without_close_names_still_says_so():
    with pytest.raises(NotFound) as exc:
        load_knowledge().lookup_medicine("qqqqqqqq")
    assert "not in nightleaf's medicine list" in exc.value.message
