"""The coordinated inventory plan built from platform data (hand calculation in
``tests/inventory_plan_cases.py``)."""

from __future__ import annotations

import math
from datetime import date
from statistics import NormalDist

import pytest
from tests.inventory_plan_cases import (
    PASSWORD,
    grant_to_roaster,
    plan_ids,
    plan_snapshot,
    store_forecasts,
)

from tandem.domain.coordination import ProposalStatus
from tandem.domain.identity import Principal
from tandem.domain.network import DemandPoint
from tandem.domain.sharing import DataCategory
from tandem.planning.meio import (
    Arc,
    GSMNetwork,
    GuaranteedServiceOptimizer,
    Policy,
    Stage,
    compare_policies,
)
from tandem.services import identity, proposals, transfer
from tandem.services.context import ServiceContext
from tandem.services.inventory_plan import (
    NoDemandStages,
    PlanRequest,
    build_network,
    load_inputs,
    plan_inventory,
    propose,
)

Z = NormalDist().inv_cdf(0.95)
RATE = 0.25
VALUES = {("GREEN", "PORT"): 4.0, ("GREEN", "PLANT"): 4.305, ("BLEND", "PLANT"): 6.88125,
          ("BLEND", "CAFE-1"): 7.18125, ("BLEND", "CAFE-2"): 7.18125}  # fmt: skip


class Planning:
    def __init__(self, ctx: ServiceContext) -> None:
        network_id = transfer.import_snapshot(ctx, plan_snapshot()).network_id
        self.ctx = ctx
        self.ids = plan_ids(ctx, network_id)
        self.beans = self.sign_in("beans@example.com")
        self.roast = self.sign_in("roaster@example.com")
        self.cafe = self.sign_in("cafe@example.com")

    def sign_in(self, email: str) -> Principal:
        token = identity.login(self.ctx, email, PASSWORD).token
        return identity.authenticate_token(self.ctx, token)

    def name(self, sku: str, site: str) -> str:
        return str(self.ids.points[(sku, site)])


@pytest.fixture
def planning(ctx: ServiceContext) -> Planning:
    world = Planning(ctx)
    store_forecasts(ctx, world.ids)
    grant_to_roaster(ctx, world.beans, world.cafe, world.ids.members["ROAST"])
    return world


def expected_network(w: Planning) -> GSMNetwork:
    """The stage network written by hand from the module docstring of the cases."""
    h = {key: RATE * v for key, v in VALUES.items()}
    return GSMNetwork(
        stages=(
            Stage(w.name("GREEN", "PORT"), 2.0, h[("GREEN", "PORT")]),
            Stage(w.name("GREEN", "PLANT"), 3.0, h[("GREEN", "PLANT")]),
            Stage(w.name("BLEND", "PLANT"), 1.0, h[("BLEND", "PLANT")]),
            Stage(w.name("BLEND", "CAFE-1"), 1.0, h[("BLEND", "CAFE-1")], 10.0, 0.0),
            Stage(w.name("BLEND", "CAFE-2"), 2.0, h[("BLEND", "CAFE-2")], math.sqrt(75), 0.0),
        ),
        arcs=(
            Arc(w.name("GREEN", "PORT"), w.name("GREEN", "PLANT")),
            Arc(w.name("GREEN", "PLANT"), w.name("BLEND", "PLANT"), 1.25),
            Arc(w.name("BLEND", "PLANT"), w.name("BLEND", "CAFE-1")),
            Arc(w.name("BLEND", "PLANT"), w.name("BLEND", "CAFE-2")),
        ),
        service_factor=Z,
    )


def assert_same_network(built: GSMNetwork, expected: GSMNetwork) -> None:
    assert built.arcs == expected.arcs
    assert [s.name for s in built.stages] == [s.name for s in expected.stages]
    for got, want in zip(built.stages, expected.stages, strict=True):
        assert got.processing_time == want.processing_time
        assert got.holding_cost == pytest.approx(want.holding_cost, rel=1e-12)
        assert got.demand_std == pytest.approx(want.demand_std, rel=1e-12)
        assert (got.max_service_time, got.service_factor) == (
            want.max_service_time,
            want.service_factor,
        )
    assert built.service_factor == pytest.approx(expected.service_factor, rel=1e-12)


