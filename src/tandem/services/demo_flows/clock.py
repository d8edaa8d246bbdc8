"""The simulated clock that the flows run on: every service reads ``ctx.clock.now()``, so moving
this clock day by day dates each document as if it had been entered on that day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


class SimulatedClock:
    """A clock set to a day and an hour by the generator; each reading after a :meth:`set` is one
    minute later than the one before, so the steps of one day keep their order."""

    def __init__(self, day: date) -> None:
        self._now = datetime.combine(day, time(0), tzinfo=UTC)
        self._step = timedelta(0)

    def set(self, day: date, hour: int, minute: int = 0) -> None:
        self._now = datetime.combine(day, time(hour, minute), tzinfo=UTC)
        self._step = timedelta(0)

    def now(self) -> datetime:
        reading = self._now + self._step
        if self._step < timedelta(minutes=59):
            self._step += timedelta(minutes=1)
        return reading

    def today(self) -> date:
        return self._now.date()
