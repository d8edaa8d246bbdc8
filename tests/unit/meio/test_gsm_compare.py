"""Traditional against coordinated safety-stock placement (tandem.planning.meio.gsm.compare).

Policies: (a) buffer everywhere — ``S_j = 0`` except a demand stage, which quotes its customer
service time ``min(s_j, SI_j + floor T_j)``; (b) push to the customer — every stage quotes
``min(s_j, SI_j + floor T_j)`` in topological order; (c) the optimum.
"""

from __future__ import annotations

import doctest
import math
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.meio import (
    Arc,
    GSMNetwork,
    GuaranteedServiceOptimizer,
    Policy,
    Stage,
    compare_policies,
)
from tandem.planning.meio.gsm import compare as compare_module

Z95 = 1.6448536269514722


def serial_ss63() -> GSMNetwork:
    return GSMNetwork(
        stages=(
            Stage("1", 1, 7, demand_std=1.0, max_service_time=1),
            Stage("2", 0, 4),
            Stage("3", 1, 2, external_inbound_service_time=1),
        ),
        arcs=(Arc("3", "2"), Arc("2", "1")),
    )


CAMERA_T = {"1": 2, "2": 3, "3": 2, "4": 4, "5": 2, "6": 3, "7": 6, "8": 4, "9": 3, "10": 2}
CAMERA_H = {
    "1": 0.01, "2": 0.03, "3": 0.04, "4": 0.06, "5": 0.12, "6": 0.13, "7": 0.20, "8": 0.08,
    "9": 0.04, "10": 0.50,
}  # fmt: skip


def camera(service_time: int = 2) -> GSMNetwork:
    edges = [("1", "2"), ("2", "3"), ("3", "5"), ("4", "5"), ("5", "6"), ("6", "10"),
             ("7", "10"), ("8", "10"), ("9", "10")]  # fmt: skip
    return GSMNetwork(
        stages=tuple(
            Stage(
                name,
                CAMERA_T[name],
                CAMERA_H[name],
                demand_std=10.0 if name == "10" else 0.0,
                max_service_time=service_time if name == "10" else None,
            )
            for name in CAMERA_T
        ),
        arcs=tuple(Arc(a, b) for a, b in edges),
        service_factor=Z95,
    )


def test_module_docstring_example() -> None:
    outcome = doctest.testmod(compare_module)
    assert outcome.attempted > 0 and outcome.failed == 0


def test_serial_ss63_by_hand() -> None:
    """S&S Example 6.3, z = 1, sigma = 1 at every stage (T: 1 = 1, 2 = 0, 3 = 1; h: 7, 4, 2;
    si_3 = 1; customer service time s_1 = 1).

    (a) S_3 = S_2 = 0; SI_3 = si_3 = 1, net 1 + 1 - 0 = 2; SI_2 = 0, net 0 + 0 - 0 = 0;
        SI_1 = 0, S_1 = min(1, 0 + 1) = 1, net 0 + 1 - 1 = 0. Cost 2 sqrt 2 = 2.828427 — the
        optimum (S = {3: 0, 2: 0, 1: 1}).
    (b) S_3 = 1 + 1 = 2; SI_2 = 2, S_2 = 2 + 0 = 2; SI_1 = 2, S_1 = min(1, 3) = 1, net
        2 + 1 - 1 = 2. Cost 7 sqrt 2 = 9.899495, all of it at stage 1.
    """
    cmp = compare_policies(serial_ss63())
    a, b, c = cmp.results()
    assert a.outbound_service_times == (1, 0, 0)
    assert a.inbound_service_times == (0, 0, 1)
    assert a.net_lead_times == (0.0, 0.0, 2.0)
    assert a.safety_stocks == pytest.approx((0.0, 0.0, math.sqrt(2)))
    assert a.holding_costs == pytest.approx((0.0, 0.0, 2 * math.sqrt(2)))
    assert a.total_cost == pytest.approx(2 * math.sqrt(2), rel=1e-12)
    assert b.outbound_service_times == (1, 2, 2)
    assert b.inbound_service_times == (2, 2, 1)
    assert b.net_lead_times == (2.0, 0.0, 0.0)
    assert b.holding_costs == pytest.approx((7 * math.sqrt(2), 0.0, 0.0))
    assert b.total_cost == pytest.approx(7 * math.sqrt(2), rel=1e-12)
    assert c.total_cost == pytest.approx(2 * math.sqrt(2), rel=1e-12)
    assert cmp.optimal_proven
    assert cmp.total_change(Policy.BUFFER_EVERYWHERE) == pytest.approx(0.0, abs=1e-12)
    assert cmp.total_change(Policy.PUSH_TO_CUSTOMER) == pytest.approx(-5 * math.sqrt(2))
    assert cmp.stage_change(Policy.PUSH_TO_CUSTOMER) == pytest.approx(
        {"1": -7 * math.sqrt(2), "2": 0.0, "3": 2 * math.sqrt(2)}
    )


