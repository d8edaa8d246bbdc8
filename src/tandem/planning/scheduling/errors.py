"""Errors of the scheduling engines, in one hierarchy."""

from __future__ import annotations

__all__ = ["SchedulingError", "SchedulingInputError"]


class SchedulingError(Exception):
    """Base class of the errors raised by :mod:`tandem.planning.scheduling`."""

    code = "scheduling_error"


class SchedulingInputError(SchedulingError, ValueError):
    """Orders, operations or resources that cannot describe a schedule."""

    code = "scheduling_input_invalid"
