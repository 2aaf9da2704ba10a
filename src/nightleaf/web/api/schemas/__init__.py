"""Response schemas of ``/api``: derived from the domain dataclasses (:func:`plain_model`) or
written for a route (:func:`schema`); every JSON answer has one."""

from nightleaf.web.api.schemas.plain import plain_model, schema

__all__ = ["plain_model", "schema"]
