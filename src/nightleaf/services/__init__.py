"""Use cases both shells call. One place, so the CLI and the web never disagree.

Every function takes a :class:`Context` first. Inputs arrive as the person typed them (strings);
parsing and validation happen here or in the model, never in a shell. Each write is one
transaction: a failure writes nothing.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nightleaf.services.context import Context, open_context

__all__ = ["Context", "open_context"]


def __getattr__(name: str) -> Any:
    """``Context`` and ``open_context`` load the store (SQLAlchemy) on first use, so that the
    light modules here (``services.inputs``) can be imported by the CLI at start-up."""
    if name in __all__:
        from nightleaf.services import context

        return getattr(context, name)
    raise AttributeError(f"module 'nightleaf.services' has no attribute {name!r}")
