"""Response schemas derived from the domain's dataclasses, so the API documents exactly what
:func:`nightleaf.model.plain.to_plain` produces and cannot drift from the model.

``plain_model(Intake)`` is a pydantic model named ``Intake`` with one required field per
dataclass field (plus the names in ``__json_extra__``), typed as ``to_plain`` writes them:
nested dataclasses become their own named schemas, tuples and lists become arrays, mapping keys
strings, dates and instants ISO 8601 strings (``date``/``date-time``), clock times ``HH:MM:SS``
strings. Unknown keys are not allowed (``additionalProperties: false``), so a field added to a
dataclass and not to the schema cannot exist: the schema is the dataclass.
"""

from __future__ import annotations

import collections.abc as cabc
import dataclasses
import inspect
import sys
import types
import typing
from datetime import date, datetime, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

_MODELS: dict[type, type[BaseModel]] = {}
_NAMES: dict[str, type] = {}


class PlainModel(BaseModel):
    model_config = ConfigDict(extra="forbid", protected_namespaces=())


def _namespace(cls: type) -> dict[str, Any]:
    ns: dict[str, Any] = dict(vars(sys.modules[cls.__module__]))
    ns.setdefault("date", date)
    ns.setdefault("datetime", datetime)
    ns.setdefault("time", time)
    return ns


def _resolve(annotation: Any, ns: dict[str, Any], where: str) -> Any:
    if not isinstance(annotation, str):
        return annotation
    try:
        return eval(annotation, ns)  # noqa: S307  (our own modules' annotations)
    except NameError as exc:  # e.g. a name imported only for type checking
        raise TypeError(f"cannot derive a response schema: {where} is annotated {annotation!r} "
                        f"and {exc}; import that name at run time in its module") from None


def _convert(tp: Any) -> Any:
    if tp is Any or tp is None or tp is type(None):
        return tp
    if tp in (str, int, bool):
        return tp
    if tp is float:
        return float
    if tp is datetime:
        return datetime
    if tp is date:
        return date
    if tp is time:
        return typing.Annotated[str, Field(pattern=r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
                                           json_schema_extra={"format": "partial-time"})]
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return plain_model(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        converted = tuple(_convert(a) for a in args)
        return typing.Union[converted]  # noqa: UP007  (built from a tuple)
    if origin is Literal:
        return tp
    if origin in (list, tuple, set, frozenset, cabc.Sequence, cabc.Iterable, cabc.Set):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            items = {_convert(a) for a in args} if args else {Any}
            return list[typing.Union[tuple(items)]]  # type: ignore[misc]  # noqa: UP007
        return list[_convert(args[0]) if args else Any]  # type: ignore[misc]
    if origin in (dict, cabc.Mapping):
        return dict[str, _convert(args[1]) if len(args) == 2 else Any]  # type: ignore[misc]
    if isinstance(tp, type) and issubclass(tp, str | int | float):
        return tp
    return Any


def _name_for(cls: type) -> str:
    name = cls.__name__
    owner = _NAMES.setdefault(name, cls)
    if owner is cls:
        return name
    return cls.__module__.rsplit(".", 1)[-1].title() + name  # e.g. two NightRow types


def plain_model(cls: type) -> type[BaseModel]:
    """The (cached) response schema of the dataclass ``cls`` as ``to_plain`` renders it."""
    model = _MODELS.get(cls)
    if model is not None:
        return model
    ns = _namespace(cls)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        fields[f.name] = (_convert(_resolve(f.type, ns, f"{cls.__name__}.{f.name}")), ...)
    for extra in getattr(cls, "__json_extra__", ()):
        attr = inspect.getattr_static(cls, extra)
        fget = attr.fget if isinstance(attr, property) else None
        ann = inspect.signature(fget).return_annotation if fget else Any
        fields[extra] = (_convert(_resolve(ann, ns, f"{cls.__name__}.{extra}"))
                         if ann is not inspect.Signature.empty
                         else Any, ...)
    doc = inspect.getdoc(cls) or ""
    if doc.startswith(f"{cls.__name__}("):  # dataclass's generated signature: no description
        doc = ""
    model = create_model(_name_for(cls), __base__=PlainModel, __doc__=doc or None, **fields)
    _MODELS[cls] = model
    return model


def schema(name: str, doc: str | None = None, /, **fields: Any) -> type[BaseModel]:
    """A named response schema written for the API: ``schema("NightsOut", night=date, ...)``.

    Each value is a type (the field is required) or ``(type, Field(...))``; types may be
    dataclasses (converted with :func:`plain_model`)."""
    spec: dict[str, Any] = {}
    for key, value in fields.items():
        tp, info = value if isinstance(value, tuple) else (value, ...)
        spec[key] = (_convert(tp), info)
    return create_model(name, __base__=PlainModel, __doc__=doc, **spec)
