"""The one error the forecasting engine raises on bad input.

The engine is pure and must not import ``tandem.domain``: it raises :class:`ForecastInputError`
(a :class:`ValueError`) carrying every :class:`InputProblem` it found, and the layer above maps it
to the platform's own error type.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ForecastInputError", "InputProblem"]


@dataclass(frozen=True)
class InputProblem:
    """One offending cell, row, column or series of the input table.

    Attributes
    ----------
    message : str
        What is wrong, e.g. ``"y is not a number: 'abc'"``.
    row : int or None
        0-based position of the row in the table as given (``None`` when not about one row).
        A CSV reader adds 2 to get the file's line number (header on line 1).
    column : str or None
        The column concerned (``None`` when not about one column).
    series : str or None
        The ``unique_id`` concerned, for problems of a whole series (gaps, mixed frequency).
    """

    message: str
    row: int | None = None
    column: str | None = None
    series: str | None = None


class ForecastInputError(ValueError):
    """The input cannot be forecast; ``problems`` names each offending row, column or series."""

    def __init__(self, message: str, problems: tuple[InputProblem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems
