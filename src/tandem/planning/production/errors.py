"""Errors of the production-planning engines, in one hierarchy."""

from __future__ import annotations

__all__ = ["ProductionError", "ProductionInputError"]


class ProductionError(Exception):
    """Base class of the errors raised by :mod:`tandem.planning.production`."""

    code = "production_error"


class ProductionInputError(ProductionError, ValueError):
    """Resources, routings, demands or orders that cannot describe a production plan."""

    code = "production_input_invalid"
