"""Guaranteed-service tree DP (Graves & Willems 2000) against Snyder & Shen (2019)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.meio import Arc, GSMMethod, GSMNetwork, Stage, solve_tree

Z_95 = 1.6448536269514722  # Phi^{-1}(0.95); S&S print it as 1.6449


def example_6_3() -> GSMNetwork:
    # S&S Example 6.3: 3 -> 2 -> 1 -> customer, T = (1, 0, 1), h = (7, 4, 2), si = 1, s = 1.
    return GSMNetwork(
        stages=(
            Stage("1", 1, 7, demand_std=1.0, max_service_time=1),
            Stage("2", 0, 4),
            Stage("3", 1, 2, external_inbound_service_time=1),
        ),
        arcs=(Arc("3", "2"), Arc("2", "1")),
    )


def example_6_5() -> GSMNetwork:
    # S&S Example 6.5: 1 -> 3, 3 -> 2, 3 -> 4; demand N(0, 1) at 2 and 4.
    return GSMNetwork(
        stages=(
            Stage("1", 2, 1, external_inbound_service_time=1),
            Stage("2", 1, 3, demand_std=1.0, max_service_time=0),
            Stage("3", 1, 2),
            Stage("4", 1, 3, demand_std=1.0, max_service_time=1),
        ),
        arcs=(Arc("1", "3"), Arc("3", "2"), Arc("3", "4")),
    )


def camera(customer_service_time: int, z: float = Z_95) -> GSMNetwork:
    # S&S Figure 6.14: the 10-stage camera network, demand sigma = 10 at stage 10.
    data = {1: (2, 0.01), 2: (3, 0.03), 3: (2, 0.04), 4: (4, 0.06), 5: (2, 0.12), 6: (3, 0.13)}
    data |= {7: (6, 0.20), 8: (4, 0.08), 9: (3, 0.04), 10: (2, 0.50)}
    arcs = [(1, 2), (2, 3), (3, 5), (4, 5), (5, 6), (6, 10), (7, 10), (8, 10), (9, 10)]
    stages = tuple(
        Stage(
            str(i),
            t,
            h,
            demand_std=10.0 if i == 10 else 0.0,
            max_service_time=customer_service_time if i == 10 else None,
        )
        for i, (t, h) in data.items()
    )
    return GSMNetwork(stages, tuple(Arc(str(a), str(b)) for a, b in arcs), service_factor=z)


def test_tree_dp_matches_snyder_shen_example_6_3() -> None:
    solution = solve_tree(example_6_3())
    assert solution.outbound() == {"3": 0, "2": 0, "1": 1}
    assert solution.cost == pytest.approx(2 * math.sqrt(2), rel=1e-12)
    assert solution.cost == pytest.approx(2.828427, rel=1e-6)
    assert solution.method is GSMMethod.TREE_DP
    assert solution.is_proven_optimal()


def test_tree_dp_matches_snyder_shen_example_6_5() -> None:
    solution = solve_tree(example_6_5())
    assert solution.outbound() == {"1": 0, "2": 0, "3": 0, "4": 1}
    assert solution.cost == pytest.approx(2 * math.sqrt(2) + math.sqrt(6) + 3, rel=1e-12)
    assert solution.cost == pytest.approx(8.277917, rel=1e-6)


@pytest.mark.parametrize(
    ("service_time", "expected"),
    [(2, 18.8240), (5, 12.4687), (8, 3.2579), (12, 0.2326)],
)
def test_tree_dp_matches_the_camera_network_of_snyder_shen_figure_6_14(
    service_time: int, expected: float
) -> None:
    assert solve_tree(camera(service_time)).cost == pytest.approx(expected, abs=5e-5)


def test_camera_costs_with_the_rounded_z_are_off_by_the_rounding() -> None:
    # with z = 1.6449 exactly the cost scales by 1.6449 / 1.6448536: 18.8245, not 18.8240
    rounded = solve_tree(camera(2, z=1.6449)).cost
    assert rounded == pytest.approx(18.8240 * 1.6449 / Z_95, abs=5e-5)


def test_safety_stock_is_z_sigma_sqrt_net_lead_time() -> None:
    solution = solve_tree(example_6_5())
    net = dict(zip(solution.stage_names, solution.net_lead_times, strict=True))
    stock = dict(zip(solution.stage_names, solution.safety_stocks, strict=True))
    assert net == {"1": 3.0, "2": 1.0, "3": 1.0, "4": 0.0}
    assert stock["1"] == pytest.approx(math.sqrt(2) * math.sqrt(3))
    assert stock["2"] == pytest.approx(1.0)


def test_internal_sigma_pools_the_demand_stages_along_all_paths() -> None:
    # a -> b -> d, a -> c -> d, a -> e: a serves d twice (phi = 2) and e once
    net = GSMNetwork(
        stages=(
            Stage("a", 1, 1),
            Stage("b", 1, 1),
            Stage("c", 1, 1),
            Stage("d", 1, 1, demand_std=3.0, max_service_time=0),
            Stage("e", 1, 1, demand_std=4.0, max_service_time=0),
        ),
        arcs=(Arc("a", "b"), Arc("a", "c"), Arc("b", "d"), Arc("c", "d"), Arc("a", "e")),
    )
    pooled = dict(zip(("a", "b", "c", "d", "e"), net.structure.pooled_std.tolist(), strict=True))
    assert pooled == pytest.approx({"a": math.sqrt(36 + 16), "b": 3, "c": 3, "d": 3, "e": 4})


def test_bill_of_material_quantities_scale_the_pooled_sigma() -> None:
    net = GSMNetwork(
        stages=(Stage("a", 1, 1), Stage("b", 1, 1, demand_std=2.0, max_service_time=0)),
        arcs=(Arc("a", "b", 3.0),),
    )
    assert net.structure.pooled_std.tolist() == [6.0, 2.0]
    assert net.structure.is_forest


def test_network_rejects_cycles_and_unknown_stages() -> None:
    cyclic = GSMNetwork((Stage("a", 1, 1), Stage("b", 1, 1)), (Arc("a", "b"), Arc("b", "a")))
    with pytest.raises(ValueError, match="cycle"):
        _ = cyclic.structure
    with pytest.raises(ValueError, match="unknown"):
        GSMNetwork((Stage("a", 1, 1),), (Arc("a", "z"),))


def test_tree_dp_refuses_a_network_that_is_not_a_tree() -> None:
    net = GSMNetwork(
        (Stage("a", 1, 1), Stage("b", 1, 1), Stage("c", 1, 1, demand_std=1, max_service_time=0)),
        (Arc("a", "b"), Arc("b", "c"), Arc("a", "c")),
    )
    with pytest.raises(ValueError, match="spanning tree"):
        solve_tree(net)


def test_infeasible_service_times_are_rejected() -> None:
    with pytest.raises(ValueError, match="above its maximum"):
        example_6_3().cost([2, 0, 0], [0, 0, 1])


def test_non_integer_processing_times_keep_integer_service_times() -> None:
    net = GSMNetwork(
        (Stage("a", 1.5, 1.0), Stage("b", 0.5, 2.0, demand_std=1.0, max_service_time=0)),
        (Arc("a", "b"),),
    )
    solution = solve_tree(net)
    assert all(isinstance(v, int) for v in solution.outbound_service_times)
    # S_a = 0: a holds 1.5 periods, b 0.5; S_a = 1: a holds 0.5, b 1.5 (at twice the cost)
    assert solution.cost == pytest.approx(math.sqrt(1.5) + 2 * math.sqrt(0.5), rel=1e-12)
    assert solution.outbound() == {"a": 0, "b": 0}


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_tree_dp_equals_brute_force_on_random_small_trees(
    data: st.DataObject, gsm_reference: SimpleNamespace
) -> None:
    network = data.draw(gsm_reference.small_networks(tree=True))
    solution = solve_tree(network)
    expected = gsm_reference.brute_force_cost(network)
    assert solution.cost == pytest.approx(expected, rel=1e-9, abs=1e-12)
    pooled = gsm_reference.path_pooled_std(network)
    coefficient = network.structure.cost_coefficient / np.array(
        [s.holding_cost for s in network.stages]
    )
    assert coefficient == pytest.approx([pooled[s.name] for s in network.stages])
