"""Planning runs on the in-memory twins: queued, executed inline, results stored and read."""

from __future__ import annotations

from datetime import date

import pytest
from tests.services.planning_world import AS_OF, PlanningWorld, build_planning_world

from tandem.adapters.memory import InMemoryStore
from tandem.domain.errors import ValidationFailed
from tandem.domain.planning_runs import PlanBucket, RunKind, RunStatus
from tandem.planning import mrp
from tandem.services import planning
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.planning.runs import run_principal

ALL = PageRequest(0, 1000)


@pytest.fixture
def pw(ctx: ServiceContext, store: InMemoryStore) -> PlanningWorld:
    return build_planning_world(ctx, store)


def _run(pw: PlanningWorld, **changes: object) -> int:
    command = planning.StartRun(horizon_buckets=4, as_of=AS_OF, **changes)  # type: ignore[arg-type]
    run = planning.start_run(pw.world.ctx, pw.world.roaster, command)
    assert run.status is RunStatus.QUEUED
    done = planning.execute_run(pw.world.ctx, run.id, worker_pid=4242)
    assert done.status is RunStatus.SUCCEEDED, done.error
    return run.id


def test_live_run_stores_the_hand_worked_plan(pw: PlanningWorld) -> None:
    run_id = _run(pw)
    ctx, roaster = pw.world.ctx, pw.world.roaster
    run = planning.get_run(ctx, roaster, run_id)
    assert (run.progress, run.worker_pid, run.message) == (
        1.0, 4242, "2 item-sites, 4 planned orders, 0 exceptions"
    )  # fmt: skip
    orders = planning.run_planned_orders(ctx, roaster, run_id, ALL).items
    got = [(o.ref, o.kind, o.release_date, o.due_date, o.quantity, o.supplier_member_id)
           for o in orders]  # fmt: skip
    beans = pw.members["BEANS"]
    assert got == [
        ("BLEND@PLANT#1", "production", date(2026, 11, 23), date(2026, 11, 30), 30.0, None),
        ("BLEND@PLANT#2", "production", date(2026, 11, 30), date(2026, 12, 7), 30.0, None),
        ("BLEND@PLANT#3", "production", date(2026, 12, 7), date(2026, 12, 14), 30.0, None),
        ("GREEN@PLANT#1", "purchase", date(2026, 11, 23), date(2026, 11, 30), 100.0, beans),
    ]
    green = planning.run_records(ctx, roaster, run_id, ALL, item_id=pw.items["GREEN"]).items
    assert green[0].record["gross_requirements"] == [36.0, 36.0, 36.0, 0.0]
    assert green[0].record["projected_available"] == [4.0, 68.0, 32.0, 32.0]
    assert green[0].record["planned_receipts"] == [0.0, 100.0, 0.0, 0.0]


def test_stored_pegs_give_the_engines_end_pegging(pw: PlanningWorld) -> None:
    run_id = _run(pw)
    ctx, roaster = pw.world.ctx, pw.world.roaster
    green_order = planning.run_planned_orders(ctx, roaster, run_id, ALL, kind="purchase").items[0]
    pegging = planning.run_pegging(ctx, roaster, run_id, green_order.id)
    # GREEN#1 (100): 32 enable BLEND#2 (ends: 10 forecast W50, 20 forecast W51), 36 enable
    # BLEND#3 (ends: 10 forecast W51, 20 safety stock), 32 serve nothing:
    # W50 32*10/30 = 10.667, W51 32*20/30 + 36*10/30 = 33.333, none 36*20/30 + 32 = 56.
    assert pegging.end_demands == (
        ("", 56.0),
        ("forecast BLEND@PLANT 2026-W50", pytest.approx(10.666667)),
        ("forecast BLEND@PLANT 2026-W51", pytest.approx(33.333333)),
    )
    with pw.world.ctx.uow() as uow:
        run = uow.planning_runs.get(run_id)
        assert run is not None
        data = planning.build_problem(uow, run_principal(run), AS_OF, (), 4, PlanBucket.WEEK)
    engine = mrp.plan(data.problem).end_pegging("GREEN@PLANT#1")
    expected = sorted((p.demand_id or "", p.quantity) for p in engine)
    assert [(d, pytest.approx(q)) for d, q in expected] == list(pegging.end_demands)


def test_what_if_run_scales_demand_and_leaves_the_live_plan(pw: PlanningWorld) -> None:
    live = _run(pw)
    what_if = _run(
        pw, kind=RunKind.WHAT_IF, scenario=({"type": "demand_scale", "item": "BLEND", "factor": 2},)
    )
    ctx, roaster = pw.world.ctx, pw.world.roaster
    with ctx.uow() as uow:
        current = planning.live_run(uow, roaster.member_id)
    assert current is not None and current.id == live
    comparison = planning.compare_runs(ctx, roaster, live, what_if)
    blend = [(r.week_start, r.quantity_a, r.quantity_b) for r in comparison.rows
             if r.item_id == pw.items["BLEND"]]  # fmt: skip
    # forecast 60 a week: PA(0) = 50 - 60 = -10 -> 10 due in week 0 (released past due; no
    # safety stock before the fence), week 1 lifts 0 - 60 back to 20 (80), then 60 a week
    assert blend == [
        (date(2026, 11, 23), 0.0, 10.0),
        (date(2026, 11, 30), 30.0, 80.0),
        (date(2026, 12, 7), 30.0, 60.0),
        (date(2026, 12, 14), 30.0, 60.0),
    ]


def test_scenario_naming_unknown_codes_is_refused(pw: PlanningWorld) -> None:
    command = planning.StartRun(
        kind=RunKind.WHAT_IF,
        scenario=({"type": "lead_time", "supplier": "NOPE", "add_days": 7},
                  {"type": "demand_scale", "factor": -1}),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as raised:
        planning.start_run(pw.world.ctx, pw.world.roaster, command)
    assert [str(v) for v in raised.value.violations] == [
        "scenario[1].factor: must be a number >= 0"
    ]


def test_a_failing_run_is_marked_failed_and_stores_nothing(
    pw: PlanningWorld, store: InMemoryStore
) -> None:
    # a lead time longer than the horizon's 7 working days is refused by the engine
    command = planning.StartRun(
        kind=RunKind.WHAT_IF, horizon_buckets=1, as_of=AS_OF,
        scenario=({"type": "lead_time", "supplier": "BEANS", "add_days": 30},),
    )  # fmt: skip
    run = planning.start_run(pw.world.ctx, pw.world.roaster, command)
    done = planning.execute_run(pw.world.ctx, run.id)
    assert done.status is RunStatus.FAILED
    assert "lead time of 37 working days is longer than the horizon" in done.error
    assert store.planned_orders.rows == {} and store.planning_item_sites.rows == {}


def test_repeated_request_key_returns_the_same_run(pw: PlanningWorld) -> None:
    command = planning.StartRun(request_key="nightly-2026-11-23")
    first = planning.start_run(pw.world.ctx, pw.world.roaster, command)
    again = planning.start_run(pw.world.ctx, pw.world.roaster, command)
    assert again == first
    assert planning.list_runs(pw.world.ctx, pw.world.roaster, ALL).total == 1
