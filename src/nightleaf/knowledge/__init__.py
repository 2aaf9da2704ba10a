"""Curated facts as data files plus typed loaders that validate them.

Public API::

    kb = load_knowledge()                 # cached; raises FormatError on bad data
    kb.find_medicine("Xanax")             # MedicineInfo | None
    kb.lookup_medicine("xyz")             # MedicineInfo, or NotFound with closest names
    kb.suggest_medicines("zolpidm")       # ["zolpidem", ...]
    kb.find_condition("sleep apnea")      # ConditionRule | None
    kb.legal_status("US-CA", on=date)     # LegalStatus; InputError for invalid codes
"""

from nightleaf.knowledge.kb import Knowledge, MedicineInfo, unknown_medicine_message
from nightleaf.knowledge.loader import DATA_DIR, load_from, load_knowledge
from nightleaf.knowledge.names import normalise_name
from nightleaf.knowledge.regions import LegalStatus, normalise_code

__all__ = [
    "DATA_DIR", "Knowledge", "LegalStatus", "MedicineInfo", "load_from", "load_knowledge",
    "normalise_code", "normalise_name", "unknown_medicine_message",
]
