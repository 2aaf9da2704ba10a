"""Cited facts for the evening plan: sleep-hygiene routine items and the onset/peak line.

Data: ``data/sleep_hygiene.toml`` and ``data/onset.toml``; every entry names its ``sources`` and
``as_of``. A bad file raises :class:`~nightleaf.errors.FormatError`.

>>> [i.key for i in sleep_hygiene().items][:2]
['fixed-wake', 'no-late-caffeine']
>>> onset_facts().peak.sources
('A3', 'A4', 'A5')
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from nightleaf.errors import FormatError
from nightleaf.model.finding import Source

DATA_DIR = Path(__file__).resolve().parent / "data"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Ref(_Frozen):
    title: str
    url: str | None = None
    original: str | None = None  # where the text first appeared, when `url` is a copy

    def source(self) -> Source:
        return Source(self.title, self.url)


class HygieneItem(_Frozen):
    key: str
    text: str = Field(min_length=1, max_length=200)
    minutes_before_bed: int | None = Field(default=None, ge=0, le=240)
    source_says: tuple[str, ...]
    sources: tuple[str, ...] = Field(min_length=1)
    as_of: str


class Fact(_Frozen):
    text: str
    sources: tuple[str, ...]
    as_of: str


class _Cited(_Frozen):
    version: int
    as_of: str
    sources: dict[str, Ref]

    def cite(self, keys: tuple[str, ...]) -> tuple[Source, ...]:
        return tuple(self.sources[k].source() for k in keys)

    def _check_keys(self, used: list[tuple[str, ...]]) -> None:
        for keys in used:
            missing = [k for k in keys if k not in self.sources]
            if missing:
                raise ValueError(f"cites unknown source {missing[0]!r}")


class SleepHygiene(_Cited):
    items: tuple[HygieneItem, ...] = Field(alias="item", min_length=1)

    @model_validator(mode="after")
    def _keys_resolve(self) -> SleepHygiene:
        self._check_keys([i.sources for i in self.items])
        return self

    def by_text(self, text: str) -> HygieneItem | None:
        t = text.strip().lower()
        return next((i for i in self.items if i.text.lower() == t), None)


class OnsetFacts(_Cited):
    onset: Fact
    peak: Fact
    unknown: Fact

    @model_validator(mode="after")
    def _keys_resolve(self) -> OnsetFacts:
        self._check_keys([self.onset.sources, self.peak.sources, self.unknown.sources])
        return self


def _load(path: Path, model: type[_Cited]) -> Any:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FormatError(f"knowledge file {path.name} is missing from {path.parent}") from None
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(f"knowledge file {path.name} is not valid TOML: {exc}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FormatError(f"knowledge file {path.name}: {where}: {first['msg']}") from None


@lru_cache(maxsize=4)
def sleep_hygiene(data_dir: Path = DATA_DIR) -> SleepHygiene:
    result: SleepHygiene = _load(data_dir / "sleep_hygiene.toml", SleepHygiene)
    return result


@lru_cache(maxsize=4)
def onset_facts(data_dir: Path = DATA_DIR) -> OnsetFacts:
    result: OnsetFacts = _load(data_dir / "onset.toml", OnsetFacts)
    return result
