"""The validated demand table the engine works on: a long ``unique_id, ds, y`` table as arrays.

:func:`prepare_table` checks every row and names each offending one (missing columns, a ``y``
that is not a number, negative or missing, a date that does not parse, a duplicated
``(unique_id, ds)``, dates off the grid, gaps) in one :class:`ForecastInputError`, then maps dates
to consecutive integer periods with a :class:`~tandem.planning.forecasting.calendar.Calendar`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tandem.planning.forecasting.calendar import (
    Calendar,
    Frequency,
    calendar_for,
    infer_calendar,
    to_datetime64,
)
from tandem.planning.forecasting.errors import ForecastInputError, InputProblem

__all__ = ["DemandTable", "prepare_table"]

COLUMNS = ("unique_id", "ds", "y")
_MAX_PROBLEMS = 100
_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")


@dataclass(frozen=True, eq=False)
class DemandTable:
    """Demand series on a regular grid, sorted by ``unique_id`` then period.

    Attributes
    ----------
    ids : tuple of str
        The series names, sorted.
    offsets : numpy.ndarray of int
        Series ``i`` is ``y[offsets[i]:offsets[i + 1]]``.
    y : numpy.ndarray of float
        Every demand value, series after series, oldest first.
    start : numpy.ndarray of int
        The period number of each series' first value.
    calendar : Calendar
        Maps period numbers back to dates (``Frequency.PERIOD``: the numbers are the dates).
    """

    ids: tuple[str, ...]
    offsets: NDArray[np.int64]
    y: NDArray[np.float64]
    start: NDArray[np.int64]
    calendar: Calendar

    @property
    def lengths(self) -> NDArray[np.int64]:
        """Number of periods of each series."""
        return np.diff(self.offsets)

    def series(self, index: int) -> NDArray[np.float64]:
        """The values of series ``index``, oldest first."""
        return self.y[self.offsets[index] : self.offsets[index + 1]]

    def labels(self, periods: NDArray[np.int64]) -> NDArray[np.datetime64] | NDArray[np.int64]:
        """The ``ds`` values of period numbers: dates, or the numbers themselves."""
        if self.calendar.frequency is Frequency.PERIOD:
            return np.asarray(periods, dtype=np.int64)
        return self.calendar.to_dates(periods)

    def frame(self, rows: NDArray[np.int64] | None = None, drop_last: int = 0) -> pd.DataFrame:
        """A statsforecast frame (``unique_id, ds`` as period number, ``y``) of some series.

        ``drop_last`` removes that many final periods of every series (a hold-out).
        """
        chosen = np.arange(len(self.ids)) if rows is None else rows
        pieces = [
            np.arange(self.offsets[i], self.offsets[i + 1] - drop_last, dtype=np.int64)
            for i in chosen
        ]
        take = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        counts = np.array([len(p) for p in pieces], dtype=np.int64)
        ids = np.repeat(np.asarray(self.ids, dtype=object)[chosen], counts)
        steps = take - np.repeat(self.offsets[chosen], counts)
        ds = np.repeat(self.start[chosen], counts) + steps
        return pd.DataFrame({"unique_id": ids, "ds": ds, "y": self.y[take]})


def prepare_table(
    frame: pd.DataFrame, frequency: Frequency | None = None, *, fill_gaps: bool = False
) -> DemandTable:
    """Validate a long ``unique_id, ds, y`` table and put it on a regular grid.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per series and period. Columns may hold strings (as read from a CSV file with
        ``dtype=str``) or typed values. ``ds`` holds ISO dates, or integers for plain periods.
        Other columns are ignored.
    frequency : Frequency, optional
        The period length; inferred from the dates when omitted (integers mean plain periods).
    fill_gaps : bool
        Treat a missing period inside a series as zero demand instead of refusing the table.

    Returns
    -------
    DemandTable

    Raises
    ------
    ForecastInputError
        Naming every offending row (0-based position in ``frame``), column or series.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"unique_id": ["a", "a", "a"],
    ...                     "ds": ["2024-01-01", "2024-02-01", "2024-03-01"], "y": ["1", "0", "2"]})
    >>> table = prepare_table(raw)
    >>> table.calendar.frequency, table.lengths.tolist(), table.y.tolist()
    (<Frequency.MONTHLY: 'M'>, [3], [1.0, 0.0, 2.0])
    """
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ForecastInputError(
            f"missing column(s) {', '.join(missing)}: expected unique_id, ds, y "
            f"(found {', '.join(map(str, frame.columns)) or 'none'})",
            tuple(InputProblem("column is missing", column=c) for c in missing),
        )
    problems: list[InputProblem] = []
    ids = _ids(frame["unique_id"], problems)
    y = _values(frame["y"], problems)
    plain = frequency is Frequency.PERIOD or (frequency is None and _integers(frame["ds"]))
    if plain:
        dates = None
        periods = _period_numbers(frame["ds"], problems)
    else:
        dates = _dates(frame["ds"], problems)
        periods = np.zeros(len(frame), dtype=np.int64)
    _raise(problems)
    order = np.lexsort((periods if dates is None else dates, ids))
    ids, y, periods = ids[order], y[order], periods[order]
    dates = None if dates is None else dates[order]
    _duplicates(ids, periods if dates is None else dates, order, problems)
    _raise(problems)
    labels, codes = np.unique(ids, return_inverse=True)
    codes = codes.astype(np.int64)
    if dates is None:
        calendar = Calendar(Frequency.PERIOD)
    else:
        calendar = _calendar(dates, codes, labels, frequency, order, problems)
        _raise(problems)
        periods = calendar.to_periods(dates)
    offsets = np.searchsorted(codes, np.arange(len(labels) + 1)).astype(np.int64)
    steps = np.diff(periods)
    gap = (steps > 1) & (codes[1:] == codes[:-1])
    if gap.any() and not fill_gaps:
        for at in np.flatnonzero(gap)[:_MAX_PROBLEMS]:
            after = periods[at] + 1
            when = str(after) if dates is None else str(calendar.to_dates(np.array([after]))[0])
            problems.append(
                InputProblem(
                    f"series {str(labels[codes[at]])!r} has no row for {when} "
                    f"({int(steps[at]) - 1} period(s) missing before this row)",
                    row=int(order[at + 1]),
                    column="ds",
                    series=str(labels[codes[at]]),
                )
            )
        _raise(problems, "gaps in the series (use fill_gaps to read them as zero demand)")
    start = periods[offsets[:-1]] if len(labels) else np.zeros(0, dtype=np.int64)
    if gap.any():
        y, offsets = _filled(y, periods, offsets)
    return DemandTable(
        tuple(str(s) for s in labels), offsets, y.astype(np.float64), start, calendar
    )


def _raise(problems: list[InputProblem], what: str = "invalid demand table") -> None:
    if problems:
        raise ForecastInputError(
            f"{what}: {len(problems)} problem(s), first: {_where(problems[0])}", tuple(problems)
        )


def _where(problem: InputProblem) -> str:
    place = [] if problem.row is None else [f"row {problem.row}"]
    place += [] if problem.column is None else [f"column {problem.column}"]
    return f"{', '.join(place)}: {problem.message}" if place else problem.message


def _text(column: pd.Series) -> NDArray[np.str_]:
    return np.asarray(column.astype(str).str.strip().to_numpy(dtype=str))


def _ids(column: pd.Series, problems: list[InputProblem]) -> NDArray[np.str_]:
    ids = _text(column)
    blank = np.flatnonzero((ids == "") | column.isna().to_numpy())
    problems.extend(
        InputProblem("unique_id is empty", row=int(r), column="unique_id")
        for r in blank[:_MAX_PROBLEMS]
    )
    return ids


def _values(column: pd.Series, problems: list[InputProblem]) -> NDArray[np.float64]:
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        y = column.to_numpy(dtype=np.float64, na_value=np.nan)
        text = np.where(np.isnan(y), "", y.astype(str))
    else:
        text = _text(column.fillna(""))
        y = pd.to_numeric(pd.Series(text), errors="coerce").to_numpy(dtype=np.float64)
    for row in np.flatnonzero(~np.isfinite(y) | (y < 0))[:_MAX_PROBLEMS]:
        raw = str(text[row])
        if raw in ("", "nan", "NaN"):
            message = "y is missing"
        elif np.isnan(y[row]):
            message = f"y is not a number: {raw!r}"
        elif not np.isfinite(y[row]):
            message = f"y is not finite: {raw!r}"
        else:
            message = f"y is negative: {raw} (demand cannot be below zero)"
        problems.append(InputProblem(message, row=int(row), column="y"))
    return np.asarray(y, dtype=np.float64)


def _integers(column: pd.Series) -> bool:
    if pd.api.types.is_integer_dtype(column):
        return True
    if pd.api.types.is_datetime64_any_dtype(column) or len(column) == 0:
        return False
    return bool(column.astype(str).str.match(_INTEGER).all())


def _period_numbers(column: pd.Series, problems: list[InputProblem]) -> NDArray[np.int64]:
    text = _text(column)
    bad = np.flatnonzero(~pd.Series(text).str.match(_INTEGER).to_numpy(dtype=bool))
    problems.extend(
        InputProblem(f"ds is not an integer period: {str(text[r])!r}", row=int(r), column="ds")
        for r in bad[:_MAX_PROBLEMS]
    )
    numbers = pd.to_numeric(pd.Series(text), errors="coerce").fillna(0)
    return np.asarray(numbers.to_numpy(dtype=np.int64))


def _dates(column: pd.Series, problems: list[InputProblem]) -> NDArray[np.datetime64]:
    if pd.api.types.is_datetime64_any_dtype(column):
        parsed = column.dt.tz_localize(None) if column.dt.tz is not None else column
        text = _text(column)
    else:
        text = _text(column.fillna(""))
        parsed = pd.to_datetime(pd.Series(text), format="ISO8601", errors="coerce")
    bad = np.flatnonzero(parsed.isna().to_numpy())
    problems.extend(
        InputProblem(
            "ds is missing"
            if text[r] in ("", "NaT", "nan")
            else f"ds is not a date: {str(text[r])!r} (expected ISO format, e.g. 2024-01-31)",
            row=int(r),
            column="ds",
        )
        for r in bad[:_MAX_PROBLEMS]
    )
    if len(bad):
        return np.zeros(len(column), dtype="datetime64[D]")
    days = to_datetime64(parsed)
    off_day = np.flatnonzero(parsed.to_numpy(dtype="datetime64[ns]") != days)
    problems.extend(
        InputProblem(f"ds has a time of day: {str(text[r])!r}", row=int(r), column="ds")
        for r in off_day[:_MAX_PROBLEMS]
    )
    return days


def _duplicates(
    ids: NDArray[np.str_],
    keys: NDArray[np.datetime64] | NDArray[np.int64],
    order: NDArray[np.int64],
    problems: list[InputProblem],
) -> None:
    same = (ids[1:] == ids[:-1]) & (keys[1:] == keys[:-1])
    problems.extend(
        InputProblem(
            f"duplicate (unique_id, ds) = ({str(ids[at + 1])!r}, {keys[at + 1]}), "
            f"first seen in row {int(order[at])}",
            row=int(order[at + 1]),
            column="ds",
            series=str(ids[at + 1]),
        )
        for at in np.flatnonzero(same)[:_MAX_PROBLEMS]
    )


def _calendar(
    dates: NDArray[np.datetime64],
    codes: NDArray[np.int64],
    labels: NDArray[np.str_],
    frequency: Frequency | None,
    order: NDArray[np.int64],
    problems: list[InputProblem],
) -> Calendar:
    if frequency is None:
        return infer_calendar(dates, codes, [str(s) for s in labels])
    calendar = calendar_for(frequency, dates)
    if calendar is not None:
        return calendar
    first = dates[:1]
    anchor = calendar_for(frequency, first)
    if anchor is None:
        problems.append(
            InputProblem(
                f"ds {first[0]} cannot start a {frequency.name.lower()} grid "
                "(month-based periods need the same day of month, at most 28, or the month end)",
                row=int(order[0]),
                column="ds",
            )
        )
        return Calendar(frequency)
    for at in np.flatnonzero(~anchor.on_grid(dates))[:_MAX_PROBLEMS]:
        problems.append(
            InputProblem(
                f"ds {dates[at]} is not on the {frequency.name.lower()} grid of {first[0]} "
                f"(series {str(labels[codes[at]])!r})",
                row=int(order[at]),
                column="ds",
                series=str(labels[codes[at]]),
            )
        )
    return anchor


def _filled(
    y: NDArray[np.float64], periods: NDArray[np.int64], offsets: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Insert zero demand for every missing period inside each series."""
    pieces: list[NDArray[np.float64]] = []
    for lo, hi in itertools.pairwise(offsets):
        span = periods[lo:hi] - periods[lo]
        full = np.zeros(int(span[-1]) + 1 if hi > lo else 0)
        full[span] = y[lo:hi]
        pieces.append(full)
    lengths = np.array([len(p) for p in pieces], dtype=np.int64)
    return np.concatenate(pieces), np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
