"""Working calendars: descriptions, first working days (against a day-by-day reference) and the
engine calendar the planning service builds from one."""

from __future__ import annotations

import doctest
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tandem.domain import calendars
from tandem.domain.calendars import WorkingCalendar, describe_calendar, first_working_days
from tandem.domain.planning_runs import PlanBucket
from tandem.services.planning.problem import planning_calendar

START = date(2026, 12, 21)


def test_docstring_examples_hold() -> None:
    assert doctest.testmod(calendars).failed == 0


def test_descriptions_name_runs_of_weekdays_and_count_holidays() -> None:
    six = WorkingCalendar(0, 1, 1, "Plant", (0, 1, 2, 3, 4, 5), (START, START + timedelta(1)))
    odd = WorkingCalendar(0, 1, 1, "Market", (1, 3))
    assert describe_calendar(six) == "Plant (Mon–Sat, 2 holidays)"
    assert describe_calendar(odd) == "Market (Tue, Thu, 0 holidays)"
    assert describe_calendar(None) == "every day (no working calendar)"


@given(
    weekdays=st.sets(st.integers(0, 6), min_size=1).map(lambda s: tuple(sorted(s))),
    offsets=st.sets(st.integers(0, 34), max_size=12),
    width=st.sampled_from([1, 7]),
)
def test_first_working_day_is_the_earliest_working_day_of_each_bucket(
    weekdays: tuple[int, ...], offsets: set[int], width: int
) -> None:
    holidays = tuple(sorted(START + timedelta(days=o) for o in offsets))
    cal = WorkingCalendar(0, 1, 1, "x", weekdays, holidays)
    starts = tuple(START + timedelta(days=width * b) for b in range(35 // width))
    expected = []
    for start in starts:  # the naive reference: look at every day of the bucket
        days = [start + timedelta(days=i) for i in range(width)]
        working = [d for d in days if d.weekday() in weekdays and d not in holidays]
        expected.append(working[0] if working else start)
    assert first_working_days(cal, starts, width) == tuple(expected)


def test_engine_calendar_has_the_working_days_of_the_member_calendar() -> None:
    # Weeks from Monday 2026-12-21: Mon–Fri minus Dec 25 and Jan 1 -> 4, 4, 5 working days;
    # no calendar: 7 a week.
    cal = WorkingCalendar(0, 1, 1, "Hamburg", holidays=(date(2026, 12, 25), date(2027, 1, 1)))
    weekly = planning_calendar(date(2026, 12, 23), 3, PlanBucket.WEEK, cal)
    assert (weekly.starts[0], weekly.working_days) == (START, (4, 4, 5))
    assert planning_calendar(START, 3, PlanBucket.WEEK).working_days == (7, 7, 7)
    daily = planning_calendar(date(2026, 12, 24), 4, PlanBucket.DAY, cal)
    assert daily.working_days == (1, 0, 0, 0)
