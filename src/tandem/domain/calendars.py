"""Working calendars: the days a member (or one of its sites) works, for time-phased planning.

A :class:`WorkingCalendar` names the working weekdays (``date.weekday()``: Monday is 0) and
the holidays, as dates. MRP counts lead times in working days and lands no release or receipt
on a day off (Vollmann, Berry, Whybark & Jacobs, *Manufacturing Planning and Control for
Supply Chain Management*, 5th ed., 2005, ch. 6: the *shop calendar* of working days in which
MRP offsets lead times). Without a calendar every day is a working day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tandem.domain.errors import Violation

__all__ = [
    "MAX_HOLIDAYS",
    "MAX_NAME",
    "MONDAY_TO_FRIDAY",
    "WEEKDAY_NAMES",
    "WorkingCalendar",
    "calendar_violations",
    "describe_calendar",
    "first_working_days",
]

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONDAY_TO_FRIDAY = (0, 1, 2, 3, 4)
MAX_HOLIDAYS = 1000
MAX_NAME = 120
EVERY_DAY = "every day (no working calendar)"


@dataclass(frozen=True)
class WorkingCalendar:
    """The working days of ``member_id`` (all its sites), or of one site when ``site_id`` is set.

    ``working_weekdays`` are sorted ``date.weekday()`` numbers; ``holidays`` sorted dates.

    Examples
    --------
    >>> cal = WorkingCalendar(0, 1, 2, "Hamburg", holidays=(date(2026, 12, 25),))
    >>> [cal.is_working(date(2026, 12, d)) for d in (24, 25, 26)]
    [True, False, False]
    >>> cal.weekend, describe_calendar(cal)
    ((5, 6), 'Hamburg (Mon–Fri, 1 holiday)')
    """

    id: int
    network_id: int
    member_id: int
    name: str
    working_weekdays: tuple[int, ...] = MONDAY_TO_FRIDAY
    holidays: tuple[date, ...] = ()
    site_id: int | None = None
    updated_at: datetime | None = None

    @property
    def weekend(self) -> tuple[int, ...]:
        """The weekdays off."""
        return tuple(d for d in range(7) if d not in self.working_weekdays)

    def is_working(self, day: date) -> bool:
        return day.weekday() in self.working_weekdays and day not in self.holidays

    def holidays_between(self, first: date, end: date) -> tuple[date, ...]:
        """Holidays in ``[first, end)``."""
        return tuple(d for d in self.holidays if first <= d < end)


def _weekdays_text(weekdays: Sequence[int]) -> str:
    """``Mon–Fri`` for a consecutive run, else the names joined: ``Mon, Wed, Sat``."""
    days = sorted(weekdays)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAY_NAMES[days[0]]}–{WEEKDAY_NAMES[days[-1]]}"
    return ", ".join(WEEKDAY_NAMES[d] for d in days)


def describe_calendar(calendar: WorkingCalendar | None) -> str:
    """One line naming the calendar: ``Hamburg (Mon–Fri, 20 holidays)``."""
    if calendar is None:
        return EVERY_DAY
    count = len(calendar.holidays)
    plural = "holiday" if count == 1 else "holidays"
    return f"{calendar.name} ({_weekdays_text(calendar.working_weekdays)}, {count} {plural})"


def first_working_days(
    calendar: WorkingCalendar | None, starts: Sequence[date], days: int
) -> tuple[date, ...]:
    """The first working day of each bucket of ``days`` days from ``starts``; a bucket without
    one keeps its first day.

    >>> cal = WorkingCalendar(0, 1, 2, "x", holidays=(date(2026, 4, 6),))  # Easter Monday
    >>> first_working_days(cal, (date(2026, 4, 6), date(2026, 4, 13)), 7)
    (datetime.date(2026, 4, 7), datetime.date(2026, 4, 13))
    """
    if calendar is None:
        return tuple(starts)
    found: list[date] = []
    for start in starts:
        span = (start + timedelta(days=i) for i in range(days))
        found.append(next((d for d in span if calendar.is_working(d)), start))
    return tuple(found)


def calendar_violations(
    name: str, working_weekdays: Iterable[int], holidays: Sequence[date]
) -> list[Violation]:
    """What is wrong with a calendar as given: a blank or long name, a weekday outside 0..6,
    no working weekday at all, a holiday listed twice, too many holidays."""
    found: list[Violation] = []
    where = "working_calendar"
    if not name.strip() or len(name) > MAX_NAME:
        found.append(Violation(where, f"1 to {MAX_NAME} characters, not blank", "name"))
    weekdays = list(working_weekdays)
    if any(not 0 <= d <= 6 for d in weekdays):
        found.append(Violation(where, "weekdays are 0 (Monday) to 6 (Sunday)", "working_weekdays"))
    elif not weekdays:
        found.append(Violation(where, "at least one working weekday", "working_weekdays"))
    if len(set(holidays)) != len(holidays):
        twice = sorted({d for d in holidays if list(holidays).count(d) > 1})
        listed = ", ".join(d.isoformat() for d in twice)
        found.append(Violation(where, f"listed twice: {listed}", "holidays"))
    if len(holidays) > MAX_HOLIDAYS:
        found.append(Violation(where, f"at most {MAX_HOLIDAYS} holidays", "holidays"))
    return found
