"""Load the knowledge files once, validate them, and build the lookup indexes.

Validation is pydantic's (the shapes in :mod:`nightleaf.knowledge.schema`). Importing pydantic
and building its validators costs more than the load itself, so files whose exact content has
already passed validation are trusted: ``data/validated.json`` (committed, packaged)
records the SHA-256 of every data file and of ``schema.py`` as they were when
``python tools/validate_knowledge.py`` last validated them. When the files and the schema in
hand match it byte for byte, the objects are built straight from the parsed TOML, without
pydantic; on any difference (an edited byte, a changed schema, no manifest) every file is
validated in full, with the same errors. ``tests/knowledge/test_manifest.py`` fails when the
manifest is stale and checks that both paths build equal objects.

>>> kb = load_knowledge()
>>> kb.find_medicine("Xanax").name
'alprazolam'
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tomllib
import types
import typing
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from nightleaf.errors import FormatError
from nightleaf.knowledge import schema
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
MANIFEST = DATA_DIR / "validated.json"  # packaged with the data; never read from elsewhere
FILES: dict[str, type[Any]] = {
    "sources.toml": SourcesFile,
    "interactions.toml": InteractionsFile,
    "medicines.toml": MedicinesFile,
    "medicine_synonyms.toml": SynonymsFile,
    "conditions.toml": ConditionsFile,
    "products.toml": ProductsFile,
    "patterns.toml": PatternsFile,
    "legal.toml": LegalFile,
}


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise FormatError(f"knowledge file {path.name} is missing from {path.parent}") from None
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(f"knowledge file {path.name} is not valid TOML: {exc}") from None


#: pydantic words a few errors differently for dataclasses than it did for the BaseModels these
#: shapes once were; the messages people see stay the same
_MESSAGES = {
    "unexpected_keyword_argument": "Extra inputs are not permitted",
}


def _validate(name: str, model: type[Any], raw: dict[str, Any]) -> Any:
    from pydantic import TypeAdapter, ValidationError  # slow path only

    try:
        return TypeAdapter(model).validate_python(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        msg = _MESSAGES.get(first["type"], first["msg"]).replace(
            "should be a dictionary or an instance of", "should be a valid dictionary or instance of")
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise FormatError(
            f"knowledge file {name}: {where}: {msg}{more}; fix the entry and reload"
        ) from None


# ------------------------------------------------------------------ the trusted (fast) path
@cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(tp: Any, value: Any) -> Any:
    """Construct ``tp`` from already-validated TOML data, as pydantic would have."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        cls: Any = tp
        hints = _hints(cls)
        return cls(**{f.name: _build(hints[f.name], value[f.name.rstrip("_")])
                     for f in dataclasses.fields(tp) if f.name.rstrip("_") in value})
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_build(item, v) for v in value]
    if origin is tuple:
        return tuple(_build(typing.get_args(tp)[0], v) for v in value)
    if origin is dict:
        item = typing.get_args(tp)[1]
        return {k: _build(item, v) for k, v in value.items()}
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (arm,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(arm, value)
    if tp is float:
        return float(value)  # pydantic turns a TOML integer into a float for a float field
    return value


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _schema_digest() -> str | None:
    try:
        return _digest(Path(schema.__file__).read_bytes())
    except OSError:  # e.g. a bytecode-only install: no trust, validate everything
        return None


def manifest(contents: dict[str, bytes]) -> dict[str, Any]:
    """The manifest vouching for ``contents`` (file name -> bytes) and the current schema."""
    return {"schema.py": _schema_digest(),
            "files": {n: _digest(contents[n]) for n in sorted(contents)}}


def _trusted(contents: dict[str, bytes]) -> bool:
    try:
        known = json.loads(MANIFEST.read_bytes())
    except (OSError, ValueError):
        return False
    current = manifest(contents)
    return current["schema.py"] is not None and known == current


def _contents(directory: Path) -> dict[str, bytes] | None:
    try:
        return {n: (directory / n).read_bytes() for n in FILES}
    except OSError:
        return None


# ------------------------------------------------------------------ loading
def load_from(directory: Path, *, trust_manifest: bool = True) -> Knowledge:
    """Load and validate every knowledge file in ``directory`` (no caching).

    Files identical to the validated ones recorded in ``validated.json`` are not validated again
    unless ``trust_manifest`` is false; the cross-checks between files always run."""
    contents = _contents(directory) if trust_manifest else None
    if contents is not None and _trusted(contents):
        parsed = {n: _build(model, tomllib.loads(contents[n].decode("utf-8")))
                  for n, model in FILES.items()}
    else:  # file by file, so that the first problem is reported as before
        parsed = {n: _validate(n, model, _read(directory / n)) for n, model in FILES.items()}
    return Knowledge.build(
        sources=parsed["sources.toml"],
        interactions=parsed["interactions.toml"],
        medicines=parsed["medicines.toml"],
        synonyms=parsed["medicine_synonyms.toml"],
        conditions=parsed["conditions.toml"],
        products=parsed["products.toml"],
        patterns=parsed["patterns.toml"],
        legal=parsed["legal.toml"],
    )


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """The packaged knowledge base, loaded and validated once per process."""
    return load_from(DATA_DIR)


def write_manifest(directory: Path = DATA_DIR) -> dict[str, Any]:
    """Validate ``directory`` in full and record it as known-good in ``validated.json``."""
    load_from(directory, trust_manifest=False)  # raises FormatError: nothing is recorded
    m = manifest({n: (directory / n).read_bytes() for n in FILES})
    MANIFEST.write_text(json.dumps(m, indent=2) + "\n", encoding="utf-8")
    return m
