"""Guaranteed-service model on general acyclic networks: MIP, heuristic, branch and bound."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.meio import (
    Arc,
    Breakpoints,
    GSMMethod,
    GSMNetwork,
    GuaranteedServiceOptimizer,
    Stage,
    solve_branch_and_bound,
    solve_heuristic,
    solve_mip,
    solve_tree,
)


def diamond() -> GSMNetwork:
    # a -> b -> d, a -> c -> d: not a tree; d faces demand sigma = 1 with service time 0
    return GSMNetwork(
        stages=(
            Stage("a", 3, 1.0),
            Stage("b", 2, 2.0),
            Stage("c", 1, 2.0),
            Stage("d", 1, 4.0, demand_std=1.0, max_service_time=0),
        ),
        arcs=(Arc("a", "b"), Arc("a", "c"), Arc("b", "d"), Arc("c", "d")),
    )


def test_mip_solves_snyder_shen_example_6_3_to_proven_optimality() -> None:
    network = GSMNetwork(
        stages=(
            Stage("1", 1, 7, demand_std=1.0, max_service_time=1),
            Stage("2", 0, 4),
            Stage("3", 1, 2, external_inbound_service_time=1),
        ),
        arcs=(Arc("3", "2"), Arc("2", "1")),
    )
    outcome = solve_mip(network, Breakpoints.ALL)
    assert outcome.solution.cost == pytest.approx(2 * math.sqrt(2), rel=1e-9)
    assert outcome.solution.lower_bound == pytest.approx(2 * math.sqrt(2), rel=1e-6)
    assert outcome.completed
    assert outcome.rounds == 1
    assert outcome.solution.outbound() == {"1": 1, "2": 0, "3": 0}


def test_diamond_network_optimum_is_known_by_hand() -> None:
    # phi(a, d) = 2, so a pools 2 sigma. By concavity the optimum holds everything at d:
    # S = (3, 5, 4, 0), net lead time 6 at d, cost 4 sqrt 6 = 9.798 (a holding: 2 sqrt 3 +
    # 4 sqrt 3 = 10.392; a and d splitting at S_a = 1: 2 sqrt 2 + 4 sqrt 4 = 10.83).
    solutions = [
        solve_mip(diamond()).solution,
        solve_branch_and_bound(diamond()).solution,
        solve_heuristic(diamond()),
    ]
    for solution in solutions:
        assert solution.cost == pytest.approx(4 * math.sqrt(6), rel=1e-9)
        assert solution.outbound() == {"a": 3, "b": 5, "c": 4, "d": 0}
    assert diamond().structure.pooled_std.tolist() == [2.0, 1.0, 1.0, 1.0]


def test_adaptive_and_full_breakpoints_reach_the_same_optimum() -> None:
    full = solve_mip(diamond(), Breakpoints.ALL)
    adaptive = solve_mip(diamond(), Breakpoints.ADAPTIVE)
    assert full.solution.cost == pytest.approx(adaptive.solution.cost, rel=1e-9)
    assert adaptive.binaries <= full.binaries
    assert full.completed and adaptive.completed


def test_optimizer_uses_the_tree_dp_on_trees_and_search_elsewhere() -> None:
    tree = GSMNetwork(
        (Stage("a", 2, 1.0), Stage("b", 1, 2.0, demand_std=1.0, max_service_time=0)),
        (Arc("a", "b"),),
    )
    assert GuaranteedServiceOptimizer().solve(tree).method is GSMMethod.TREE_DP
    general = GuaranteedServiceOptimizer().solve(diamond())
    assert general.method in {GSMMethod.HEURISTIC, GSMMethod.BRANCH_AND_BOUND}
    assert general.is_proven_optimal()
    mip = GuaranteedServiceOptimizer(method=GSMMethod.MIP).solve(diamond())
    assert mip.method is GSMMethod.MIP
    assert mip.cost == pytest.approx(general.cost, rel=1e-9)


@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_mip_equals_tree_dp_on_random_trees(
    data: st.DataObject, gsm_reference: SimpleNamespace
) -> None:
    network = data.draw(gsm_reference.small_networks(tree=True, max_stages=6))
    outcome = solve_mip(network, Breakpoints.ALL)
    assert outcome.completed
    assert outcome.solution.cost == pytest.approx(solve_tree(network).cost, rel=1e-7, abs=1e-9)


@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_adaptive_mip_equals_brute_force_on_random_networks(
    data: st.DataObject, gsm_reference: SimpleNamespace
) -> None:
    network = data.draw(gsm_reference.small_networks(tree=False, fractional=True))
    outcome = solve_mip(network, Breakpoints.ADAPTIVE)
    expected = gsm_reference.brute_force_cost(network)
    assert outcome.completed
    assert outcome.solution.cost == pytest.approx(expected, rel=1e-7, abs=1e-9)
    assert outcome.solution.lower_bound <= outcome.solution.cost


@settings(max_examples=40, deadline=None)
@given(data=st.data(), fractional=st.booleans())
def test_branch_and_bound_equals_brute_force_on_random_networks(
    data: st.DataObject, fractional: bool, gsm_reference: SimpleNamespace
) -> None:
    network = data.draw(gsm_reference.small_networks(tree=False, fractional=fractional))
    outcome = solve_branch_and_bound(network, max_nodes=5000)
    expected = gsm_reference.brute_force_cost(network)
    assert outcome.completed
    assert outcome.solution.cost == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert outcome.solution.is_proven_optimal()


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_heuristic_bound_is_valid_and_its_solution_feasible(
    data: st.DataObject, gsm_reference: SimpleNamespace
) -> None:
    network = data.draw(gsm_reference.small_networks(tree=False))
    solution = solve_heuristic(network, lagrangian_iterations=30, improvement_rounds=5)
    expected = gsm_reference.brute_force_cost(network)
    assert solution.lower_bound <= expected * (1 + 1e-9) + 1e-12
    assert solution.cost >= expected * (1 - 1e-9) - 1e-12
    assert network.cost(solution.outbound_service_times, solution.inbound_service_times) == (
        pytest.approx(solution.cost)
    )
