"""The known-good manifest: exact, current, and never a way around validation."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from nightleaf.errors import FormatError
from nightleaf.knowledge import DATA_DIR, load_from, loader


def _on_disk() -> dict[str, bytes]:
    return {n: (DATA_DIR / n).read_bytes() for n in loader.FILES}


def test_manifest_matches_the_data_and_the_schema():
    load_from(DATA_DIR, trust_manifest=False)  # the files pass full validation...
    committed = json.loads(loader.MANIFEST.read_text(encoding="utf-8"))
    # ...and the manifest vouches for exactly these bytes under exactly this schema
    assert committed == loader.manifest(_on_disk()), (
        "knowledge data or schema changed: run PYTHONPATH=src python tools/validate_knowledge.py")


def test_trusted_load_builds_what_validation_builds(monkeypatch):
    slow = load_from(DATA_DIR, trust_manifest=False)

    def no_pydantic(*_a: object) -> None:
        raise AssertionError("validated although the files are known-good")

    monkeypatch.setattr(loader, "_validate", no_pydantic)
    fast = load_from(DATA_DIR)
    for f in fields(slow):  # repr tells 5 from 5.0 and a list from a tuple
        assert repr(getattr(fast, f.name)) == repr(getattr(slow, f.name)), f.name


def _spy(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = loader._validate

    def spy(name, model, raw):
        seen.append(name)
        return real(name, model, raw)

    monkeypatch.setattr(loader, "_validate", spy)
    return seen


def test_a_changed_byte_means_full_validation(tmp_path: Path, monkeypatch):
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR, d)
    seen = _spy(monkeypatch)
    load_from(d)  # same bytes elsewhere: trusted
    assert seen == []
    p = d / "patterns.toml"
    p.write_bytes(p.read_bytes() + b"\n# a comment\n")
    load_from(d)
    assert seen == list(loader.FILES)


def test_a_changed_schema_means_full_validation(monkeypatch):
    seen = _spy(monkeypatch)
    monkeypatch.setattr(loader, "_schema_digest", lambda: "0" * 64)
    load_from(DATA_DIR)
    assert seen == list(loader.FILES)


def test_an_unreadable_manifest_means_full_validation(tmp_path: Path, monkeypatch):
    seen = _spy(monkeypatch)
    monkeypatch.setattr(loader, "MANIFEST", tmp_path / "missing.json")
    load_from(DATA_DIR)
    assert seen == list(loader.FILES)


def test_an_edited_file_is_still_rejected(tmp_path: Path):
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR, d)
    p = d / "products.toml"
    p.write_text(p.read_text(encoding="utf-8").replace("[[rule]]\n", "[[rule]]\nbogus = 1\n", 1),
                 encoding="utf-8")
    with pytest.raises(FormatError, match=r"products\.toml: rule\.0\.bogus: Extra inputs are not "
                                          r"permitted; fix"):
        load_from(d)


def test_the_fast_path_does_not_import_pydantic():
    code = ("import sys; from nightleaf.knowledge import load_knowledge; load_knowledge(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pydantic', 'pydantic_core', 'annotated_types')))")
    src = str(Path(loader.__file__).resolve().parents[2])  # this checkout, not an installed copy
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": src}).stdout
    assert out.strip() == "[]"
