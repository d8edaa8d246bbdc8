"""Resources, routings and the schedule's working-minute axis."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.errors import ValidationFailed
from tandem.domain.production import (
    Changeover,
    Resource,
    Routing,
    RoutingOperation,
    check_resource,
    check_routing,
)
from tandem.services.production.calendar import Timeline, bucket_calendar

MONDAY = date(2026, 11, 23)


def _resource(**changes: object) -> Resource:
    fields: dict[str, object] = {"hours_per_day": 8.0, **changes}
    return Resource(1, 1, 1, 1, "R", "Roaster", **fields)  # type: ignore[arg-type]


def test_a_calendar_skips_weekends_and_holidays() -> None:
    roaster = _resource(non_working_dates=(date(2026, 11, 25),))
    assert [roaster.hours_on(MONDAY + timedelta(days=k)) for k in range(7)] == [
        8.0, 8.0, 0.0, 8.0, 8.0, 0.0, 0.0,
    ]  # fmt: skip
    assert bucket_calendar(roaster, (MONDAY, MONDAY + timedelta(days=7)), 7).hours == (32.0, 40.0)


def test_operation_hours_are_setup_plus_run_and_nothing_for_an_empty_batch() -> None:
    op = RoutingOperation(1, setup_hours=1.5, run_hours_per_unit=0.25)
    assert (op.hours(10), op.hours(0)) == (4.0, 0.0)


def test_resource_checks_name_each_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_resource(
            _resource(
                hours_per_day=0.0,
                working_weekdays=(0, 0, 7),
                changeovers=(Changeover("a", "b", 1), Changeover("a", "b", 2)),
            )
        )
    assert sorted(v.field or "" for v in caught.value.violations) == [
        "changeovers", "hours_per_day", "working_weekdays",
    ]  # fmt: skip
    check_resource(_resource(max_overtime_hours_per_day=16.0))  # 8 + 16 = 24 is allowed
    with pytest.raises(ValidationFailed, match="exceeds 24 hours"):
        check_resource(_resource(max_overtime_hours_per_day=16.5))


def test_a_routing_needs_operations_that_take_time() -> None:
    with pytest.raises(ValidationFailed, match="at least one operation"):
        check_routing(Routing(1, 1, 1, 1, 1, ()))
    with pytest.raises(ValidationFailed, match="finite number"):
        check_routing(Routing(1, 1, 1, 1, 1, (RoutingOperation(1, -1.0, 1.0),)))


def test_the_timeline_counts_working_minutes_from_the_first_working_day() -> None:
    saturday = date(2026, 11, 21)
    axis = Timeline([_resource()], saturday)
    assert (axis.origin, axis.day_minutes) == (MONDAY, 480)
    assert axis.end_of(saturday) == 0
    assert axis.end_of(date(2026, 11, 29)) == 5 * 480  # Sunday: the week's five shifts
    assert axis.at(0) == datetime(2026, 11, 23, 6, tzinfo=UTC)
    assert axis.at(480) == datetime(2026, 11, 24, 6, tzinfo=UTC)
    assert axis.at(480, end=True) == datetime(2026, 11, 23, 14, tzinfo=UTC)
    assert axis.at(5 * 480 + 30) == datetime(2026, 11, 30, 6, 30, tzinfo=UTC)


@given(
    st.integers(min_value=0, max_value=60),
    st.sets(st.integers(min_value=0, max_value=6), min_size=1),
    st.sets(st.integers(min_value=0, max_value=60), max_size=10),
)
def test_the_end_of_a_working_day_maps_back_to_that_day(
    offset: int, weekdays: set[int], holidays: set[int]
) -> None:
    off = tuple(MONDAY + timedelta(days=h) for h in sorted(holidays))
    resource = _resource(working_weekdays=tuple(sorted(weekdays)), non_working_dates=off)
    axis = Timeline([resource], MONDAY)
    day = MONDAY + timedelta(days=offset)
    # Naive reference: count the working days up to ``day``.
    worked = sum(resource.is_working(MONDAY + timedelta(days=k)) for k in range(offset + 1))
    assert axis.end_of(day) == worked * 480
    if resource.is_working(day):
        assert axis.at(axis.end_of(day), end=True) == datetime(
            day.year, day.month, day.day, 14, tzinfo=UTC
        )
