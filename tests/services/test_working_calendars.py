"""Working calendars: set and read a member's (and a site's), and the MRP run nets with it.

The planning world (tests/services/planning_world.py): BLEND@PLANT on hand 50, safety stock 20,
processing 3 days, forecast 30 on Mondays (2026-12-21 and 2026-12-28 here); GREEN@PLANT, 1.2 kg
per kg of BLEND. Here GREEN has 60 on hand, so it needs no order, and 10 more BLEND are
forecast on Friday 2027-01-01 (New Year's Day, a holiday).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from tests.services.planning_world import PlanningWorld, build_planning_world

from tandem.adapters.memory import InMemoryStore
from tandem.domain.calendars import WorkingCalendar
from tandem.domain.errors import Forbidden, NotFound, ValidationFailed
from tandem.domain.forecasts import ForecastPoint
from tandem.domain.planning_runs import PlanBucket, PlanningRun, RunStatus
from tandem.services import planning
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.demo_calendars import HAMBURG_HOLIDAYS, seed_demo_calendars
from tandem.services.planning.calendars import (
    SetWorkingCalendar,
    find_working_calendar,
    get_working_calendar,
    set_working_calendar,
)

ALL = PageRequest(0, 1000)
CHRISTMAS_WEEK = date(2026, 12, 21)  # a Monday
HAMBURG_WINTER = (date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1))


@pytest.fixture
def pw(ctx: ServiceContext, store: InMemoryStore) -> PlanningWorld:
    world = build_planning_world(ctx, store)
    roaster, plant = world.members["ROAST"], world.sites["PLANT"]
    store.forecasts.add(
        ForecastPoint(0, roaster, plant, world.items["BLEND"], date(2027, 1, 1), 10.0, None,
                      None, None, None, "test", ctx.clock.now())
    )  # fmt: skip
    green = store.stock_positions.find(item_id=world.items["GREEN"])[0]
    store.stock_positions.update(replace(green, on_hand=Decimal("60")))
    return world


def _orders(
    pw: PlanningWorld, bucket: PlanBucket, horizon: int
) -> tuple[PlanningRun, list[object]]:
    ctx, roaster = pw.world.ctx, pw.world.roaster
    command = planning.StartRun(horizon_buckets=horizon, bucket=bucket, as_of=CHRISTMAS_WEEK)
    done = planning.execute_run(ctx, planning.start_run(ctx, roaster, command).id)
    assert done.status is RunStatus.SUCCEEDED, done.error
    orders = planning.run_planned_orders(ctx, roaster, done.id, ALL).items
    return done, [(o.ref, o.release_date, o.due_date, o.quantity) for o in orders]


def test_daily_run_counts_lead_times_in_working_days_across_christmas(pw: PlanningWorld) -> None:
    # Daily buckets 2026-12-21 (Mon) .. 2027-01-03; working days: 21, 22, 23, 24, 28, 29, 30,
    # 31 (25 and 26 are holidays, 27 a Sunday, 1 January a holiday, 2-3 a weekend).
    # W(b) = working days before bucket b: W(Dec 28) = 4, W(Dec 31) = 7.
    # BLEND: PA = 50 - 30 = 20 on Dec 21, stays 20; Dec 28 needs 30 to keep 20: due Dec 28,
    #   released on the latest working day s with W(Dec 28) - W(s) >= 3: W(s) <= 1 -> Dec 22.
    # The 10 forecast on the holiday 1 January are received on the working day before it,
    #   Dec 31 (W = 7): released where W(s) <= 4 -> Dec 28.
    set_working_calendar(
        pw.world.ctx, pw.world.roaster, SetWorkingCalendar("Hamburg", holidays=HAMBURG_WINTER)
    )
    run, orders = _orders(pw, PlanBucket.DAY, 14)
    assert run.calendar == "Hamburg (Mon–Fri, 3 holidays)"
    assert orders == [
        ("BLEND@PLANT#1", date(2026, 12, 22), date(2026, 12, 28), 30.0),
        ("BLEND@PLANT#2", date(2026, 12, 28), date(2026, 12, 31), 10.0),
    ]
    green = planning.run_records(
        pw.world.ctx, pw.world.roaster, run.id, ALL, item_id=pw.items["GREEN"]
    ).items[0]
    # GREEN: 1.2 x 30 = 36 on the release day Dec 22, 1.2 x 10 = 12 on Dec 28; 60 on hand.
    assert green.record["gross_requirements"] == [0, 36, 0, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0]
    assert green.record["projected_available"] == [60, *[24] * 6, *[12] * 7]


def test_without_a_calendar_every_day_works_and_the_release_lands_on_christmas(
    pw: PlanningWorld,
) -> None:
    # Every day works: W(Dec 28) = 7, so the release is the day with W(s) = 4: Dec 25; the 10
    # of 1 January are received on 1 January, released 3 days before: Dec 29.
    run, orders = _orders(pw, PlanBucket.DAY, 14)
    assert run.calendar == "every day (no working calendar)"
    assert orders == [
        ("BLEND@PLANT#1", date(2026, 12, 25), date(2026, 12, 28), 30.0),
        ("BLEND@PLANT#2", date(2026, 12, 29), date(2027, 1, 1), 10.0),
    ]


def test_weekly_orders_are_dated_on_their_weeks_first_working_day(pw: PlanningWorld) -> None:
    # Holidays add a bridge day, Monday Dec 28. Weeks from Dec 21: 4 working days (21-24),
    # 3 (29-31), 5 (Jan 4-8). BLEND: gross 30 in week 0, 30 + 10 in week 1; PA(0) = 20; week 1
    # needs 40; released where W(1) - W(s) >= 3: W(1) = 4 -> week 0 (W = 0), dated Monday
    # Dec 21; due in week 1, dated on its first working day, Tuesday Dec 29.
    holidays = (*HAMBURG_WINTER[:2], date(2026, 12, 28), HAMBURG_WINTER[2])
    set_working_calendar(
        pw.world.ctx, pw.world.roaster, SetWorkingCalendar("Bridge", holidays=holidays)
    )
    run, orders = _orders(pw, PlanBucket.WEEK, 3)
    assert run.calendar == "Bridge (Mon–Fri, 4 holidays)"
    assert orders == [("BLEND@PLANT#1", date(2026, 12, 21), date(2026, 12, 29), 40.0)]


def test_a_site_calendar_is_kept_apart_and_replaced_in_place(pw: PlanningWorld) -> None:
    ctx, roaster, plant = pw.world.ctx, pw.world.roaster, pw.sites["PLANT"]
    assert find_working_calendar(ctx, roaster) is None
    with pytest.raises(NotFound, match="every day is a working day"):
        get_working_calendar(ctx, roaster)
    member = set_working_calendar(ctx, roaster, SetWorkingCalendar("Hamburg"))
    site = set_working_calendar(
        ctx, roaster, SetWorkingCalendar(" Plant ", (5, 0, 1, 2, 3, 4, 0), (), plant)
    )
    again = set_working_calendar(
        ctx, roaster, SetWorkingCalendar("Hamburg", holidays=HAMBURG_WINTER[::-1])
    )
    now = ctx.clock.now()
    assert get_working_calendar(ctx, roaster) == again == WorkingCalendar(
        member.id, pw.world.network_id, roaster.member_id, "Hamburg", (0, 1, 2, 3, 4),
        HAMBURG_WINTER, None, now,
    )  # fmt: skip
    assert get_working_calendar(ctx, roaster, plant) == replace(
        site, name="Plant", working_weekdays=(0, 1, 2, 3, 4, 5)
    )
    assert site.id != member.id


def test_only_the_sites_member_sets_its_calendar(pw: PlanningWorld) -> None:
    ctx, cafe, plant = pw.world.ctx, pw.world.cafe, pw.sites["PLANT"]
    with pytest.raises(Forbidden):
        set_working_calendar(ctx, cafe, SetWorkingCalendar("Not mine", site_id=plant))
    with pytest.raises(NotFound):
        find_working_calendar(ctx, cafe, 9999)


def test_invalid_calendars_name_every_offending_field(pw: PlanningWorld) -> None:
    day = date(2026, 12, 25)
    with pytest.raises(ValidationFailed) as caught:
        set_working_calendar(
            pw.world.ctx, pw.world.roaster, SetWorkingCalendar(" ", (0, 7), (day, day))
        )
    assert [str(v) for v in caught.value.violations] == [
        "working_calendar.name: 1 to 120 characters, not blank",
        "working_calendar.working_weekdays: weekdays are 0 (Monday) to 6 (Sunday)",
        "working_calendar.holidays: listed twice: 2026-12-25",
    ]
    with pytest.raises(ValidationFailed, match="at least one working weekday"):
        set_working_calendar(pw.world.ctx, pw.world.roaster, SetWorkingCalendar("x", ()))


def _easter(year: int) -> date:
    """Easter Sunday by the anonymous Gregorian algorithm (Meeus, *Astronomical Algorithms*)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e, f = b // 4, b % 4, (b + 8) // 25
    h = (19 * a + b - d - (b - f + 1) // 3 + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    return date(year, (h + ell - 7 * m + 114) // 31, (h + ell - 7 * m + 114) % 31 + 1)


def test_demo_holidays_are_hamburgs_by_the_law_and_easter() -> None:
    expected: list[date] = []
    for year in (2026, 2027):
        easter = _easter(year)
        movable = [easter + timedelta(days=n) for n in (-2, 1, 39, 50)]
        fixed = [
            date(year, m, d) for m, d in ((1, 1), (5, 1), (10, 3), (10, 31), (12, 25), (12, 26))
        ]
        expected += sorted(movable + fixed)
    assert _easter(2026) == date(2026, 4, 5) and _easter(2027) == date(2027, 3, 28)
    assert tuple(expected) == HAMBURG_HOLIDAYS


def test_demo_calendars_go_to_the_named_members_that_exist(pw: PlanningWorld) -> None:
    ctx = pw.world.ctx
    code = "coffee"
    assert seed_demo_calendars(ctx, code, ("ROAST", "CAFE", "NOBODY")) == 2
    for principal in (pw.world.roaster, pw.world.cafe):
        stored = get_working_calendar(ctx, principal)
        assert (stored.name, stored.working_weekdays, stored.holidays) == (
            "Hamburg",
            (0, 1, 2, 3, 4),
            HAMBURG_HOLIDAYS,
        )
    assert find_working_calendar(ctx, pw.world.beans) is None
    with pytest.raises(NotFound):
        seed_demo_calendars(ctx, "no-such-network")