def test_camera_network_at_customer_service_time_2_by_hand() -> None:
    """S&S Fig. 6.14, z sigma = 1.6448536 x 10 at every stage (one demand stage, quantities 1).

    (a) stages 1-9 quote 0, so SI = 0 and net lead time = T_j; stage 10 quotes min(2, 0 + 2) = 2,
        net 0. Cost = 16.448536 x (.01 sqrt2 + .03 sqrt3 + .04 sqrt2 + .06 sqrt4 + .12 sqrt2
        + .13 sqrt3 + .20 sqrt6 + .08 sqrt4 + .04 sqrt3) = 22.316131.
    (b) S_1 = 2, S_2 = 5, S_3 = 7, S_4 = 4, S_5 = max(7, 4) + 2 = 9, S_6 = 12, S_7 = 6,
        S_8 = 4, S_9 = 3; SI_10 = 12, S_10 = 2, net 12 + 2 - 2 = 12.
        Cost = 0.5 x 16.448536 x sqrt 12 = 28.489701.
    (c) 18.824004 (S&S): S = 0 at 1, 7, 8, 9, 6; 3 at 2; 5 at 3; 4 at 4; 7 at 5.
    """
    zs = Z95 * 10.0
    cmp = compare_policies(camera(2))
    a, b, c = cmp.results()
    expected_a = zs * sum(CAMERA_H[j] * math.sqrt(CAMERA_T[j]) for j in CAMERA_T if j != "10")
    assert a.total_cost == pytest.approx(expected_a, rel=1e-12)
    assert round(a.total_cost, 6) == 22.316131
    assert a.outbound_service_times == (0,) * 9 + (2,)
    assert a.net_lead_times == (2.0, 3.0, 2.0, 4.0, 2.0, 3.0, 6.0, 4.0, 3.0, 0.0)
    assert b.outbound_service_times == (2, 5, 7, 4, 9, 12, 6, 4, 3, 2)
    assert b.net_lead_times == (0.0,) * 9 + (12.0,)
    assert b.total_cost == pytest.approx(0.5 * zs * math.sqrt(12), rel=1e-12)
    assert round(b.total_cost, 6) == 28.489701
    assert round(c.total_cost, 6) == 18.824004
    assert c.outbound_service_times == (0, 3, 5, 4, 7, 0, 0, 0, 0, 2)
    assert cmp.optimal_proven
    assert cmp.total_change(Policy.BUFFER_EVERYWHERE) == pytest.approx(
        18.824004 - 22.316131, abs=1e-6
    )
    assert cmp.total_change(Policy.PUSH_TO_CUSTOMER) == pytest.approx(
        18.824004 - 28.489701, abs=1e-6
    )
    # stage 6 buffers in the optimum what 2-5 buffered under (a)
    change = cmp.stage_change(Policy.BUFFER_EVERYWHERE)
    assert change["6"] == pytest.approx(0.13 * zs * (math.sqrt(10) - math.sqrt(3)))
    assert all(change[j] < 0 for j in ("2", "3", "4", "5"))
    assert all(change[j] == 0.0 for j in ("1", "7", "8", "9", "10"))


def test_group_costs_add_up_per_member() -> None:
    cmp = compare_policies(camera(2))
    groups = {j: ("supplier" if j in {"1", "2", "3", "4"} else "maker") for j in CAMERA_T}
    groups.pop("10")
    totals = cmp.group_costs(groups)
    assert list(totals) == ["supplier", "maker"]
    for policy in Policy:
        by_stage = cmp.result(policy).holding_cost_by_stage()
        assert totals["supplier"][policy] == pytest.approx(
            sum(by_stage[j] for j in ("1", "2", "3", "4"))
        )
        assert totals["maker"][policy] == pytest.approx(
            sum(by_stage[j] for j in ("5", "6", "7", "8", "9"))
        )
    assert totals["maker"][Policy.PUSH_TO_CUSTOMER] == 0.0


def test_fractional_processing_times_leave_the_fraction_under_push() -> None:
    net = GSMNetwork(
        stages=(Stage("up", 1.5, 1.0), Stage("down", 1, 2.0, demand_std=1.0, max_service_time=0)),
        arcs=(Arc("up", "down"),),
    )
    b = compare_policies(net).push_to_customer
    assert b.outbound_service_times == (1, 0)
    assert b.net_lead_times == (0.5, 2.0)


@settings(max_examples=30, deadline=None)
@given(data=st.data(), tree=st.booleans())
def test_optimum_never_costs_more_than_either_policy(
    data: st.DataObject, tree: bool, gsm_reference: SimpleNamespace
) -> None:
    network = data.draw(gsm_reference.small_networks(tree=tree, max_stages=5))
    cmp = compare_policies(network, GuaranteedServiceOptimizer(max_nodes=2000))
    assert cmp.optimal_proven
    a, b, c = cmp.results()
    assert c.total_cost <= a.total_cost + 1e-9
    assert c.total_cost <= b.total_cost + 1e-9
    for result in (a, b, c):
        assert sum(result.holding_costs) == pytest.approx(result.total_cost, abs=1e-9)
        assert min(result.net_lead_times) >= 0.0
    assert c.total_cost == pytest.approx(gsm_reference.brute_force_cost(network), abs=1e-9)
