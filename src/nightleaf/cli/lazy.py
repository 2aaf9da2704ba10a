"""Modules loaded on first use, so that ``nightleaf --help`` or ``log pain`` never pays for the
libraries of other commands (scipy, matplotlib, FastAPI, lxml...).

``svc = lazy("nightleaf.services.journal")`` binds a stand-in module object; the real module is
imported the first time an attribute is read (``svc.log_pain``). Type checkers see the real
module through an ``if TYPE_CHECKING`` import beside it.
"""

from __future__ import annotations

import importlib
import types
from typing import Any


class _LazyModule(types.ModuleType):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_lazy_target"] = None

    def _load(self) -> types.ModuleType:
        target = self.__dict__["_lazy_target"]
        if target is None:
            target = importlib.import_module(self.__name__)
            self.__dict__["_lazy_target"] = target
        return target  # type: ignore[no-any-return]

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._load(), attr)

    def __repr__(self) -> str:
        loaded = "loaded" if self.__dict__["_lazy_target"] is not None else "not loaded yet"
        return f"<lazy module {self.__name__!r} ({loaded})>"


def lazy(name: str) -> Any:
    """A stand-in for module ``name`` that imports it on first attribute access."""
    return _LazyModule(name)
