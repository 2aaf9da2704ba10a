"""One exception tree. Shells turn these into one clear line (CLI, exit 2) or a 4xx (web)."""

from __future__ import annotations

from typing import NamedTuple


class FieldError(NamedTuple):
    """One problem with one input: its stable field id, a code shells may word themselves
    (``number``, ``whole``, ``range``, ``required``, ``time``, ``choice``, ...) and a message that
    names no shell (no CLI flag, no web label)."""

    field: str | None
    code: str
    message: str


class NightleafError(Exception):
    """Base of every error a person may see. The message says how to fix the problem."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class InputError(NightleafError):
    """A value typed by the person is invalid (unit, range, time, code).

    Carries every problem found as :class:`FieldError` (field id, code, message), so a form can
    show each message next to its input; ``message``/``field`` are the first one's.
    """

    status_code = 422

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid",
                 errors: list[FieldError] | None = None) -> None:
        self.errors: list[FieldError] = list(errors) if errors else [
            FieldError(field, code, message)]
        first = self.errors[0]
        super().__init__(first.message if errors else message, field=first.field)
        self.code = first.code

    @classmethod
    def collect(cls, errors: list[FieldError]) -> InputError:
        return cls(errors[0].message, errors=errors)


class FormatError(NightleafError):
    """A file (import, export, knowledge data) is not in the expected format."""

    status_code = 422


class NotFound(NightleafError):
    """A named record (product, batch, night, medicine) does not exist."""

    status_code = 404


class Conflict(NightleafError):
    """The request conflicts with what is stored (e.g. a duplicate name)."""

    status_code = 409


class ConfigError(NightleafError):
    """The database URL or another setting is wrong or unreachable."""

    status_code = 500


class StoreError(NightleafError):
    """The journal database refused or could not complete a unit of work; nothing was saved.

    Raised by :mod:`nightleaf.store` in place of the driver's own errors, so the shells never
    see (or import) SQLAlchemy."""

    status_code = 500


class Busy(StoreError):
    """Another program holds the journal's write lock (SQLite "database is locked", a
    PostgreSQL lock timeout, deadlock or serialization failure). Trying again usually works."""

    status_code = 503
    #: seconds a client should wait before trying again (the web sends it as ``Retry-After``)
    retry_after = 2


class StoreUnavailable(StoreError):
    """The journal database cannot be reached (the connection was refused or lost)."""

    status_code = 503
    retry_after = 5
