"""Reading one item-site of a run (the web grid's read): record, planned orders and messages.

The hand-worked plan of :mod:`tests.services.planning_world` (weekly from 2026-11-23, 4 weeks):
GREEN@PLANT has 40 on hand, needs 36 a week for BLEND in weeks 0..2, and gets one purchase of
100 (the MOQ) due in week 1: projected available 4, 68, 32, 32; BLEND@PLANT gets three
production orders of 30 due in weeks 1, 2, 3.
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.services.planning_world import AS_OF, PlanningWorld, build_planning_world

from tandem.adapters.memory import InMemoryStore
from tandem.domain.errors import NotFound
from tandem.services import planning
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.planning.reads import run_item_site

ALL = PageRequest(0, 1000)


@pytest.fixture
def pw(ctx: ServiceContext, store: InMemoryStore) -> PlanningWorld:
    return build_planning_world(ctx, store)


def _run(pw: PlanningWorld) -> int:
    command = planning.StartRun(horizon_buckets=4, as_of=AS_OF)
    run = planning.start_run(pw.world.ctx, pw.world.roaster, command)
    assert planning.execute_run(pw.world.ctx, run.id).error == ""
    return run.id


def _record_id(pw: PlanningWorld, run_id: int, sku: str) -> int:
    found = planning.run_records(
        pw.world.ctx, pw.world.roaster, run_id, ALL, item_id=pw.items[sku]
    ).items
    return found[0].id


def test_item_site_result_holds_its_record_and_only_its_orders(pw: PlanningWorld) -> None:
    run_id = _run(pw)
    ctx, roaster = pw.world.ctx, pw.world.roaster
    green = run_item_site(ctx, roaster, run_id, _record_id(pw, run_id, "GREEN"))
    assert green.record.record["projected_available"] == [4.0, 68.0, 32.0, 32.0]
    assert [(o.ref, o.due_date, o.quantity) for o in green.orders] == [
        ("GREEN@PLANT#1", date(2026, 11, 30), 100.0)
    ]
    assert green.exceptions == ()
    blend = run_item_site(ctx, roaster, run_id, _record_id(pw, run_id, "BLEND"))
    assert [(o.ref, o.due_date) for o in blend.orders] == [
        ("BLEND@PLANT#1", date(2026, 11, 30)),
        ("BLEND@PLANT#2", date(2026, 12, 7)),
        ("BLEND@PLANT#3", date(2026, 12, 14)),
    ]


def test_item_site_of_another_run_or_member_is_not_found(pw: PlanningWorld) -> None:
    first, second = _run(pw), _run(pw)
    ctx = pw.world.ctx
    record_id = _record_id(pw, first, "GREEN")
    with pytest.raises(NotFound, match="not found in run"):
        run_item_site(ctx, pw.world.roaster, second, record_id)
    with pytest.raises(NotFound, match="planning run"):
        run_item_site(ctx, pw.world.cafe, first, record_id)