def test_network_wide_run_builds_exactly_the_hand_written_network(planning: Planning) -> None:
    inputs = load_inputs(planning.ctx, planning.roast)
    built = build_network(inputs, PlanRequest(0.95))

    assert_same_network(built.network, expected_network(planning))
    assert {k: built.values[planning.name(*k)] for k in VALUES} == pytest.approx(VALUES)
    # Flow a day: 10 + 20 at the plant, 1.25 x 30 of green upstream.
    assert [built.flow[planning.name(*k)] for k in VALUES] == [37.5, 37.5, 30.0, 10.0, 20.0]


def test_plan_matches_the_engine_on_the_hand_written_network(planning: Planning) -> None:
    plan = plan_inventory(planning.ctx, planning.roast, PlanRequest(0.95))
    reference = compare_policies(expected_network(planning), GuaranteedServiceOptimizer())

    for result in reference.results():
        assert plan.policy(result.policy).holding_cost == pytest.approx(result.total_cost)
    optimal = reference.optimal
    for k, name in enumerate(optimal.stage_names):
        stage = plan.stage(int(name))
        assert stage.outbound_service_time == optimal.outbound_service_times[k]
        assert stage.safety_stock == pytest.approx(optimal.safety_stocks[k])
        assert stage.base_stock == pytest.approx(
            stage.flow_per_day * optimal.net_lead_times[k] + optimal.safety_stocks[k]
        )
    assert (plan.method, plan.optimal_proven, plan.gap) == ("tree_dp", True, 0.0)


def test_buffer_everywhere_costs_what_the_hand_calculation_says(planning: Planning) -> None:
    plan = plan_inventory(planning.ctx, planning.roast, PlanRequest(0.95))
    # (a): every S = 0, so net lead times are the processing times 2, 3, 1, 1, 2; pooled σ is
    # 1.25 √175 at both green stages, √(10² + 75) = √175 at the plant, 10 and √75 at the cafés.
    pooled = [1.25 * math.sqrt(175), 1.25 * math.sqrt(175), math.sqrt(175), 10.0, math.sqrt(75)]
    net = [2.0, 3.0, 1.0, 1.0, 2.0]
    stock = [Z * s * math.sqrt(t) for s, t in zip(pooled, net, strict=True)]
    values = list(VALUES.values())
    buffer = plan.policy(Policy.BUFFER_EVERYWHERE)

    assert buffer.safety_stock_units == pytest.approx(sum(stock))
    assert buffer.safety_stock_value == pytest.approx(
        sum(v * s for v, s in zip(values, stock, strict=True))
    )
    assert buffer.holding_cost == pytest.approx(
        sum(RATE * v * s for v, s in zip(values, stock, strict=True))
    )
    assert buffer.holding_cost == pytest.approx(192.2983, abs=1e-4)


def test_optimum_never_costs_more_than_either_traditional_placement(planning: Planning) -> None:
    plan = plan_inventory(planning.ctx, planning.roast, PlanRequest(0.95))
    a, b, c = (plan.policy(p).holding_cost for p in Policy)

    assert c <= a + 1e-9 and c <= b + 1e-9
    assert sum(m.optimal.holding_cost for m in plan.members) == pytest.approx(c)
    assert [m.member for m in plan.members] == ["BEANS", "ROAST", "CAFE"]


def test_landed_cost_per_end_point_includes_the_safety_stock_carrying_share(
    planning: Planning,
) -> None:
    plan = plan_inventory(planning.ctx, planning.roast, PlanRequest(0.95))
    cafe1 = next(line for line in plan.landed_costs if line.site == "CAFE-1")
    stage = plan.stage(cafe1.item_site_id)
    # Carrying of the café's own safety stock per unit sold: r v SS / (365 x 10).
    expected = RATE * VALUES[("BLEND", "CAFE-1")] * stage.safety_stock / (365 * 10.0)

    assert {line.site for line in plan.landed_costs} == {"CAFE-1", "CAFE-2"}
    assert cafe1.local.safety_stock_carrying == pytest.approx(expected)
    assert cafe1.value == pytest.approx(VALUES[("BLEND", "CAFE-1")])
    assert sum(m.costs.total for m in cafe1.members) == pytest.approx(cafe1.landed_cost)
    assert [m.member for m in cafe1.members] == ["BEANS", "ROAST", "CAFE"]
    optimal = plan.policy(Policy.OPTIMAL).landed_cost(cafe1.item_site_id)
    assert optimal == pytest.approx(cafe1.landed_cost)


