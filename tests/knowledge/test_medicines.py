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
    ("naltrexone", "warning"), ("Vivitrol", "warning"), ("Narcan", "warning"),
    # benzodiazepines
    ("Xanax", "danger"), ("alprazolan", "danger"), ("xanex", "danger"), ("Klonopin", "danger"),
    ("clonazapam", "danger"), ("Valium", "danger"), ("lorazepam", "danger"),
    ("Ativan", "danger"), ("temazepam", "danger"),
    # z-drugs, gabapentinoids, sleep aids
    ("Ambien", "warning"), ("zolpidem 10 mg", "warning"), ("Lunesta", "warning"),
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


def test_at_least_150_medicines_covered():
    kb = load_knowledge()
    assert sum(1 for _, (ings, _c) in kb.medicines.items() if len(ings) == 1) >= 150


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
