"""The one place a person's strings become typed values.

Every parser reads ASCII only (``"³".isdigit()`` is true, ``int("³")`` fails), names the
problem by the input's stable field id (see :mod:`nightleaf.services.inputs`) and a code, and
raises nothing but :class:`~nightleaf.errors.InputError`. :class:`Fields` collects the problems
of a whole form so a page can show each one beside its input; messages name no shell (no CLI
flag, no web label) — each shell adds its own wording from the field id and the code.

>>> number("2,5", "sol")
2.5
>>> whole("³", "days")
Traceback (most recent call last):
...
nightleaf.errors.InputError: must be a whole number (got '³')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from nightleaf.errors import FieldError, InputError
from nightleaf.model import clock

if TYPE_CHECKING:
    from nightleaf.services.context import Context

T = TypeVar("T")

#: how far into the future an entry may be dated (clock skew, typing "now" a bit late)
FUTURE_SLACK = timedelta(minutes=5)

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)", re.ASCII)
_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
_ID = re.compile(r"[0-9]{1,18}", re.ASCII)


def _label(what: str | None) -> str:
    return f"{what} " if what else ""


def number(value: str | float | None, field: str, what: str | None = None) -> float | None:
    """An optional decimal number (``,`` or ``.`` as the decimal mark); blank is ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InputError(f"{_label(what)}must be a number (got {value!r})", field=field,
                         code="number")
    if isinstance(value, int | float):
        v = float(value)
    else:
        s = value.strip()
        if not s:
            return None
        if not _NUMBER.fullmatch(s):
            raise InputError(f"{_label(what)}must be a number (got {value!r})", field=field,
                             code="number")
        v = float(s.replace(",", "."))
    if v != v or v in (float("inf"), float("-inf")):
        raise InputError(f"{_label(what)}must be a number (got {value!r})", field=field,
                         code="number")
    return v


def whole(value: str | int | None, field: str, what: str | None = None) -> int | None:
    """An optional whole number (``3``, ``3.0``); blank is ``None``."""
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip())
    try:
        v = number(value, field, what)
    except InputError:
        raise InputError(f"{_label(what)}must be a whole number (got {value!r})", field=field,
                         code="whole") from None
    if v is None:
        return None
    if v != int(v):
        raise InputError(f"{_label(what)}must be a whole number (got {value!r})", field=field,
                         code="whole")
    return int(v)


def bounded(value: str | int | None, field: str, what: str, lo: int, hi: int) -> int | None:
    """An optional whole number in ``[lo, hi]``."""
    v = whole(value, field, what)
    if v is not None and not lo <= v <= hi:
        raise InputError(f"{what} must be between {lo} and {hi} (got {v})", field=field,
                         code="range")
    return v


