"""Collaborative forecasts: a member forecasts its own demand; partners read through grants."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.support import World

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.sharing import DataCategory
from tandem.services import demand, forecasts, sharing
from tandem.services.context import PageRequest
from tandem.services.demand import DemandObservation
from tandem.services.forecasts import ForecastRunSummary

ALL = PageRequest(0, 1000)
START = date(2026, 7, 1)  # a Wednesday
DAYS = 120
WEEKLY = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)  # the same week, every week
HORIZON = 14


def ids(world: World) -> dict[str, int]:
    with world.ctx.uow() as uow:
        found = {i.sku: i.id for i in uow.items.find()}
        found.update({s.code: s.id for s in uow.sites.find()})
    return found


def record_weekly_demand(world: World, site: str, item: str, base: float, days: int = DAYS) -> None:
    """``days`` days of demand repeating one week: ``base + WEEKLY[n % 7]`` on day ``n``."""
    i = ids(world)
    rows = [
        DemandObservation(i[site], i[item], START + timedelta(days=n), base + WEEKLY[n % 7])
        for n in range(days)
    ]
    principal = world.roaster if site == "PLANT" else world.cafe
    demand.record_demand(world.ctx, principal, rows)


@pytest.fixture
def latte_history(world: World) -> World:
    record_weekly_demand(world, "CAFE-1", "LATTE", 40.0)
    return world


def test_run_stores_one_point_per_day_of_the_horizon(latte_history: World) -> None:
    world, i = latte_history, ids(latte_history)

    summary = forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)

    assert summary == ForecastRunSummary(HORIZON, 1, HORIZON, ("SeasonalNaive",))
    stored = forecasts.read_forecasts(world.ctx, world.cafe, ALL).items
    first_day = START + timedelta(days=DAYS)
    assert [(p.site_id, p.item_id, p.day) for p in stored] == [
        (i["CAFE-1"], i["LATTE"], first_day + timedelta(days=n)) for n in range(HORIZON)
    ]
    # a history that repeats one week exactly is forecast to repeat it, with no uncertainty
    assert [p.forecast for p in stored] == [40.0 + WEEKLY[(DAYS + n) % 7] for n in range(HORIZON)]
    assert [(p.lo_95, p.hi_95) for p in stored] == [(p.forecast, p.forecast) for p in stored]
    assert {(p.owner_member_id, p.model, p.created_at) for p in stored} == {
        (world.cafe.member_id, "SeasonalNaive", world.ctx.clock.now())
    }


def test_rerun_replaces_the_stored_forecast_without_duplicates(latte_history: World) -> None:
    world = latte_history
    forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)

    again = forecasts.run_forecasts(world.ctx, world.cafe, 7)

    stored = forecasts.read_forecasts(world.ctx, world.cafe, ALL)
    assert again.points == 7
    assert stored.total == 7
    assert [p.day for p in stored.items] == [START + timedelta(days=DAYS + n) for n in range(7)]


def test_run_narrowed_to_one_item_site_keeps_the_other_forecasts(latte_history: World) -> None:
    world, i = latte_history, ids(latte_history)
    record_weekly_demand(world, "CAFE-2", "LATTE", 25.0)
    forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)

    narrowed = forecasts.run_forecasts(world.ctx, world.cafe, 7, site_id=i["CAFE-2"])

    assert narrowed == ForecastRunSummary(7, 1, 7, ("SeasonalNaive",))
    stored = forecasts.read_forecasts(world.ctx, world.cafe, ALL).items
    per_site = {s: sum(1 for p in stored if p.site_id == s) for s in (i["CAFE-1"], i["CAFE-2"])}
    assert per_site == {i["CAFE-1"]: HORIZON, i["CAFE-2"]: 7}


def test_short_history_is_forecast_without_intervals(world: World) -> None:
    record_weekly_demand(world, "CAFE-1", "LATTE", 40.0, days=2)

    summary = forecasts.run_forecasts(world.ctx, world.cafe, 3)

    stored = forecasts.read_forecasts(world.ctx, world.cafe, ALL).items
    assert summary == ForecastRunSummary(3, 1, 3, ("Naive",))
    assert [(p.forecast, p.lo_80, p.hi_95) for p in stored] == [(38.0, None, None)] * 3


def test_run_without_history_stores_nothing(world: World) -> None:
    summary = forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)

    assert summary == ForecastRunSummary(HORIZON, 0, 0, ())
    assert forecasts.read_forecasts(world.ctx, world.cafe, ALL).total == 0


def test_horizon_outside_one_year_is_refused(latte_history: World) -> None:
    world = latte_history
    with pytest.raises(ValidationFailed) as caught:
        forecasts.run_forecasts(world.ctx, world.cafe, 366)
    assert caught.value.violations == [
        Violation("run", "must lie in [1, 365] days", "horizon_days")
    ]


def test_partner_sees_no_forecast_without_a_forecasts_grant(latte_history: World) -> None:
    world = latte_history
    forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)
    # demand history is shared, forecasts are not: a grant covers one category only
    sharing.grant_access(
        world.ctx,
        world.cafe,
        sharing.GrantAccess(world.roaster.member_id, DataCategory.DEMAND_HISTORY),
    )

    seen = forecasts.read_forecasts(world.ctx, world.roaster, ALL)

    assert (seen.items, seen.total) == ((), 0)
    assert sharing.read_audit_log(world.ctx, world.cafe, ALL).total == 0


def test_partner_reads_granted_forecasts_and_the_read_is_audited(latte_history: World) -> None:
    world, i = latte_history, ids(latte_history)
    forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)
    grant = sharing.grant_access(
        world.ctx,
        world.cafe,
        sharing.GrantAccess(world.roaster.member_id, DataCategory.FORECASTS),
    )

    seen = forecasts.read_forecasts(world.ctx, world.roaster, ALL, item_id=i["LATTE"])

    assert seen.total == HORIZON
    assert {p.owner_member_id for p in seen.items} == {world.cafe.member_id}
    log = sharing.read_audit_log(world.ctx, world.cafe, ALL).items
    assert [(e.grant_id, e.reader_member_id, e.category, e.resource, e.rows) for e in log] == [
        (
            grant.id,
            world.roaster.member_id,
            DataCategory.FORECASTS,
            f"forecasts item_id={i['LATTE']}",
            HORIZON,
        )
    ]


def test_partner_cannot_forecast_the_owners_demand(latte_history: World) -> None:
    world, i = latte_history, ids(latte_history)
    record_weekly_demand(world, "PLANT", "BLEND", 5.0, days=21)
    sharing.grant_access(
        world.ctx,
        world.cafe,
        sharing.GrantAccess(world.roaster.member_id, DataCategory.DEMAND_HISTORY),
    )

    with pytest.raises(ValidationFailed) as caught:
        forecasts.run_forecasts(world.ctx, world.roaster, HORIZON, site_id=i["CAFE-1"])
    own_only = forecasts.run_forecasts(world.ctx, world.roaster, HORIZON)

    assert caught.value.violations == [
        Violation("run", f"site {i['CAFE-1']} is not one of yours", "site_id")
    ]
    assert own_only.series == 1
    roaster_rows = forecasts.read_forecasts(world.ctx, world.roaster, ALL).items
    assert {(p.owner_member_id, p.site_id, p.item_id) for p in roaster_rows} == {
        (world.roaster.member_id, i["PLANT"], i["BLEND"])
    }
    assert forecasts.read_forecasts(world.ctx, world.cafe, ALL).total == 0
