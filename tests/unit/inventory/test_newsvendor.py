"""Newsvendor and base-stock engines against Snyder & Shen (2019) and brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.inventory import (
    BaseStock,
    EmpiricalDemand,
    Newsvendor,
    NormalDemand,
    PoissonDemand,
)


def test_normal_newsvendor_matches_snyder_shen_example_4_3() -> None:
    # S&S Example 4.3: h = 0.18, p = 0.70, D ~ N(50, 8^2).
    model = Newsvendor(holding_cost=0.18, stockout_cost=0.70)
    result = model.solve(NormalDemand(50.0, 8.0))
    assert result.level == pytest.approx(56.603956, rel=1e-8)
    assert result.expected_cost == pytest.approx(1.997605, rel=1e-6)
    assert result.critical_ratio == pytest.approx(0.7 / 0.88, rel=1e-12)


def test_normal_newsvendor_cost_at_forty_matches_snyder_shen_example_4_3() -> None:
    model = Newsvendor(holding_cost=0.18, stockout_cost=0.70)
    assert model.expected_cost(NormalDemand(50.0, 8.0), 40.0) == pytest.approx(7.356132, rel=1e-6)


def test_base_stock_matches_snyder_shen_example_4_4() -> None:
    # S&S Example 4.4: Example 4.3 with lead time 4 and review period 1.
    result = BaseStock(0.18, 0.70, lead_time=4, review_period=1).solve(NormalDemand(50.0, 8.0))
    assert result.protection_periods == 5
    assert result.level == pytest.approx(264.766894, rel=1e-8)
    assert result.expected_cost == pytest.approx(4.466781, rel=1e-6)
    assert result.safety_stock == pytest.approx(264.766894 - 250.0, rel=1e-6)


def test_base_stock_with_review_period_protects_lead_time_plus_review() -> None:
    per_period = NormalDemand(50.0, 8.0)
    two_by_three = BaseStock(0.18, 0.70, lead_time=3, review_period=2).solve(per_period)
    five_by_one = BaseStock(0.18, 0.70, lead_time=4).solve(per_period)
    assert two_by_three.level == five_by_one.level


def test_poisson_newsvendor_is_smallest_integer_reaching_the_critical_ratio() -> None:
    result = Newsvendor(1.0, 4.0).solve(PoissonDemand(6.0))
    assert result.level == 8.0  # F(7) = 0.7440 < 0.8 <= F(8) = 0.8472
    assert result.expected_cost == pytest.approx(
        sum(
            p * (1.0 * max(8 - d, 0) + 4.0 * max(d - 8, 0))
            for d, p in enumerate(PoissonDemand(6.0).pmf(80))
        ),
        rel=1e-12,
    )


def test_empirical_newsvendor_on_a_textbook_sized_sample() -> None:
    demand = EmpiricalDemand([10, 20, 30, 40], [0.1, 0.4, 0.3, 0.2])
    result = Newsvendor(1.0, 3.0).solve(demand)  # critical ratio 0.75: F(30) = 0.8
    assert result.level == 30.0
    assert result.expected_cost == pytest.approx(0.1 * 20 + 0.4 * 10 + 0.2 * 3 * 10, rel=1e-12)


def test_empirical_demand_merges_repeated_samples() -> None:
    demand = EmpiricalDemand.from_samples([3, 1, 2, 2])
    assert demand.support.tolist() == [1.0, 2.0, 3.0]
    assert demand.probabilities.tolist() == [0.25, 0.5, 0.25]


def test_empirical_demand_over_two_periods_is_the_convolution() -> None:
    two = EmpiricalDemand([0, 1], [0.5, 0.5]).over_periods(2)
    assert two.support.tolist() == [0.0, 1.0, 2.0]
    assert two.probabilities.tolist() == [0.25, 0.5, 0.25]


@pytest.mark.parametrize(
    ("holding", "stockout"),
    [(0.0, 1.0), (1.0, 0.0), (-1.0, 1.0)],
)
def test_newsvendor_rejects_non_positive_costs(holding: float, stockout: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        Newsvendor(holding, stockout)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.integers(0, 30), min_size=1, max_size=8),
    weights=st.lists(st.integers(1, 9), min_size=8, max_size=8),
    holding=st.floats(0.1, 5.0),
    stockout=st.floats(0.1, 5.0),
)
def test_empirical_newsvendor_equals_brute_force(
    values: list[int], weights: list[int], holding: float, stockout: float
) -> None:
    w = np.asarray(weights[: len(values)], dtype=float)
    demand = EmpiricalDemand(values, w / w.sum())
    model = Newsvendor(holding, stockout)
    result = model.solve(demand)
    grid = np.arange(-1.0, 31.5, 0.5)
    brute = min(
        float(
            demand.probabilities
            @ (
                holding * np.maximum(s - demand.support, 0)
                + stockout * np.maximum(demand.support - s, 0)
            )
        )
        for s in grid
    )
    assert result.expected_cost == pytest.approx(brute, rel=1e-9, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    mean=st.floats(0.5, 20.0),
    holding=st.floats(0.1, 5.0),
    stockout=st.floats(0.1, 5.0),
)
def test_poisson_newsvendor_equals_brute_force(
    mean: float, holding: float, stockout: float
) -> None:
    demand = PoissonDemand(mean)
    model = Newsvendor(holding, stockout)
    result = model.solve(demand)
    pmf = demand.pmf(200)
    d = np.arange(pmf.size)
    costs = [
        float(pmf @ (holding * np.maximum(s - d, 0) + stockout * np.maximum(d - s, 0)))
        for s in range(60)
    ]
    assert result.expected_cost == pytest.approx(min(costs), rel=1e-9)
    assert model.expected_cost(demand, 3.0) == pytest.approx(costs[3], rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(
    mean=st.floats(-50.0, 50.0),
    std=st.floats(0.1, 20.0),
    holding=st.floats(0.1, 5.0),
    stockout=st.floats(0.1, 5.0),
)
def test_normal_newsvendor_level_is_a_local_minimum(
    mean: float, std: float, holding: float, stockout: float
) -> None:
    demand = NormalDemand(mean, std)
    model = Newsvendor(holding, stockout)
    result = model.solve(demand)
    for step in (-0.01 * std, 0.01 * std):
        assert model.expected_cost(demand, result.level + step) >= result.expected_cost
