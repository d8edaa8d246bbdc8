"""Master production schedule from a run's gross requirements (hand-checked).

The roaster is set to 3 hours a day, every day, with up to 2 overtime hours at 10 an hour; DECAF
is routed at 1 h a unit; holding costs 1 a unit a day (given, not derived).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.services.production_world import Shop, build_shop
from tests.support import World

from tandem.adapters.memory import InMemoryStore
from tandem.domain.errors import ValidationFailed
from tandem.domain.production import RoutingOperation
from tandem.services import production
from tandem.services.production import PlanMasterSchedule, RoutingSpec

FIRM = PlanMasterSchedule(holding_cost=1.0, allow_backlog=False)


def _record(gross: list[float], planned: list[float]) -> dict[str, list[float]]:
    zero = [0.0] * len(gross)
    return {
        "gross_requirements": gross, "scheduled_receipts": zero, "projected_available": zero,
        "net_requirements": gross, "planned_receipts": planned, "planned_releases": planned,
        "safety_stock": zero,
    }  # fmt: skip


@pytest.fixture
def shop(world: World, store: InMemoryStore) -> Shop:
    shop = build_shop(world, store)
    small = replace(shop.roaster, hours_per_day=3.0, max_overtime_hours_per_day=2.0,
                    overtime_cost_per_hour=10.0, working_weekdays=tuple(range(7)))  # fmt: skip
    store.resources.update(small)
    production.update_routing(
        world.ctx, world.roaster, shop.routings["DECAF"],
        RoutingSpec(shop.items["DECAF"], shop.plant, (RoutingOperation(small.id, 0, 1.0),), "b"),
    )  # fmt: skip
    return shop


def test_building_ahead_beats_overtime(shop: Shop) -> None:
    # Demand 2 then 4, nothing on hand (PA0 + gross0 - receipts0 = 0 + 2 - 2), 3 h a day:
    # make 3 and 3, holding one unit a day (cost 1) rather than 1 h of overtime (cost 10).
    run = shop.run([], horizon=2, records={"DECAF": _record([2, 4], [2, 4])})
    mps = production.plan_mps(shop.world.ctx, shop.world.roaster, FIRM)
    (row,) = mps.products
    assert (mps.run_id, mps.status, mps.objective) == (run.id, "optimal", 1.0)
    assert (row.sku, row.initial_inventory, row.demand) == ("DECAF", 0.0, (2.0, 4.0))
    assert (row.production, row.inventory, row.backlog) == ((3.0, 3.0), (1.0, 0.0), (0.0, 0.0))
    assert mps.costs == {"production": 0.0, "holding": 1.0, "backlog": 0.0, "overtime": 0.0,
                         "setup": 0.0, "total": 1.0}  # fmt: skip
    (line,) = mps.resources
    assert (line.code, line.capacity, line.load, line.overtime) == (
        "ROASTER", (3.0, 3.0), (3.0, 3.0), (0.0, 0.0),
    )  # fmt: skip


def test_stock_read_back_from_the_record_and_overtime_when_demand_outruns_capacity(
    shop: Shop,
) -> None:
    # On hand 1 (0 + 2 - planned 1); demand 2, 6: need 7 more in two days of 3 h + 2 h overtime.
    # x = (3, 4): ends day 0 with 1 + 3 - 2 = 2 held (2) and works 1 overtime hour on day 1
    # (10): 12. x = (4, 3) holds 3 and works the overtime hour on day 0: 13. x = (5, 2): 24.
    shop.run([], horizon=2, records={"DECAF": _record([2, 6], [1, 6])})
    mps = production.plan_mps(shop.world.ctx, shop.world.roaster, FIRM)
    (row,) = mps.products
    assert row.initial_inventory == 1.0
    assert (row.production, row.inventory) == ((3.0, 4.0), (2.0, 0.0))
    assert mps.resources[0].overtime == (0.0, 1.0)
    assert (mps.costs["holding"], mps.costs["overtime"], mps.objective) == (2.0, 10.0, 12.0)


def test_infeasible_without_backlog_names_the_status_and_keeps_no_plan(shop: Shop) -> None:
    # 5 h a day at most (3 + 2 overtime): demand 12 on the first day cannot be met.
    shop.run([], horizon=2, records={"DECAF": _record([12, 0], [12, 0])})
    mps = production.plan_mps(shop.world.ctx, shop.world.roaster, FIRM)
    assert (mps.status, mps.objective, mps.products) == ("infeasible", None, ())
    assert "bucket 0" in mps.message


def test_without_a_live_plan_there_is_no_master_schedule(shop: Shop) -> None:
    with pytest.raises(ValidationFailed, match="succeeded planning run"):
        production.plan_mps(shop.world.ctx, shop.world.roaster, PlanMasterSchedule())
