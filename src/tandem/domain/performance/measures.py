"""What every performance metric shares: exact ratios, UTC day boundaries, duration statistics
and "days of" measures that say why they are missing."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from fractions import Fraction

from tandem.domain.errors import ValidationFailed, Violation


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> float | None:
    """``numerator / denominator`` as the float nearest the exact fraction; ``None`` for x/0.

    >>> ratio(1, 3) == 1 / 3, ratio(0, 0)
    (True, None)
    """
    if denominator == 0:
        return None
    return float(Fraction(numerator) / Fraction(denominator))


def midnight(day: date) -> datetime:
    """The start of ``day`` in UTC, the boundary every period and window uses."""
    return datetime.combine(day, time(), UTC)


def utc_day(at: datetime) -> date:
    """The UTC calendar day of ``at``."""
    return at.astimezone(UTC).date()


def check_period(since: date, until: date) -> None:
    """Refuse an empty or inverted period ``[since, until)``."""
    if since >= until:
        raise ValidationFailed(
            f"the period must end after it starts (since {since}, until {until})",
            violations=[Violation("query", "must be later than since", "until")],
        )


@dataclass(frozen=True)
class DurationStats:
    """Mean and sample standard deviation (n - 1 in the denominator) of durations in whole days.

    ``mean_days`` is ``None`` without observations, ``std_days`` with fewer than two.
    """

    count: int
    mean_days: float | None
    std_days: float | None


def duration_stats(days: Sequence[int]) -> DurationStats:
    """Statistics of ``days``, e.g. lead times of 5, 7 and 9 days:

    >>> duration_stats([5, 7, 9])
    DurationStats(count=3, mean_days=7.0, std_days=2.0)
    """
    mean = statistics.fmean(days) if days else None
    std = statistics.stdev(days) if len(days) >= 2 else None
    return DurationStats(len(days), mean, std)


@dataclass(frozen=True)
class DaysMetric:
    """A number of days, or ``None`` with the ``reason`` it cannot be computed."""

    days: float | None
    reason: str | None = None


def days_of(stock: Fraction | int, flow: int, days: int, flow_name: str) -> DaysMetric:
    """``stock / (flow / days)``: how many days of ``flow`` the ``stock`` holds; ``None`` with
    the reason when ``flow`` is not positive.

    >>> days_of(1_000_000, 9_000_000, 90, "cost of goods sold")
    DaysMetric(days=10.0, reason=None)
    """
    if flow == 0:
        return DaysMetric(None, f"no {flow_name} in the {days}-day window")
    if flow < 0:
        return DaysMetric(None, f"{flow_name} in the {days}-day window is negative ({flow})")
    return DaysMetric(float(Fraction(stock) * days / flow))
