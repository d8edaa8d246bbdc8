"""Planning-run domain rules: scenario parsing and end pegging over stored one-level pegs."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.domain.errors import ValidationFailed
from tandem.domain.planning_runs import (
    DemandScale,
    LeadTimeShift,
    PlanningPeg,
    SafetyStockChange,
    end_pegging,
    parse_scenario,
)
from tandem.planning import mrp


def test_parse_scenario_builds_each_delta() -> None:
    deltas = parse_scenario([
        {"type": "demand_scale", "item": "BLEND", "factor": 1.2},
        {"type": "lead_time", "supplier": "BEANS", "add_days": 7},
        {"type": "safety_stock", "site": "PLANT", "quantity": 40},
    ])  # fmt: skip
    assert deltas == (
        DemandScale(1.2, "BLEND"),
        LeadTimeShift(7, "BEANS"),
        SafetyStockChange(quantity=40.0, site="PLANT"),
    )


def test_parse_scenario_names_every_offending_delta() -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_scenario([
            {"type": "rain"}, {"type": "lead_time", "add_days": 1.5, "colour": "red"},
            {"type": "safety_stock", "quantity": 1, "factor": 2}, "x",
        ])  # fmt: skip
    assert [str(v) for v in raised.value.violations] == [
        "scenario[0].type: unknown type 'rain' (one of demand_scale, lead_time, safety_stock)",
        "scenario[1].colour: unknown field",
        "scenario[2].quantity: give exactly one of quantity, factor",
        "scenario[3]: must be an object with a 'type'",
    ]
    with pytest.raises(ValidationFailed):
        parse_scenario({"type": "demand_scale"})


def _chain_problem(demands: list[float], on_hand: float, per: float) -> mrp.MRPProblem:
    calendar = mrp.PlanningCalendar.weekly(date(2026, 11, 23), len(demands), weekend=())
    a, b = mrp.ItemSiteKey("A", "P"), mrp.ItemSiteKey("B", "P")
    return mrp.MRPProblem(
        calendar,
        (mrp.ItemSite("A", "P", on_hand=on_hand, lead_time=7), mrp.ItemSite("B", "P", lead_time=7)),
        bom=(mrp.BOMLine(a, b, per),),
        demands=tuple(
            mrp.Demand(f"D{t}", mrp.DemandKind.CUSTOMER_ORDER, a, t, q)
            for t, q in enumerate(demands)
            if q > 0
        ),
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 100).map(lambda x: round(x, 1)), min_size=2, max_size=6),
    st.floats(0, 80).map(lambda x: round(x, 1)),
    st.sampled_from([0.5, 1.0, 2.0]),
)
def test_end_pegging_of_stored_pegs_equals_the_engines(
    demands: list[float], on_hand: float, per: float
) -> None:
    plan = mrp.plan(_chain_problem(demands, on_hand, per))
    stored: dict[str, list[PlanningPeg]] = {}
    for site in plan.item_sites:
        supplies = [(o.id, o.pegging) for o in site.planned_orders]
        supplies += [(s.supply_id, s.pegging) for s in site.supply_pegging]
        for ref, pegs in supplies:
            stored[ref] = [
                PlanningPeg(0, 1, ref, p.quantity, p.demand_id, p.parent_order, p.parent_quantity)
                for p in pegs
            ]
    for order in plan.planned_orders:
        expected = {p.demand_id or "": p.quantity for p in plan.end_pegging(order.id)}
        got = end_pegging(stored, order.id)
        assert got.keys() == expected.keys()
        for demand, quantity in expected.items():
            assert got[demand] == pytest.approx(quantity)
