"""Scheduling released production orders with CP-SAT, and capable-to-promise on the schedule.

Hand-checked case (the roaster works 8 h = 480 working minutes a day, Monday to Friday; the
clock reads Saturday 2026-11-21, so the schedule starts Monday 23 at 06:00, minute 0):
A = BLEND 30 (1 h + 30 x 0.2 h = 420 min, red) due Monday (minute 480), C = BLEND 20 (300 min,
red) and B = DECAF 10 (10 x 0.4 h = 240 min, blue) due Tuesday (960); red <-> blue takes 30 min.
  A, C, B: A 0-420, C 420-720, setup 30, B 750-990 -> B 30 min late; setups 30: objective 60.
  A, B, C: setups 60, C ends 1020 (60 late): 120.   B first: A ends >= 690, 210 late or worse.
  C first: A ends 720 (240 late).  So A, C, B is the unique optimum; B runs Tuesday 10:30 to
  Wednesday 06:30 (990 - 960 = 30 minutes into Wednesday's shift).
Promise of BLEND 5 (1 h + 1 h = 120 min, red): every gap would delay A, C or B, so it goes
after B: setup 30, 1020-1140 = Wednesday 09:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from tests.services.production_world import MONDAY, Shop, build_shop
from tests.support import World

from tandem.adapters.memory import InMemoryStore
from tandem.domain.customers import (
    Customer,
    CustomerOrder,
    CustomerOrderLine,
    CustomerOrderStatus,
)
from tandem.domain.errors import NotFound, ValidationFailed
from tandem.domain.production import ProductionOrder, ProductionOrderStatus
from tandem.services import production
from tandem.services.production import CheckPromise, ScheduleOrders

TUESDAY, WEDNESDAY = date(2026, 11, 24), date(2026, 11, 25)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def shop(world: World, store: InMemoryStore) -> Shop:
    shop = build_shop(world, store)
    roast = world.roaster
    for sku, quantity, due in (("BLEND", 30, MONDAY), ("DECAF", 10, TUESDAY),
                               ("BLEND", 20, TUESDAY)):  # fmt: skip
        store.production_orders.add(ProductionOrder(
            0, world.network_id, roast.member_id, shop.items[sku], shop.plant, quantity, due,
            ProductionOrderStatus.RELEASED, world.ctx.clock.now(),
        ))  # fmt: skip
    return shop


def test_released_orders_are_sequenced_a_c_b_with_one_changeover(shop: Shop) -> None:
    view = production.schedule_released(shop.world.ctx, shop.world.roaster, ScheduleOrders())
    a, b, c = 1, 2, 3  # production order ids
    assert view.schedule.status == "optimal"
    assert (view.schedule.objective, view.schedule.total_setup_minutes) == (60.0, 30)
    assert view.schedule.origin == MONDAY and view.schedule.day_minutes == 480
    bars = [(x.production_order_id, x.start_minute, x.end_minute, x.setup_minutes, x.tardy)
            for x in view.bars]  # fmt: skip
    assert bars == [(a, 0, 420, 0, False), (c, 420, 720, 0, False), (b, 750, 990, 30, True)]
    by_order = {x.production_order_id: x for x in view.bars}
    assert (by_order[a].start_at, by_order[a].end_at) == (_at(23, 6), _at(23, 13))
    assert (by_order[c].start_at, by_order[c].end_at) == (_at(23, 13), _at(24, 10))
    assert (by_order[b].start_at, by_order[b].end_at) == (_at(24, 10, 30), _at(25, 6, 30))
    assert [(o.production_order_id, o.tardiness_minutes) for o in view.orders] == [
        (a, 0), (b, 30), (c, 0),
    ]  # fmt: skip
    assert view.days == (MONDAY, TUESDAY, WEDNESDAY)
    assert production.current_schedule(shop.world.ctx, shop.world.roaster) == view
    assert production.current_schedule(shop.world.ctx, shop.world.cafe) is None


def test_a_promise_goes_after_the_booked_orders_without_delaying_them(shop: Shop) -> None:
    ctx, roast = shop.world.ctx, shop.world.roaster
    view = production.schedule_released(ctx, roast, ScheduleOrders())
    ask = CheckPromise(item_id=shop.items["BLEND"], site_id=shop.plant, quantity=5,
                       requested_date=WEDNESDAY)  # fmt: skip
    promise = production.check_promise(ctx, roast, ask)
    assert (promise.status, promise.earliest_completion_at) == ("optimal", _at(25, 9))
    assert (promise.earliest_date, promise.on_time, promise.schedule_id) == (
        WEDNESDAY, True, view.schedule.id,
    )  # fmt: skip
    early = production.check_promise(ctx, roast, CheckPromise(
        item_id=shop.items["BLEND"], site_id=shop.plant, quantity=5, requested_date=TUESDAY,
    ))  # fmt: skip
    assert (early.earliest_completion_at, early.on_time) == (_at(25, 9), False)


def test_without_a_schedule_the_promise_is_the_routing_time_from_the_first_shift(
    shop: Shop,
) -> None:
    # Empty shop floor: BLEND 5 takes 120 minutes from Monday 06:00.
    promise = production.check_promise(shop.world.ctx, shop.world.roaster, CheckPromise(
        item_id=shop.items["BLEND"], site_id=shop.plant, quantity=5, requested_date=MONDAY,
    ))  # fmt: skip
    assert (promise.earliest_completion_at, promise.on_time, promise.schedule_id) == (
        _at(23, 8), True, None,
    )  # fmt: skip


def test_promise_needs_a_routing_and_a_complete_request(shop: Shop) -> None:
    ctx, roast = shop.world.ctx, shop.world.roaster
    with pytest.raises(ValidationFailed, match="no routing"):
        production.check_promise(ctx, roast, CheckPromise(
            item_id=shop.items["GREEN"], site_id=shop.plant, quantity=1, requested_date=MONDAY,
        ))  # fmt: skip
    with pytest.raises(ValidationFailed):
        production.check_promise(ctx, roast, CheckPromise(item_id=shop.items["BLEND"]))
    with pytest.raises(NotFound):
        production.check_promise(ctx, roast, CheckPromise(customer_order_line_id=999))


def test_scheduling_without_released_orders_is_refused(shop: Shop) -> None:
    for order in shop.store.production_orders.find():
        production.complete_order(shop.world.ctx, shop.world.roaster, order.id)
    with pytest.raises(ValidationFailed, match="no released production orders"):
        production.schedule_released(shop.world.ctx, shop.world.roaster, ScheduleOrders())


def test_a_customer_order_line_is_promised_for_its_open_quantity(shop: Shop) -> None:
    # 7 ordered, 2 shipped: 5 open BLEND from the plant, as in the promise above (Wednesday 9:00),
    # requested Tuesday: too late. The café cannot ask about the roaster's line.
    ctx, roast, store = shop.world.ctx, shop.world.roaster, shop.store
    production.schedule_released(ctx, roast, ScheduleOrders())
    customer = store.customers.add(Customer(0, shop.world.network_id, roast.member_id, "C1", "C"))
    order = store.customer_orders.add(CustomerOrder(
        0, shop.world.network_id, roast.member_id, customer.id, "SO-1", shop.plant,
        CustomerOrderStatus.OPEN, ctx.clock.now(),
    ))  # fmt: skip
    line = store.customer_order_lines.add(CustomerOrderLine(
        0, order.id, 1, shop.items["BLEND"], Decimal(7), TUESDAY, 1200, Decimal(2),
    ))  # fmt: skip
    promise = production.check_promise(ctx, roast, CheckPromise(customer_order_line_id=line.id))
    assert (promise.quantity, promise.requested_date) == (5.0, TUESDAY)
    assert (promise.earliest_completion_at, promise.on_time) == (_at(25, 9), False)
    with pytest.raises(NotFound):
        production.check_promise(ctx, shop.world.cafe, CheckPromise(customer_order_line_id=line.id))
