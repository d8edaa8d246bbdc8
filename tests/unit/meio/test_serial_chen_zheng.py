"""Serial stochastic-service model (Clark & Scarf 1960; Chen & Zheng 1994)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.inventory import Newsvendor, NormalDemand, PoissonDemand
from tandem.planning.meio import ChenZheng, SerialDemand, SerialSystem


def _example_6_1() -> SerialSystem:
    # S&S Example 6.1: local holding (7, 4, 2), lead times (1, 1, 2), p = 37.12.
    return SerialSystem.from_local_holding_costs((7.0, 4.0, 2.0), (1, 1, 2), 37.12)


def test_echelon_holding_costs_of_snyder_shen_example_6_1() -> None:
    assert _example_6_1().echelon_holding_costs == (3.0, 2.0, 2.0)


def test_chen_zheng_matches_snyder_shen_example_6_1() -> None:
    result = ChenZheng(_example_6_1()).solve(SerialDemand(5.0, 1.0))
    assert result.echelon_base_stock == pytest.approx((6.5, 12.0, 22.7), abs=0.1)
    assert result.expected_cost == pytest.approx(47.66, abs=0.05)
    assert result.local_base_stock == pytest.approx(
        np.diff((0.0, *result.echelon_base_stock)), abs=1e-12
    )


def test_evaluator_reproduces_the_optimal_cost_of_example_6_1() -> None:
    engine = ChenZheng(_example_6_1())
    best = engine.solve(SerialDemand(5.0, 1.0))
    assert engine.evaluate(SerialDemand(5.0, 1.0), best.echelon_base_stock) == pytest.approx(
        best.expected_cost, abs=1e-3
    )
    assert engine.evaluate(SerialDemand(5.0, 1.0), (6.5, 12.0, 22.7)) == pytest.approx(
        47.66, abs=0.05
    )


def test_grid_refinement_does_not_move_example_6_1() -> None:
    coarse = ChenZheng(_example_6_1(), points_per_std=50).solve(SerialDemand(5.0, 1.0))
    fine = ChenZheng(_example_6_1(), points_per_std=400).solve(SerialDemand(5.0, 1.0))
    assert coarse.expected_cost == pytest.approx(fine.expected_cost, abs=1e-3)
    assert coarse.echelon_base_stock == pytest.approx(fine.echelon_base_stock, abs=1e-2)


@pytest.mark.parametrize("lead_time", [1, 3])
def test_one_stage_normal_is_the_newsvendor_over_the_lead_time(lead_time: int) -> None:
    system = SerialSystem((0.18,), (lead_time,), 0.70)
    result = ChenZheng(system).solve(SerialDemand(50.0, 8.0))
    reference = Newsvendor(0.18, 0.70).solve(NormalDemand(50.0, 8.0).over_periods(lead_time))
    assert result.echelon_base_stock[0] == pytest.approx(reference.level, abs=2e-3)
    assert result.expected_cost == pytest.approx(reference.expected_cost, rel=1e-5)


def test_one_stage_poisson_is_the_newsvendor_over_the_lead_time() -> None:
    result = ChenZheng(SerialSystem((1.0,), (2,), 4.0)).solve(SerialDemand(3.0))
    reference = Newsvendor(1.0, 4.0).solve(PoissonDemand(6.0))
    assert result.echelon_base_stock == (reference.level,)
    assert result.expected_cost == pytest.approx(reference.expected_cost, rel=1e-10)


def _naive_two_stage_costs(
    h1: float, h2: float, p: float, lam: float, l1: int, l2: int, upto: int = 30
) -> np.ndarray:
    """Direct double sum over the two lead-time demands (Poisson), no grid or recursion.

    Entry ``[s1, s2]`` is the expected cost of echelon levels ``(s1, s2)``.
    """
    d = np.arange(150)
    f2 = stats.poisson.pmf(d, lam * l2) if l2 else (d == 0).astype(float)
    f1 = stats.poisson.pmf(d, lam * l1) if l1 else (d == 0).astype(float)
    joint = f2[:, None] * f1[None, :]
    costs = np.full((upto, upto), np.inf)
    for s1, s2 in itertools.product(range(upto), range(upto)):
        il2 = s2 - d  # echelon inventory level of stage 2, by stage-2 lead-time demand
        il1 = np.minimum(s1, il2)[:, None] - d[None, :]
        shortfall = (joint * np.maximum(-il1, 0)).sum()
        costs[s1, s2] = h2 * f2 @ il2 + h1 * (joint * il1).sum() + (p + h1 + h2) * shortfall
    return costs


@settings(max_examples=12, deadline=None)
@given(
    h1=st.floats(0.1, 3.0),
    h2=st.floats(0.1, 3.0),
    p=st.floats(1.0, 30.0),
    lam=st.floats(0.5, 3.0),
    l1=st.integers(0, 2),
    l2=st.integers(1, 2),
)
def test_two_stage_poisson_optimum_equals_brute_force(
    h1: float, h2: float, p: float, lam: float, l1: int, l2: int
) -> None:
    result = ChenZheng(SerialSystem((h1, h2), (l1, l2), p)).solve(SerialDemand(lam))
    costs = _naive_two_stage_costs(h1, h2, p, lam, l1, l2)
    assert result.expected_cost == pytest.approx(float(costs.min()), rel=1e-9)
    s1, s2 = (int(s) for s in result.echelon_base_stock)
    assert costs[s1, s2] == pytest.approx(result.expected_cost, rel=1e-9)


@settings(max_examples=10, deadline=None)
@given(
    levels=st.lists(st.floats(-2.0, 30.0), min_size=3, max_size=3),
)
def test_no_levels_beat_the_optimum_of_example_6_1(levels: list[float]) -> None:
    engine = ChenZheng(_example_6_1(), points_per_std=50)
    best = engine.solve(SerialDemand(5.0, 1.0))
    assert engine.evaluate(SerialDemand(5.0, 1.0), levels) >= best.expected_cost - 1e-6
