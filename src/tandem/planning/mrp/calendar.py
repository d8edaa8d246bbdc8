"""Planning buckets with working days: where receipts may land and how lead times offset.

A bucket with no working day can neither receive nor release: a requirement falling in it is
received in the latest working bucket at or before it. Lead times count working days: an order
due at the start of bucket ``d`` with lead time ``L`` is released in the latest working bucket
``s`` with ``W(d) - W(s) >= L``, where ``W(b)`` is the number of working days before bucket
``b``. Lead times are thus rounded up to whole buckets (Vollmann et al. 2005, ch. 6: the MRP
record offsets planned receipts by the lead time in buckets).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from tandem.planning.mrp.inputs import MRPInputError

__all__ = ["BucketSize", "LeadTimeOffset", "PlanningCalendar"]

_WEEKEND = (5, 6)


class BucketSize(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class LeadTimeOffset:
    """Receipt and release buckets of one lead time.

    Attributes
    ----------
    receive_bucket
        For each bucket, the working bucket at or before it where a receipt lands (``0`` when
        none precedes it).
    release_bucket
        For each bucket used as a due bucket, the release bucket; negative when the release
        falls before the horizon (``-ceil(days short / longest bucket)``).
    days_short
        Working days by which each release misses the horizon start (``0`` when in time).
    fence
        First bucket whose requirement a new order released now can still meet.
    """

    receive_bucket: NDArray[np.int64]
    release_bucket: NDArray[np.int64]
    days_short: NDArray[np.int64]
    fence: int


@dataclass(frozen=True)
class PlanningCalendar:
    """Consecutive planning buckets and the working days in each.

    Examples
    --------
    >>> cal = PlanningCalendar.weekly(date(2026, 1, 5), 4, non_working={date(2026, 1, 14)})
    >>> cal.working_days, cal.label(2)
    ((5, 4, 5, 5), '2026-W04')
    >>> cal.offset(7).release_bucket.tolist()
    [-2, -1, 0, 1]
    """

    size: BucketSize
    starts: tuple[date, ...]
    working_days: tuple[int, ...]

    def __post_init__(self) -> None:
        if not self.starts or len(self.starts) != len(self.working_days):
            raise MRPInputError("calendar: needs one working-day count per bucket, at least one")
        if any(d < 0 for d in self.working_days):
            raise MRPInputError("calendar: working days must be >= 0")

    @classmethod
    def daily(
        cls,
        start: date,
        buckets: int,
        non_working: Iterable[date] = (),
        weekend: tuple[int, ...] = _WEEKEND,
    ) -> PlanningCalendar:
        """Daily buckets; weekend days (``date.weekday()``) and ``non_working`` dates are off."""
        off = set(non_working)
        days = tuple(start + timedelta(days=i) for i in range(buckets))
        working = tuple(int(d.weekday() not in weekend and d not in off) for d in days)
        return cls(BucketSize.DAILY, days, working)

    @classmethod
    def weekly(
        cls,
        start: date,
        buckets: int,
        non_working: Iterable[date] = (),
        weekend: tuple[int, ...] = _WEEKEND,
    ) -> PlanningCalendar:
        """Weekly buckets from ``start``; each counts its working days."""
        daily = cls.daily(start, 7 * buckets, non_working, weekend)
        per_week = np.asarray(daily.working_days).reshape(buckets, 7).sum(axis=1)
        starts = tuple(start + timedelta(weeks=i) for i in range(buckets))
        return cls(BucketSize.WEEKLY, starts, tuple(int(d) for d in per_week))

    @property
    def horizon(self) -> int:
        """Number of buckets."""
        return len(self.starts)

    @property
    def total_working_days(self) -> int:
        return sum(self.working_days)

    def label(self, bucket: int) -> str:
        """``2026-W04`` for weekly buckets, the ISO date for daily ones; ``before 2026-W01``
        for a negative bucket."""
        if bucket < 0:
            return f"before {self.label(0)}"
        day = self.starts[bucket]
        if self.size is BucketSize.WEEKLY:
            year, week, _ = day.isocalendar()
            return f"{year}-W{week:02d}"
        return day.isoformat()

    def bucket_of(self, day: date) -> int:
        """The bucket containing ``day`` (days before the horizon fall in bucket 0)."""
        step = 7 if self.size is BucketSize.WEEKLY else 1
        bucket = max(0, (day - self.starts[0]).days // step)
        if bucket >= self.horizon:
            raise MRPInputError(f"calendar: {day} is after the horizon ending {self.starts[-1]}")
        return bucket

    def offset(self, lead_time: int) -> LeadTimeOffset:
        """Receipt buckets, release buckets and the lead-time fence for ``lead_time`` days."""
        working = np.asarray(self.working_days, dtype=np.int64)
        before = np.concatenate([[0], np.cumsum(working)[:-1]])  # W(b)
        open_buckets = np.flatnonzero(working > 0)
        if open_buckets.size == 0:
            raise MRPInputError("calendar: no bucket has a working day")
        position = np.searchsorted(open_buckets, np.arange(self.horizon), side="right") - 1
        receive = np.where(position >= 0, open_buckets[np.maximum(position, 0)], 0)
        latest_start = before - lead_time
        # latest open bucket at or before the due bucket with enough working days in between
        k = np.minimum(
            np.searchsorted(before[open_buckets], latest_start, side="right") - 1, position
        )
        short = np.where(k >= 0, 0, lead_time - before)
        widest = int(working.max())
        late = -np.maximum(np.ceil(short / widest), 1)
        release = np.where(k >= 0, open_buckets[np.maximum(k, 0)], late)
        in_time = np.flatnonzero((short[receive] == 0) & (position >= 0))
        fence = int(in_time[0]) if in_time.size else self.horizon
        return LeadTimeOffset(
            receive_bucket=receive.astype(np.int64),
            release_bucket=release.astype(np.int64),
            days_short=short.astype(np.int64),
            fence=fence,
        )

    def lead_time_buckets(self, lead_time: int) -> int:
        """Whole buckets spanned by ``lead_time`` working days in the widest bucket."""
        return math.ceil(lead_time / max(1, *self.working_days))
