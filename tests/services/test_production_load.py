"""Capacity check of a planning run (resource load) and release of production orders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from tests.services.production_world import MONDAY, Shop, build_shop
from tests.support import World

from tandem.adapters.memory import InMemoryStore
from tandem.domain.errors import Conflict, NotFound, ValidationFailed
from tandem.domain.planning_runs import RunStatus
from tandem.domain.production import ProductionOrderStatus, RoutingOperation
from tandem.services import production
from tandem.services.context import PageRequest
from tandem.services.production import ReleaseOrders, load_sheet

TUESDAY, WEDNESDAY, THURSDAY = date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)


@pytest.fixture
def shop(world: World, store: InMemoryStore) -> Shop:
    return build_shop(world, store)


def test_two_orders_overload_the_roaster_on_tuesday_and_one_is_pulled_to_monday(shop: Shop) -> None:
    # Hand check: each BLEND order of 10 takes 1 h setup + 10 x 0.2 h = 3 h; three orders
    # released Tuesday, due Wednesday, load Tuesday: 9 h > 8 h.
    # The DECAF order of 5 (2 h, released and due Thursday) loads Thursday, a holiday: closed.
    holiday = replace(shop.roaster, non_working_dates=(THURSDAY,))
    shop.store.resources.update(holiday)
    run = shop.run([
        ("BLEND", 10, TUESDAY, WEDNESDAY), ("BLEND", 10, TUESDAY, WEDNESDAY),
        ("BLEND", 10, TUESDAY, WEDNESDAY), ("DECAF", 5, THURSDAY, THURSDAY),
    ])  # fmt: skip
    load = production.resource_load(shop.world.ctx, shop.world.roaster, run.id)
    (row,) = load.resources
    assert load.buckets == (MONDAY, TUESDAY, WEDNESDAY, THURSDAY, date(2026, 11, 27))
    assert row.capacity == (8.0, 8.0, 8.0, 0.0, 8.0)
    assert row.load == (0.0, 9.0, 0.0, 2.0, 0.0)
    assert row.utilisation == (0.0, 1.125, 0.0, None, 0.0)
    tuesday, thursday = load.overloads
    assert (tuesday.bucket_start, tuesday.load, tuesday.capacity, tuesday.excess) == (
        TUESDAY, 9.0, 8.0, 1.0,
    )  # fmt: skip
    assert [(o.ref, o.hours) for o in tuesday.orders] == [
        ("BLEND@PLANT#1", 3.0), ("BLEND@PLANT#2", 3.0), ("BLEND@PLANT#3", 3.0),
    ]  # fmt: skip
    assert (thursday.bucket_start, thursday.capacity, thursday.excess) == (THURSDAY, 0.0, 2.0)
    # Levelling: #1 (largest, then by ref) moves to Monday; Thursday's order pulls to the
    # earliest day with 2 h free: Monday (3 h used of 8).
    assert [(m.ref, m.from_start, m.to_start) for m in load.moves] == [
        ("BLEND@PLANT#1", TUESDAY, MONDAY), ("DECAF@PLANT#4", THURSDAY, MONDAY),
    ]  # fmt: skip
    assert row.levelled_load == (5.0, 6.0, 0.0, 0.0, 0.0)


def test_an_order_spanning_two_operations_loads_each_step_one_bucket_apart(shop: Shop) -> None:
    packer = production.create_resource(
        shop.world.ctx, shop.world.roaster,
        production.ResourceSpec(shop.plant, "PACKER", "Packing line"),
    )  # fmt: skip
    ops = (
        RoutingOperation(shop.roaster.id, 1.0, 0.2),
        RoutingOperation(packer.id, 0.5, 0.1),
    )
    production.update_routing(
        shop.world.ctx, shop.world.roaster, shop.routings["BLEND"],
        production.RoutingSpec(shop.items["BLEND"], shop.plant, ops, "red"),
    )  # fmt: skip
    # Released Monday, due Wednesday: packing (0.5 + 10 x 0.1 = 1.5 h) Tuesday, roasting
    # (3 h) Monday.
    run = shop.run([("BLEND", 10, MONDAY, WEDNESDAY)])
    load = production.resource_load(shop.world.ctx, shop.world.roaster, run.id)
    assert [(r.code, r.load[:3]) for r in load.resources] == [
        ("ROASTER", (3.0, 0.0, 0.0)), ("PACKER", (0.0, 1.5, 0.0)),
    ]  # fmt: skip
    assert load.overloads == () and load.moves == ()


def test_orders_without_routing_or_due_after_the_horizon_are_listed_not_loaded(shop: Shop) -> None:
    production.delete_routing(shop.world.ctx, shop.world.roaster, shop.routings["DECAF"])
    run = shop.run([("DECAF", 5, MONDAY, TUESDAY), ("BLEND", 5, MONDAY, date(2026, 12, 1))])
    load = production.resource_load(shop.world.ctx, shop.world.roaster, run.id)
    assert load.unrouted == ("DECAF@PLANT#1",)
    assert load.beyond_horizon == ("BLEND@PLANT#2",)
    assert load.resources[0].load == (0.0,) * 5


def test_the_sheet_lists_capacity_load_overloads_and_moves(shop: Shop) -> None:
    run = shop.run([("BLEND", 30, MONDAY, TUESDAY), ("BLEND", 30, MONDAY, TUESDAY)])
    sheet = load_sheet(production.resource_load(shop.world.ctx, shop.world.roaster, run.id))
    assert sheet[0][:3] == ["resource", "row", MONDAY]
    assert sheet[1][:4] == ["ROASTER", "capacity (h)", 8.0, 8.0]
    assert sheet[2][:4] == ["ROASTER", "load (h)", 14.0, 0.0]  # 2 x (1 + 30 x 0.2)
    assert sheet[3][:3] == ["ROASTER", "utilisation", 1.75]
    assert sheet[7] == ["ROASTER", MONDAY, 14.0, 8.0, 6.0,
                        "BLEND@PLANT#1 (7 h); BLEND@PLANT#2 (7 h)"]  # fmt: skip
    assert sheet[-1] == ["planned order", "from bucket", "to bucket"]  # nothing earlier than Monday


def test_a_run_that_has_not_succeeded_or_belongs_to_another_member_has_no_load(
    shop: Shop,
) -> None:
    run = shop.run([])
    shop.store.planning_runs.update(replace(run, status=RunStatus.RUNNING))
    with pytest.raises(Conflict):
        production.resource_load(shop.world.ctx, shop.world.roaster, run.id)
    with pytest.raises(NotFound):
        production.resource_load(shop.world.ctx, shop.world.cafe, run.id)


def test_releasing_a_run_creates_released_orders_once_and_only_for_routed_items(
    shop: Shop,
) -> None:
    production.delete_routing(shop.world.ctx, shop.world.roaster, shop.routings["DECAF"])
    run = shop.run([("BLEND", 10, MONDAY, TUESDAY), ("DECAF", 5, MONDAY, TUESDAY)])
    ctx, roast = shop.world.ctx, shop.world.roaster
    first = production.release_orders(ctx, roast, ReleaseOrders())
    again = production.release_orders(ctx, roast, ReleaseOrders(run.id))
    assert [(o.planned_order_ref, o.quantity, o.due_date, o.status) for o in first] == [
        ("BLEND@PLANT#1", 10.0, TUESDAY, ProductionOrderStatus.RELEASED)
    ]
    assert again == first
    decaf = shop.store.planned_orders.find(run_id=run.id, ref="DECAF@PLANT#2")[0]
    with pytest.raises(ValidationFailed, match="DECAF@PLANT#2 has no routing"):
        production.release_orders(ctx, roast, ReleaseOrders(run.id, (decaf.id,)))
    page = production.list_production_orders(ctx, roast, PageRequest())
    assert page.total == 1
    assert production.complete_order(ctx, roast, first[0].id).status is ProductionOrderStatus.DONE
    assert production.list_production_orders(ctx, shop.world.cafe, PageRequest()).total == 0