def test_fair_shares_leave_nobody_worse_off_and_sum_to_the_optimum(planning: Planning) -> None:
    plan = plan_inventory(planning.ctx, planning.roast, PlanRequest(0.95))
    proportional, shapley = plan.fair_shares

    assert (proportional.rule.value, shapley.rule.value) == ("proportional", "shapley")
    assert proportional.no_member_worse_off
    total = plan.policy(Policy.OPTIMAL).holding_cost
    for share in (proportional, shapley):
        assert sum(a.allocated_cost for a in share.allocations) == pytest.approx(total)


def test_partner_without_grants_sees_only_its_own_stages(planning: Planning) -> None:
    plan = plan_inventory(planning.ctx, planning.cafe, PlanRequest(0.95))

    assert [s.site for s in plan.stages] == ["CAFE-1", "CAFE-2"]
    assert plan.included_member_ids == (planning.ids.members["CAFE"],)
    assert [(e.member, e.category, e.rows) for e in plan.exclusions] == [
        ("BEANS", DataCategory.PLANNING_PARAMETERS, 1),
        ("ROAST", DataCategory.BILLS_OF_MATERIALS, 1),
        ("ROAST", DataCategory.PLANNING_PARAMETERS, 2),
    ]
    # Supplied from outside what it sees: the van lanes set the processing times; the item's
    # unit value (12) is the purchase price.
    assert [s.processing_time for s in plan.stages] == [1.0, 2.0]
    assert [line.value for line in plan.landed_costs] == [12.1, 12.0]


def test_partner_rows_read_for_the_plan_are_audited(planning: Planning) -> None:
    plan_inventory(planning.ctx, planning.roast, PlanRequest(0.95))
    with planning.ctx.uow() as uow:
        entries = uow.audit.find(reader_member_id=planning.ids.members["ROAST"])

    assert sorted((e.owner_member_id, e.category.value, e.rows) for e in entries) == sorted(
        [
            (planning.ids.members["BEANS"], "planning_parameters", 1),
            (planning.ids.members["CAFE"], "planning_parameters", 2),
            (planning.ids.members["CAFE"], "forecasts", 4),
        ]
    )


def test_missing_forecast_falls_back_to_history_with_a_warning(ctx: ServiceContext) -> None:
    world = Planning(ctx)
    store_forecasts(ctx, world.ids, cafes=("CAFE-1",))
    with ctx.uow() as uow:
        for day, quantity in enumerate((18.0, 22.0, 20.0), start=1):
            uow.demand.add(
                DemandPoint(
                    0,
                    world.ids.members["CAFE"],
                    world.ids.sites["CAFE-2"],
                    world.ids.items["BLEND"],
                    date(2026, 10, day),
                    quantity,
                )
            )
        uow.commit()
    plan = plan_inventory(ctx, world.cafe, PlanRequest(0.95))
    cafe2 = next(s for s in plan.stages if s.site == "CAFE-2")

    # History 18, 22, 20: mean 20, sample σ 2; with σ_L = 0.5 over L = 2 days: √(4 + 50).
    assert (cafe2.demand_source, cafe2.demand_mean) == ("history", 20.0)
    assert cafe2.demand_std == pytest.approx(math.sqrt(54))
    assert plan.warnings[0].startswith("BLEND at CAFE-2: it has no forecast; demand mean")


def test_no_forecast_and_no_history_is_refused(ctx: ServiceContext) -> None:
    world = Planning(ctx)
    with pytest.raises(NoDemandStages):
        plan_inventory(ctx, world.roast, PlanRequest(0.95))


def test_propose_puts_the_optimum_to_the_vote(planning: Planning) -> None:
    plan = plan_inventory(planning.ctx, planning.roast, PlanRequest(0.95))
    proposal = propose(planning.ctx, planning.roast, PlanRequest(0.95), "Blend at 95 %")
    detail = proposals.get_proposal(planning.ctx, planning.roast, proposal.id)

    assert proposal.status is ProposalStatus.OPEN
    assert (proposal.method, proposal.optimal, proposal.service_level) == ("tree_dp", True, 0.95)
    assert proposal.cost_optimal == pytest.approx(plan.policy(Policy.OPTIMAL).holding_cost)
    assert proposal.cost_buffer_everywhere == pytest.approx(
        plan.policy(Policy.BUFFER_EVERYWHERE).holding_cost
    )
    assert sum(s.transfer for s in detail.shares) == pytest.approx(0.0, abs=1e-9)
    assert len(detail.shares) == 3
