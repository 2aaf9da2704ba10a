"""Load the knowledge files once, validate them, and build the lookup indexes.

>>> kb = load_knowledge()
>>> kb.find_medicine("Xanax").name
'alprazolam'
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from nightleaf.errors import FormatError
from nightleaf.knowledge.kb import Knowledge
from nightleaf.knowledge.schema import (
    ConditionsFile,
    InteractionsFile,
    LegalFile,
    MedicinesFile,
    PatternsFile,
    ProductsFile,
    SourcesFile,
    SynonymsFile,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES: dict[str, type[BaseModel]] = {
    "sources.toml": SourcesFile,
    "interactions.toml": InteractionsFile,
    "medicines.toml": MedicinesFile,
    "medicine_synonyms.toml": SynonymsFile,
    "conditions.toml": ConditionsFile,
    "products.toml": ProductsFile,
    "patterns.toml": PatternsFile,
    "legal.toml": LegalFile,
}
M = TypeVar("M", bound=BaseModel)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise FormatError(f"knowledge file {path.name} is missing from {path.parent}") from None
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(f"knowledge file {path.name} is not valid TOML: {exc}") from None


def _validate(name: str, model: type[M], raw: dict[str, Any]) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise FormatError(
            f"knowledge file {name}: {where}: {first['msg']}{more}; fix the entry and reload"
        ) from None


def load_from(directory: Path) -> Knowledge:
    """Load and validate every knowledge file in ``directory`` (no caching)."""
    parsed = {n: _validate(n, model, _read(directory / n)) for n, model in FILES.items()}
    return Knowledge.build(
        sources=parsed["sources.toml"],  # type: ignore[arg-type]
        interactions=parsed["interactions.toml"],  # type: ignore[arg-type]
        medicines=parsed["medicines.toml"],  # type: ignore[arg-type]
        synonyms=parsed["medicine_synonyms.toml"],  # type: ignore[arg-type]
        conditions=parsed["conditions.toml"],  # type: ignore[arg-type]
        products=parsed["products.toml"],  # type: ignore[arg-type]
        patterns=parsed["patterns.toml"],  # type: ignore[arg-type]
        legal=parsed["legal.toml"],  # type: ignore[arg-type]
    )


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """The packaged knowledge base, loaded and validated once per process."""
    return load_from(DATA_DIR)
