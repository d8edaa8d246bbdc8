"""Errors of the logistics engines, in one hierarchy."""

from __future__ import annotations

__all__ = ["LogisticsError", "LogisticsInputError"]


class LogisticsError(Exception):
    """Base class of the errors raised by :mod:`tandem.planning.logistics`."""

    code = "logistics_error"


class LogisticsInputError(LogisticsError, ValueError):
    """Order lines, vehicles, modes or stops that cannot describe a plan."""

    code = "logistics_input_invalid"
