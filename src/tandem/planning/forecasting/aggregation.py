"""Demand history in calendar buckets (days, ISO weeks, months) with outlier flags.

:func:`aggregate_demand` turns one series of daily demand into buckets:

* **Buckets.** ``DAY``: one per day. ``WEEK``: ISO 8601 weeks, Monday to Sunday. ``MONTH``:
  calendar months. Every bucket carries its calendar length ``days`` (7 for a week, 28 to 31
  for a month) and the ``observed_days`` of it that lie inside the observed span, so per-day
  rates (``per_day = quantity / observed_days``) compare a February with a March and a partial
  week with a full one.
* **Observed span.** From the first to the last day with a record, unless given. Inside it a
  day without a record is zero demand; outside it nothing is known and nothing is invented: a
  bucket that sticks out of the span is *partial*. ``PartialBuckets.FLAG`` (default) keeps
  partial buckets, flagged, so the bucket totals add up to the daily total;
  ``PartialBuckets.DROP`` leaves them out (only whole buckets, e.g. to feed a weekly model).
* **Outliers** by a Hampel filter (Hampel 1974; Pearson 2002) on the per-day rates of the
  whole buckets: bucket ``i`` is an outlier when ``|r_i − m_i| > t · s_i``, with ``m_i`` the
  median of the rates of the ``2k + 1`` whole buckets centred on ``i`` (fewer at the ends of
  the series: the window is cut, not shifted) and ``s_i = 1.4826 · MAD_i`` their median
  absolute deviation scaled to a normal standard deviation. Defaults ``k = 3``, ``t = 3``
  (:class:`HampelRule`). Where a window's MAD is zero (more than half of it the same value)
  the MAD of the whole series is used instead; where that is zero too — a series whose
  buckets are mostly one value, such as intermittent demand with more than half zeros — no
  bucket is tested, because a MAD-based rule would flag every demand occurrence. Partial
  buckets are never tested and never enter a window: a rate over a few days is too noisy to
  judge or to judge by. The rule depends on the rates only through medians and absolute
  deviations, so multiplying every quantity by a positive constant changes no flag.

Sources
-------
* Hampel, F. R. (1974). The influence curve and its role in robust estimation. *Journal of
  the American Statistical Association* 69(346), 383–393 (the MAD and its 1.4826 scaling).
* Pearson, R. K. (2002). Outliers in process modeling and identification. *IEEE Transactions
  on Control Systems Technology* 10(1), 55–63 (the moving-window Hampel identifier).
* Pearson, R. K., Neuvo, Y., Astola, J. & Gabbouj, M. (2016). Generalized Hampel filters.
  *EURASIP Journal on Advances in Signal Processing* 2016:87 (window and threshold choices,
  the zero-MAD "implosion" of the scale).
* ISO 8601-1:2019, week dates (weeks start on Monday).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "MAD_TO_SIGMA",
    "Bucket",
    "Bucketing",
    "DemandBuckets",
    "HampelRule",
    "HampelScores",
    "PartialBuckets",
    "aggregate_demand",
    "bucket_end",
    "bucket_start",
    "hampel",
]

MAD_TO_SIGMA = 1.482602218505602
"""``1 / Φ⁻¹(3/4)``: the MAD of a normal sample times this estimates its standard deviation."""


class Bucketing(StrEnum):
    """Length of a bucket of demand history."""

    DAY = "day"
    WEEK = "week"
    """ISO 8601 week, Monday to Sunday."""
    MONTH = "month"


class PartialBuckets(StrEnum):
    """What happens to a bucket that only partly lies inside the observed span."""

    FLAG = "flag"
    """Kept, with ``partial=True``: bucket totals add up to the daily total."""
    DROP = "drop"
    """Left out: every bucket returned is whole."""


@dataclass(frozen=True)
class HampelRule:
    """Parameters of the moving-window Hampel identifier (Pearson 2002).

    Attributes
    ----------
    half_width : int
        ``k``: the window holds the ``2k + 1`` buckets centred on the one tested.
    threshold : float
        ``t``: an outlier lies more than ``t`` scaled MADs from the window's median.
    """

    half_width: int = 3
    threshold: float = 3.0

    def __post_init__(self) -> None:
        if self.half_width < 1:
            raise ValueError(f"half_width must be at least 1 (got {self.half_width})")
        if not (math.isfinite(self.threshold) and self.threshold > 0):
            raise ValueError(f"threshold must be a positive number (got {self.threshold})")


@dataclass(frozen=True)
class Bucket:
    """Demand of one bucket.

    Attributes
    ----------
    start, end : datetime.date
        First and last calendar day of the bucket (inclusive), whether observed or not.
    days : int
        Calendar days in the bucket (1, 7, or 28 to 31).
    observed_days : int
        Days of the bucket inside the observed span.
    quantity : float
        Total demand of the observed days.
    partial : bool
        ``observed_days < days``.
    outlier : bool
        Flagged by the Hampel rule.
    score : float
        ``(per_day − m) / s`` of the Hampel rule, signed; ``nan`` where the bucket was not
        tested (partial, or no usable scale).
    reason : str
        Why the bucket is flagged (partial and/or outlier), empty otherwise.
    """

    start: date
    end: date
    days: int
    observed_days: int
    quantity: float
    partial: bool
    outlier: bool
    score: float
    reason: str

    @property
    def per_day(self) -> float:
        """Demand per observed day."""
        return self.quantity / self.observed_days


@dataclass(frozen=True)
class DemandBuckets:
    """One demand series in buckets, oldest first.

    Attributes
    ----------
    bucketing : Bucketing
    first_day, last_day : datetime.date or None
        The observed span (``None`` for an empty series).
    partial_buckets : PartialBuckets
    rule : HampelRule
    buckets : tuple of Bucket
    """

    bucketing: Bucketing
    first_day: date | None
    last_day: date | None
    partial_buckets: PartialBuckets
    rule: HampelRule
    buckets: tuple[Bucket, ...]

    @property
    def quantities(self) -> tuple[float, ...]:
        return tuple(b.quantity for b in self.buckets)

    @property
    def outliers(self) -> tuple[Bucket, ...]:
        return tuple(b for b in self.buckets if b.outlier)


def bucket_start(day: date, bucketing: Bucketing) -> date:
    """The first day of the bucket holding ``day``.

    >>> bucket_start(date(2026, 1, 1), Bucketing.WEEK)  # a Thursday; ISO week 1 of 2026
    datetime.date(2025, 12, 29)
    >>> bucket_start(date(2024, 2, 29), Bucketing.MONTH)
    datetime.date(2024, 2, 1)
    """
    match bucketing:
        case Bucketing.DAY:
            return day
        case Bucketing.WEEK:
            return day - timedelta(days=day.weekday())
        case Bucketing.MONTH:
            return day.replace(day=1)


def bucket_end(start: date, bucketing: Bucketing) -> date:
    """The last day of the bucket starting on ``start``.

    >>> bucket_end(date(2024, 2, 1), Bucketing.MONTH), bucket_end(date(2023, 2, 1), Bucketing.MONTH)
    (datetime.date(2024, 2, 29), datetime.date(2023, 2, 28))
    """
    match bucketing:
        case Bucketing.DAY:
            return start
        case Bucketing.WEEK:
            return start + timedelta(days=6)
        case Bucketing.MONTH:
            following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return following - timedelta(days=1)


@dataclass(frozen=True, eq=False)
class HampelScores:
    """What :func:`hampel` found for each value: flag, signed score, window median, scale."""

    outlier: NDArray[np.bool_]
    score: NDArray[np.float64]
    median: NDArray[np.float64]
    scale: NDArray[np.float64]


def hampel(values: ArrayLike, rule: HampelRule = HampelRule()) -> HampelScores:
    """The moving-window Hampel identifier with the scale fall-backs of the module docstring.

    Examples
    --------
    >>> found = hampel([10.0, 12, 11, 13, 60, 12, 11, 10, 12])
    >>> found.outlier.nonzero()[0].tolist(), round(float(found.score[4]), 2)
    ([4], 32.38)
    >>> hampel([0.0, 0, 0, 5, 0, 0, 0]).outlier.any()  # mostly zeros: not tested
    np.False_
    """
    x = np.asarray(values, dtype=np.float64)
    n, k = len(x), rule.half_width
    median = np.full(n, math.nan)
    scale = np.full(n, math.nan)
    if n == 0:
        return HampelScores(np.zeros(0, dtype=bool), np.zeros(0), median, scale)
    series_scale = MAD_TO_SIGMA * float(np.median(np.abs(x - np.median(x))))
    for i in range(n):
        window = x[max(i - k, 0) : i + k + 1]
        median[i] = float(np.median(window))
        scale[i] = MAD_TO_SIGMA * float(np.median(np.abs(window - median[i])))
    scale = np.where(scale > 0, scale, series_scale)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(scale > 0, (x - median) / scale, math.nan)
    outlier = np.asarray(np.abs(x - median) > rule.threshold * scale, dtype=bool) & (scale > 0)
    return HampelScores(outlier, score, median, np.where(scale > 0, scale, math.nan))


def _checked(observations: Mapping[date, float], span: tuple[date, date] | None) -> None:
    for day, quantity in observations.items():
        if not (math.isfinite(quantity) and quantity >= 0):
            raise ValueError(f"demand on {day} must be a finite non-negative number: {quantity}")
    if span is not None:
        first, last = span
        if first > last:
            raise ValueError(f"the span starts after it ends: {first} > {last}")
        outside = sorted(d for d in observations if not first <= d <= last)
        if outside:
            raise ValueError(f"{len(outside)} observation(s) outside the span, e.g. {outside[0]}")


def _reason(bucket: Bucket, found: HampelScores, i: int, rule: HampelRule) -> str:
    side = "above" if found.score[i] > 0 else "below"
    return (
        f"outlier: {bucket.per_day:.4g} per day lies {abs(float(found.score[i])):.1f} scaled "
        f"MADs {side} the median {float(found.median[i]):.4g} per day of the buckets around it "
        f"(Hampel, k={rule.half_width}, t={rule.threshold:g})"
    )


def aggregate_demand(
    observations: Mapping[date, float],
    bucketing: Bucketing,
    *,
    span: tuple[date, date] | None = None,
    partial_buckets: PartialBuckets = PartialBuckets.FLAG,
    rule: HampelRule = HampelRule(),
) -> DemandBuckets:
    """Daily demand ``{day: quantity}`` in buckets, with partial and outlier flags.

    Parameters
    ----------
    observations : mapping of datetime.date to float
        Recorded demand (finite, non-negative); a day inside the span without a record is zero.
    bucketing : Bucketing
    span : (datetime.date, datetime.date), optional
        The observed span, both ends included; by default the first and last recorded days.
        Every observation must lie in it.
    partial_buckets : PartialBuckets
    rule : HampelRule

    Examples
    --------
    Ten days from a Wednesday: two partial ISO weeks around a whole one.

    >>> days = {date(2026, 3, 4) + timedelta(days=n): 2.0 for n in range(10)}
    >>> weeks = aggregate_demand(days, Bucketing.WEEK)
    >>> [(str(b.start), b.observed_days, b.quantity, b.partial) for b in weeks.buckets]
    [('2026-03-02', 5, 10.0, True), ('2026-03-09', 5, 10.0, True)]
    >>> aggregate_demand(days, Bucketing.WEEK, partial_buckets=PartialBuckets.DROP).buckets
    ()
    """
    _checked(observations, span)
    if span is None and not observations:
        return DemandBuckets(bucketing, None, None, partial_buckets, rule, ())
    first, last = span if span is not None else (min(observations), max(observations))
    totals: dict[date, list[float]] = {}
    day = first
    while day <= last:
        totals.setdefault(bucket_start(day, bucketing), []).append(observations.get(day, 0.0))
        day += timedelta(days=1)
    buckets: list[Bucket] = []
    for start, values in totals.items():
        end = bucket_end(start, bucketing)
        length = (end - start).days + 1
        partial = len(values) < length
        if partial and partial_buckets is PartialBuckets.DROP:
            continue
        reason = f"partial: {len(values)} of {length} days observed" if partial else ""
        buckets.append(
            Bucket(
                start, end, length, len(values), math.fsum(values), partial, False, math.nan, reason
            )
        )
    whole = [i for i, b in enumerate(buckets) if not b.partial]
    found = hampel([buckets[i].per_day for i in whole], rule)
    for n, i in enumerate(whole):
        b = buckets[i]
        flagged = bool(found.outlier[n])
        reason = _reason(b, found, n, rule) if flagged else ""
        buckets[i] = replace(b, outlier=flagged, score=float(found.score[n]), reason=reason)
    return DemandBuckets(bucketing, first, last, partial_buckets, rule, tuple(buckets))