def record_id(value: str | int | None) -> int | None:
    """``value`` as a record id when it is one (ASCII digits), else ``None``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _ID.fullmatch(value.strip()):
        return int(value.strip())
    return None


def iso_date(value: str | None, field: str, default: date, what: str = "the date") -> date:
    """A date written ``YYYY-MM-DD`` (ASCII digits); blank is ``default``."""
    if value is None or not value.strip():
        return default
    v = value.strip()
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v, re.ASCII):
        try:
            return date.fromisoformat(v)
        except ValueError:
            pass
    raise InputError(f"cannot read {what} {value!r}: use YYYY-MM-DD", field=field, code="date")


def month(value: str | None, field: str, default: date) -> date:
    """The first day of a month written ``YYYY-MM``; blank is the month of ``default``."""
    if value is None or not value.strip():
        return default.replace(day=1)
    m = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", value.strip(), re.ASCII)
    if m and 1 <= int(m.group(2)) <= 12 and int(m.group(1)) >= 1:
        return date(int(m.group(1)), int(m.group(2)), 1)
    raise InputError(f"cannot read the month {value!r}: use YYYY-MM", field=field, code="month")


def text(value: str | None) -> str | None:
    """Stripped text, ``None`` when blank; text holding a NUL character is refused."""
    if value is None:
        return None
    if "\x00" in value:  # PostgreSQL refuses NUL in text and SQLite keeps it: refused on both
        raise InputError("the text contains a NUL character (\\x00); remove it", code="nul")
    v = value.strip()
    return v or None


#: The highest mitragynine content (% of weight) a lab result can plausibly report, by product
#: form. Leaf material: the FDA's method bulletin (LIB #4578, "KRA-01", FDA/ORA/ORS, read via
#: AOAC) measured its dry-leaf control at 1.04-1.18 % and leaf products at 0.04-1.9 %; total
#: alkaloids in dried leaf are 0.5-1.5 % (encyclopedic summary; the primary, Hassan et al. 2013,
#: not read here). 5 % is twice the top of the commercial range, so a real leaf result passes and
#: a typo (or an extract filed as powder) does not. Extracts: the same bulletin lists a
#: "mitragynine extract" at 34.65 %; mitragynine is at most about 66 % of kratom's alkaloids
#: (same encyclopedic summary, unverified against the primary), so an extract of the whole
#: alkaloid fraction stays below that. 99 % is an isolate, not a kratom product.
MITRAGYNINE_PCT_MAX = {"leaf": 5.0, "powder": 5.0, "capsule": 5.0, "tea": 5.0,
                       "extract": 66.0, "tablet": 66.0, "other": 66.0}


def plausible_mitragynine(pct: float | None, form: str, field: str = "mitragynine_pct"
                          ) -> float | None:
    """``pct`` if a lab could plausibly report it for a product of ``form``; refused otherwise.

    >>> plausible_mitragynine(1.4, "powder")
    1.4
    >>> plausible_mitragynine(99, "powder")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nightleaf.errors.InputError: mitragynine 99 % is not plausible for a powder: ...
    """
    if pct is None:
        return None
    top = MITRAGYNINE_PCT_MAX.get(form, 66.0)
    if pct > top:
        hint = ("lab results for leaf products are about 0.5-2.5 %; check the value (if the "
                "product is an extract, set its form to extract)" if top < 66.0 else
                f"even a concentrated extract stays below {top:g} %; check the value")
        article = "an" if form[:1] in "aeiou" else "a"
        raise InputError(f"mitragynine {pct:g} % is not plausible for {article} {form}: {hint}",
                         field=field, code="range")
    return pct


def required(value: str | None, field: str, message: str) -> str:
    v = text(value)
    if v is None:
        raise InputError(message, field=field, code="required")
    return v


def night(value: str | None, field: str, *, now: datetime, tz: str) -> date:
    """A night by date (``2026-11-24``, ``yesterday``, ``-3``); blank is last night (the night
    of now, which in the morning is yesterday's date)."""
    if value is None or not value.strip():
        return clock.night_of(now, tz)
    return attach(field, "date", lambda: clock.parse_date(
        value, today=clock.local_datetime(now, tz).date()))


def instant(value: str | None, field: str, *, now: datetime, tz: str,
            night: date | None = None, allow_future: bool = False) -> datetime:
    """A moment (``21:30``, ``yesterday 22:40``, ISO 8601); blank is now."""
    when = attach(field, "time", lambda: clock.parse_when(value or "now", now=now, tz=tz,
                                                          night=night))
    if not allow_future and when > now + FUTURE_SLACK:
        local = clock.local_datetime(when, tz)
        raise InputError(f"{local:%Y-%m-%d %H:%M} is in the future; log what has happened "
                         "(check a planned intake instead)", field=field, code="future")
    return when


def time_in_night(value: str | None, field: str, what: str, *, now: datetime, tz: str,
                  night: date) -> datetime | None:
    """A time that belongs to ``night`` (from noon that day to noon the next); blank is
    ``None``. A full date outside that night is refused, so no entry spans two nights."""
    if value is None or not value.strip():
        return None
    try:
        when = clock.parse_when(value, now=now, tz=tz, night=night)
    except InputError as exc:
        raise InputError(f"{what}: {exc.message}", field=field, code="time") from None
    if clock.night_of(when, tz) != night:
        local = clock.local_datetime(when, tz)
        raise InputError(f"{what} {local:%Y-%m-%d %H:%M} is not part of the night of {night} "
                         f"(noon {night} to noon the next day); check the night or the time",
                         field=field, code="night")
    return when


def attach(field: str, code: str, fn: Callable[[], T]) -> T:
    """Call a parser of the model (which knows no fields) and name the field on its error."""
    try:
        return fn()
    except InputError as exc:
        if exc.field is not None and exc.field != field:
            raise
        raise InputError(exc.message, field=field,
                         code=exc.code if exc.code != "invalid" else code) from None


class Fields:
    """Collects the problems of one form by field id, so every bad input is reported at once.

    >>> f = Fields()
    >>> f.get(lambda: whole("x", "sol", "minutes to fall asleep"))
    >>> f.get(lambda: whole("3", "awakenings"))
    3
    >>> [e.field for e in f.errors]
    ['sol']
    """

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def get(self, fn: Callable[[], T]) -> T | None:
        try:
            return fn()
        except InputError as exc:
            self.errors.extend(exc.errors)
            return None

    def add(self, field: str | None, code: str, message: str) -> None:
        self.errors.append(FieldError(field, code, message))

    def check(self) -> None:
        """Raise one InputError carrying every problem collected, if any."""
        if self.errors:
            raise InputError.collect(self.errors)


def resolve_night(ctx: Context, value: str | None, tz: str, field: str = "night") -> date:
    """``None`` means last night (the night of now, which in the morning is yesterday's date)."""
    return night(value, field, now=ctx.now(), tz=tz)
