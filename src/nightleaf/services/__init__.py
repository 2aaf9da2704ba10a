"""Use cases both shells call. One place, so the CLI and the web never disagree.

Every function takes a :class:`Context` first. Inputs arrive as the person typed them (strings);
parsing and validation happen here or in the model, never in a shell. Each write is one
transaction: a failure writes nothing.
"""

from nightleaf.services.context import Context, open_context

__all__ = ["Context", "open_context"]
