"""Net-change planning runs store exactly what a regeneration on the same data stores.

The planning world (tests/services/planning_world.py): BLEND@PLANT is made from GREEN@PLANT.
A live regeneration is the base; then the data change and a net-change run is compared, row
for row, with a regeneration run on the same data.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from tests.services.planning_world import AS_OF, PlanningWorld, build_planning_world

from tandem.adapters.memory import InMemoryStore
from tandem.domain.network import PlanningParameters
from tandem.domain.planning_runs import PlanningRun, RunMode, RunStatus
from tandem.services import planning, purchase_orders
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.planning.problem_codec import decode_problem
from tandem.services.ports import UnitOfWork

W2 = date(2026, 12, 7)  # bucket 2 of the 4 weekly buckets from AS_OF


@pytest.fixture
def pw(ctx: ServiceContext, store: InMemoryStore) -> PlanningWorld:
    return build_planning_world(ctx, store)


def _run(pw: PlanningWorld, mode: RunMode = RunMode.REGENERATION) -> PlanningRun:
    command = planning.StartRun(horizon_buckets=4, as_of=AS_OF, mode=mode)
    run = planning.start_run(pw.world.ctx, pw.world.roaster, command)
    done = planning.execute_run(pw.world.ctx, run.id)
    assert done.status is RunStatus.SUCCEEDED, done.error
    return done


def _stored(pw: PlanningWorld, run_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every result row of a run without its row and run ids."""
    with pw.world.ctx.uow() as uow:
        return _rows_of(uow, run_id)


def _rows_of(uow: UnitOfWork, run_id: int) -> dict[str, list[tuple[Any, ...]]]:

    def rows(repository: Any, *fields: str) -> list[tuple[Any, ...]]:
        found = repository.find(run_id=run_id)
        return [tuple(getattr(r, f) for f in fields) for r in sorted(found, key=lambda r: r.id)]

    return {
        "orders": rows(
            uow.planned_orders, "ref", "item_id", "site_id", "kind", "release_date",
            "due_date", "quantity", "release_quantity", "release_past_due",
            "supplier_member_id", "from_site_id",
        ),
        "records": rows(
            uow.planning_item_sites, "item_id", "site_id", "supply_kind", "low_level_code",
            "record", "past_due_release",
        ),
        "exceptions": rows(
            uow.planning_exceptions, "code", "item_id", "site_id", "day", "message",
            "supply_ref",
        ),
        "pegs": rows(
            uow.planning_pegs, "supply_ref", "quantity", "demand_ref", "parent_ref",
            "parent_quantity",
        ),
    }  # fmt: skip


def _order_green(pw: PlanningWorld, quantity: str, day: date) -> None:
    """An open purchase order of GREEN from the bean importer, due at the plant."""
    ctx, roaster = pw.world.ctx, pw.world.roaster
    line = purchase_orders.OrderLineInput(pw.items["GREEN"], Decimal(quantity), 400, day)
    command = purchase_orders.CreatePurchaseOrder(pw.members["BEANS"], pw.sites["PLANT"], (line,))
    order = purchase_orders.create_order(ctx, roaster, command).order
    purchase_orders.submit_order(ctx, roaster, order.id)


def _set_parameters(store: InMemoryStore, pw: PlanningWorld, sku: str, **values: Any) -> None:
    point = store.item_sites.find(item_id=pw.items[sku], site_id=pw.sites["PLANT"])[0]
    parameters = replace(point.parameters or PlanningParameters(), **values)
    store.item_sites.update(replace(point, parameters=parameters))


def test_net_change_after_forecast_order_and_parameter_changes_equals_regeneration(
    pw: PlanningWorld, store: InMemoryStore
) -> None:
    base = _run(pw)
    blend = pw.items["BLEND"]
    for row in store.forecasts.find(item_id=blend):
        if row.day == W2:
            store.forecasts.update(replace(row, forecast=45.0))
    _order_green(pw, "50", W2)
    _set_parameters(store, pw, "GREEN", safety_stock=10.0)

    net = _run(pw, RunMode.NET_CHANGE)
    full = _run(pw)

    # BLEND's forecast changed and GREEN lies below it: both re-planned
    assert (net.mode, net.replanned_item_sites) == (RunMode.NET_CHANGE, 2)
    assert net.message.startswith("net change re-planned 2 of 2 item-sites; 2 item-sites")
    assert (full.mode, full.replanned_item_sites) == (RunMode.REGENERATION, 2)
    assert _stored(pw, net.id) == _stored(pw, full.id)
    assert _stored(pw, net.id) != _stored(pw, base.id)
    green = planning.run_records(
        pw.world.ctx, pw.world.roaster, net.id, PageRequest(0, 10),
        item_id=pw.items["GREEN"],
    ).items[0]  # fmt: skip
    assert green.record["scheduled_receipts"] == [0.0, 0.0, 50.0, 0.0]
    assert green.record["safety_stock"] == [10.0, 10.0, 10.0, 10.0]


def test_a_change_below_the_top_level_re_plans_only_that_item_site(
    pw: PlanningWorld, store: InMemoryStore
) -> None:
    _run(pw)
    _order_green(pw, "25", W2)
    net = _run(pw, RunMode.NET_CHANGE)
    full = _run(pw)
    # only GREEN's receipts changed; BLEND, its parent, keeps its plan
    assert net.replanned_item_sites == 1
    assert net.message.startswith("net change re-planned 1 of 2 item-sites")
    assert _stored(pw, net.id) == _stored(pw, full.id)


def test_a_bill_of_materials_change_regenerates_and_says_so(
    pw: PlanningWorld, store: InMemoryStore
) -> None:
    _run(pw)
    line = store.bom_lines.find(parent_item_id=pw.items["BLEND"])[0]
    store.bom_lines.update(replace(line, quantity_per=1.5))
    net = _run(pw, RunMode.NET_CHANGE)
    full = _run(pw)
    assert net.mode is RunMode.NET_CHANGE
    assert net.replanned_item_sites == 2
    # GREEN's gross is now 1.5 * 30 = 45 in buckets 0..2 against 40 on hand: 5 short in bucket
    # 0 -> 100 (the MOQ), due in bucket 0 with a 7-day lead time: released past due
    assert net.message == (
        "regenerated: the bill of materials changed; 2 item-sites, 4 planned orders, 1 exceptions"
    )
    assert _stored(pw, net.id) == _stored(pw, full.id)


def test_net_change_without_a_live_plan_regenerates(pw: PlanningWorld) -> None:
    net = _run(pw, RunMode.NET_CHANGE)
    assert net.message.startswith("regenerated: there is no stored live plan to start from;")
    assert net.replanned_item_sites == 2


def test_each_succeeded_run_keeps_the_problem_it_netted(pw: PlanningWorld) -> None:
    run = _run(pw)
    with pw.world.ctx.uow() as uow:
        stored = uow.planning_run_inputs.find(run_id=run.id)
        problem = decode_problem(stored[0].problem)
        again = planning.build_problem(uow, pw.world.roaster, AS_OF, (), 4, run.bucket)
    assert problem == again.problem
    assert [(s.item, s.on_hand, s.safety_stock) for s in problem.item_sites] == [
        ("BLEND", 50.0, 20.0),
        ("GREEN", 40.0, 0.0),
    ]
