"""Round-trip cases of the production repositories (resources, routings, production orders,
schedules and their operations), run by ``test_repositories``: three entities each, with edge
values (empty and multi-element JSON lists, non-UTC datetimes, ``None``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.production import (
    Changeover,
    OrderOutcomeRow,
    ProductionOrder,
    ProductionOrderStatus,
    ProductionSchedule,
    Resource,
    ResourceKind,
    Routing,
    RoutingOperation,
    ScheduledOperation,
)
from tests.integration.flow_cases import CEST, NOW, Case
from tests.integration.network_seed import Seed


def _resource(seed: Seed, code: str) -> Resource:
    site = seed.sites[0]
    return Resource(0, seed.network.id, site.member_id, site.id, code, "Drum roaster")


def _resources(_uow: SqlUnitOfWork, seed: Seed) -> list[Resource]:
    return [
        _resource(seed, "ROASTER"),
        replace(
            _resource(seed, "PACK"), kind=ResourceKind.LINE, hours_per_day=16.5,
            working_weekdays=(0, 2, 5), non_working_dates=(date(2026, 12, 24), date(2027, 1, 1)),
            max_overtime_hours_per_day=2.0, overtime_cost_per_hour=45.5,
            changeovers=(Changeover("house", "decaf ☕", 1.25), Changeover("decaf ☕", "house", 0)),
            default_changeover_hours=0.5,
        ),
        replace(_resource(seed, "OVEN"), network_id=seed.other_network.id),
    ]  # fmt: skip


def _routings(uow: SqlUnitOfWork, seed: Seed) -> list[Routing]:
    first = uow.resources.add(_resource(seed, "R1"))
    second = uow.resources.add(_resource(seed, "R2"))
    site, items = seed.sites[0], seed.items
    member = site.member_id
    return [
        Routing(0, seed.network.id, member, items[0].id, site.id,
                (RoutingOperation(first.id, 1.5, 0.25),), "house"),
        Routing(0, seed.network.id, member, items[1].id, site.id,
                (RoutingOperation(first.id), RoutingOperation(second.id, 0.0, 0.125)), ""),
        Routing(0, seed.network.id, member, items[0].id, seed.sites[1].id,
                (RoutingOperation(second.id, 2.0, 1.0),), "decaf"),
    ]  # fmt: skip


def _order(seed: Seed, ref: str | None, run_id: int | None = None) -> ProductionOrder:
    site = seed.sites[0]
    return ProductionOrder(
        0, seed.network.id, site.member_id, seed.items[0].id, site.id, 12.5, date(2026, 12, 1),
        ProductionOrderStatus.RELEASED, NOW, run_id, ref,
    )  # fmt: skip


def _orders(_uow: SqlUnitOfWork, seed: Seed) -> list[ProductionOrder]:
    return [
        _order(seed, None),
        replace(
            _order(seed, "BLEND@PLANT#1", 7),
            status=ProductionOrderStatus.PLANNED,
            created_at=NOW.astimezone(CEST),
        ),
        replace(_order(seed, "BLEND@PLANT#2", 7), status=ProductionOrderStatus.DONE, quantity=0.5),
    ]


def _schedule(seed: Seed, outcomes: tuple[OrderOutcomeRow, ...] = ()) -> ProductionSchedule:
    member = seed.sites[0].member_id
    return ProductionSchedule(
        0, seed.network.id, member, NOW, date(2026, 11, 23), 480, 6, "optimal", 60.0, 60.0, 30,
        outcomes,
    )  # fmt: skip


OUTCOMES = (OrderOutcomeRow(1, 480, 420, 0), OrderOutcomeRow(2, 960, 990, 30))


def _schedules(_uow: SqlUnitOfWork, seed: Seed) -> list[ProductionSchedule]:
    return [
        _schedule(seed),
        replace(_schedule(seed, OUTCOMES),
                status="feasible", best_bound=12.5, created_at=NOW.astimezone(CEST)),
        replace(_schedule(seed), network_id=seed.other_network.id, day_minutes=960),
    ]  # fmt: skip


def _operations(uow: SqlUnitOfWork, seed: Seed) -> list[ScheduledOperation]:
    schedule = uow.production_schedules.add(_schedule(seed))
    order = uow.production_orders.add(_order(seed, None))
    resource = uow.resources.add(_resource(seed, "R3"))
    bar = ScheduledOperation(
        0, schedule.id, order.id, 1, resource.id, 0, 420, 0, "house", 0, NOW, NOW
    )
    return [
        bar,
        replace(
            bar,
            operation_no=2,
            start_minute=750,
            end_minute=990,
            setup_minutes=30,
            family="decaf ☕",
            position=1,
            start_at=NOW.astimezone(CEST),
        ),
        replace(bar, operation_no=3, position=2),
    ]


PRODUCTION_CASES = [
    Case(
        "resources",
        _resources,
        lambda e, _s: replace(e, hours_per_day=7.5, non_working_dates=(), changeovers=()),
        (("network_id",), ("member_id", "code"), ("kind",)),
    ),
    Case(
        "routings",
        _routings,
        lambda e, _s: replace(e, operations=e.operations[:1], family="new"),
        (("item_id",), ("site_id",), ("family",)),
    ),
    Case(
        "production_orders",
        _orders,
        lambda e, _s: replace(e, status=ProductionOrderStatus.DONE, quantity=3.0),
        (("status",), ("run_id",), ("planned_order_ref",), ("run_id", "planned_order_ref")),
    ),
    Case(
        "production_schedules",
        _schedules,
        lambda e, _s: replace(e, orders=(), objective=0.0),
        (("network_id",), ("member_id",), ("status",)),
    ),
    Case(
        "scheduled_operations",
        _operations,
        lambda e, _s: replace(e, start_minute=5, end_minute=6),
        (("schedule_id",), ("operation_no",), ("start_minute",)),
    ),
]
