"""One exception tree. Shells turn these into one clear line (CLI, exit 2) or a 4xx (web)."""


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
    """A value typed by the person is invalid (unit, range, time, code)."""

    status_code = 422


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
