"""Time on the shop floor: resource capacity per planning bucket, and the schedule's time axis.

Capacity in a bucket is the resource's regular hours over the bucket's days (its weekday mask
less its non-working dates); overtime is allowed on those working days only.

The scheduler counts time in *working minutes* (:class:`Timeline`): the days on which at least
one of the scheduled resources works follow each other without the nights and days off between
them, each lasting as long as the longest working day of those resources and starting at
:data:`SHIFT_START_HOUR`. A due date is the end of that date's shift. When the resources share
one calendar (the usual case of one plant) this is exact; a resource working shorter days than
the longest is not blocked for the difference (a stated simplification).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from tandem.domain.errors import ValidationFailed
from tandem.domain.production import Resource
from tandem.planning.production import Calendar

__all__ = ["SHIFT_START_HOUR", "Timeline", "bucket_calendar", "bucket_working_days"]

SHIFT_START_HOUR = 6
_SEARCH_DAYS = 3660


def bucket_calendar(resource: Resource, starts: Sequence[date], days: int) -> Calendar:
    """Regular hours of ``resource`` in each bucket of ``days`` days from ``starts``."""
    return Calendar(tuple(resource.hours_between(start, days) for start in starts))


def bucket_working_days(resource: Resource, starts: Sequence[date], days: int) -> tuple[int, ...]:
    """Working days of ``resource`` in each bucket."""
    return tuple(resource.working_days_between(start, days) for start in starts)


@dataclass
class Timeline:
    """Working minutes from the first working day on or after ``start`` (see module doc)."""

    resources: Sequence[Resource]
    start: date
    day_minutes: int = field(init=False)
    days: list[date] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        if not self.resources:
            raise ValidationFailed("scheduling needs at least one resource")
        self.day_minutes = round(max(r.hours_per_day for r in self.resources) * 60)
        self._extend_to(0)

    @property
    def origin(self) -> date:
        return self.days[0]

    def _works(self, day: date) -> bool:
        return any(r.is_working(day) for r in self.resources)

    def _extend_to(self, index: int) -> None:
        day = self.days[-1] + timedelta(days=1) if self.days else self.start
        limit = day + timedelta(days=_SEARCH_DAYS)
        while len(self.days) <= index:
            if day > limit:
                raise ValidationFailed("the resources have no working day in ten years")
            if self._works(day):
                self.days.append(day)
            day += timedelta(days=1)

    def end_of(self, day: date) -> int:
        """Working minutes from the origin to the end of ``day``'s shift (0 before it)."""
        if day < self.origin:
            return 0
        while self.days[-1] < day:
            self._extend_to(len(self.days))
        return sum(1 for d in self.days if d <= day) * self.day_minutes

    def at(self, minute: int, end: bool = False) -> datetime:
        """The clock time of working minute ``minute``; an ``end`` on a shift boundary is the
        end of the earlier shift, not the start of the next."""
        index, offset = divmod(minute, self.day_minutes)
        if end and offset == 0 and index > 0:
            index, offset = index - 1, self.day_minutes
        self._extend_to(index)
        shift = datetime.combine(self.days[index], time(SHIFT_START_HOUR), tzinfo=UTC)
        return shift + timedelta(minutes=offset)
