"""Regular time grids: map the dates of a demand table to consecutive integer periods and back.

A :class:`Calendar` turns dates into period numbers (``1`` apart from one period to the next), so
the models only ever see integer time, and turns forecast periods back into dates that sit at the
same place in their period as the history did (the 1st of the month, the month end, the same
weekday...). :func:`infer_calendar` finds the coarsest grid that every date lies on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tandem.planning.forecasting.errors import ForecastInputError, InputProblem

__all__ = ["Calendar", "Frequency", "infer_calendar"]

_EPOCH = np.datetime64("1970-01-01", "D")
_MONTH_END = -1


class Frequency(StrEnum):
    """Sampling frequency of a demand table; the value is the short CLI spelling."""

    DAILY = "D"
    WEEKLY = "W"
    MONTHLY = "M"
    QUARTERLY = "Q"
    YEARLY = "Y"
    PERIOD = "P"
    """Plain integer periods (``ds`` is 1, 2, 3...): no dates at all."""

    @property
    def default_season_length(self) -> int:
        """Periods per year (7 for daily data: the weekly cycle); 1 for yearly or plain periods."""
        return {"D": 7, "W": 52, "M": 12, "Q": 4, "Y": 1, "P": 1}[self.value]

    @property
    def months(self) -> int:
        """Months per period for the month-based frequencies, else 0."""
        return {"M": 1, "Q": 3, "Y": 12}.get(self.value, 0)


@dataclass(frozen=True)
class Calendar:
    """A regular grid of periods.

    Attributes
    ----------
    frequency : Frequency
        The period length.
    day : int
        Month-based frequencies: the day of the month every date falls on (1..28), or ``-1`` for
        the last day of the month. Daily, weekly and plain periods: ``0``.
    phase : int
        Weekly: day number (since 1970-01-01) modulo 7 of every date. Quarterly and yearly: the
        month number modulo 3 or 12. Otherwise ``0``.
    """

    frequency: Frequency
    day: int = 0
    phase: int = 0

    def to_periods(self, dates: NDArray[np.datetime64]) -> NDArray[np.int64]:
        """Period numbers of ``dates`` (already known to lie on the grid)."""
        days = (dates.astype("datetime64[D]") - _EPOCH).astype(np.int64)
        match self.frequency:
            case Frequency.DAILY:
                return days
            case Frequency.WEEKLY:
                return (days - self.phase) // 7
            case Frequency.PERIOD:
                raise TypeError("plain periods have no dates")
            case _:
                months = _months(dates)
                return (months - self.phase) // self.frequency.months

    def to_dates(self, periods: NDArray[np.int64]) -> NDArray[np.datetime64]:
        """Dates of period numbers: the inverse of :meth:`to_periods`."""
        periods = np.asarray(periods, dtype=np.int64)
        match self.frequency:
            case Frequency.DAILY:
                return _EPOCH + periods.astype("timedelta64[D]")
            case Frequency.WEEKLY:
                return _EPOCH + (periods * 7 + self.phase).astype("timedelta64[D]")
            case Frequency.PERIOD:
                raise TypeError("plain periods have no dates")
            case _:
                months = periods * self.frequency.months + self.phase
                first = np.datetime64("1970-01", "M") + months.astype("timedelta64[M]")
                start = first.astype("datetime64[D]")
                if self.day == _MONTH_END:
                    following = (first + np.timedelta64(1, "M")).astype("datetime64[D]")
                    return np.asarray(following - np.timedelta64(1, "D"), dtype="datetime64[D]")
                return np.asarray(start + np.timedelta64(self.day - 1, "D"), dtype="datetime64[D]")

    def on_grid(self, dates: NDArray[np.datetime64]) -> NDArray[np.bool_]:
        """Which ``dates`` lie on this grid."""
        days = (dates.astype("datetime64[D]") - _EPOCH).astype(np.int64)
        match self.frequency:
            case Frequency.DAILY:
                return np.ones(len(days), dtype=bool)
            case Frequency.WEEKLY:
                return np.asarray((days - self.phase) % 7 == 0, dtype=bool)
            case Frequency.PERIOD:
                return np.zeros(len(days), dtype=bool)
            case _:
                months = _months(dates)
                month_ok = (months - self.phase) % self.frequency.months == 0
                return np.asarray(month_ok & (_day_codes(dates) == self.day), dtype=bool)


def _months(dates: NDArray[np.datetime64]) -> NDArray[np.int64]:
    return (dates.astype("datetime64[M]") - np.datetime64("1970-01", "M")).astype(np.int64)


def _day_codes(dates: NDArray[np.datetime64]) -> NDArray[np.int64]:
    """Day of month (1..31), or ``-1`` where the date is the last day of its month."""
    day = dates.astype("datetime64[D]")
    month_start = dates.astype("datetime64[M]").astype("datetime64[D]")
    dom = (day - month_start).astype(np.int64) + 1
    is_end = (day + np.timedelta64(1, "D")).astype("datetime64[M]") != dates.astype("datetime64[M]")
    return np.where(is_end, _MONTH_END, dom)


def calendar_for(frequency: Frequency, dates: NDArray[np.datetime64]) -> Calendar | None:
    """The grid of ``frequency`` anchored at the first date, or ``None`` if it is not regular."""
    if frequency is Frequency.PERIOD or len(dates) == 0:
        return None
    first = dates[:1]
    if frequency is Frequency.DAILY:
        calendar = Calendar(frequency)
    elif frequency is Frequency.WEEKLY:
        phase = int((first.astype("datetime64[D]") - _EPOCH).astype(np.int64)[0] % 7)
        calendar = Calendar(frequency, phase=phase)
    else:
        day = int(_day_codes(first)[0])
        if day > 28:
            return None
        calendar = Calendar(frequency, day, int(_months(first)[0] % frequency.months))
    return calendar if bool(calendar.on_grid(dates).all()) else None


def infer_calendar(
    dates: NDArray[np.datetime64], series_codes: NDArray[np.int64], labels: Sequence[str]
) -> Calendar:
    """The coarsest regular grid that every date lies on and whose one-period step the data use.

    Parameters
    ----------
    dates : numpy.ndarray of datetime64
        Every date of the table, sorted by series then date.
    series_codes : numpy.ndarray of int
        The series number of each date (same length), non-decreasing.
    labels : sequence of str
        The ``unique_id`` of each series number, for messages.

    Raises
    ------
    ForecastInputError
        When no grid fits (mixed frequencies, irregular dates) or the data are too few to tell.
    """
    same_series = series_codes[1:] == series_codes[:-1]
    if not same_series.any():
        raise ForecastInputError(
            "cannot infer the frequency: no series has two dates; give the frequency explicitly",
            (InputProblem("cannot infer the frequency", column="ds"),),
        )
    for frequency in (
        Frequency.YEARLY,
        Frequency.QUARTERLY,
        Frequency.MONTHLY,
        Frequency.WEEKLY,
        Frequency.DAILY,
    ):
        calendar = calendar_for(frequency, dates)
        if calendar is None:
            continue
        steps = np.diff(calendar.to_periods(dates))[same_series]
        if steps.min() == 1:
            return calendar
        break
    spans = np.diff((dates.astype("datetime64[D]") - _EPOCH).astype(np.int64))[same_series]
    seen = ", ".join(str(s) for s in np.unique(spans)[:8])
    first_series = labels[int(series_codes[1:][same_series][0])]
    raise ForecastInputError(
        f"cannot infer the frequency: the dates are not on one regular daily, weekly, monthly, "
        f"quarterly or yearly grid (steps of {seen} days seen, e.g. in series "
        f"{first_series!r}); the table may mix frequencies",
        (InputProblem("dates are not on one regular grid", column="ds"),),
    )


def parse_frequency(text: str) -> Frequency:
    """A :class:`Frequency` from its spelling (``D``, ``W``, ``M``, ``Q``, ``Y``, ``P``; any case).

    Pandas-style aliases for the same periods (``MS``, ``ME``, ``W-MON``, ``QS``, ``YS``, ``A``)
    are accepted too; the anchor is always taken from the data.
    """
    head = text.strip().upper()
    aliases = {"MS": "M", "ME": "M", "QS": "Q", "QE": "Q", "YS": "Y", "YE": "Y", "A": "Y"}
    head = aliases.get(head, head)
    if head.startswith("W-"):
        head = "W"
    if head.startswith(("QS-", "QE-", "Q-")):
        head = "Q"
    if head.startswith(("YS-", "YE-", "Y-", "A-")):
        head = "Y"
    try:
        return Frequency(head)
    except ValueError:
        raise ValueError(
            f"unknown frequency {text!r}: use D, W, M, Q, Y (dates) or P (integer periods)"
        ) from None


def to_datetime64(values: pd.Series) -> NDArray[np.datetime64]:
    """Day-resolution numpy dates of a pandas datetime column."""
    return np.asarray(values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]"))
