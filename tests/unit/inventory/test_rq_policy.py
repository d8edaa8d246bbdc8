"""(r, Q) policy against Snyder & Shen (2019) Example 5.1."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.inventory import ContinuousReviewRQ, NormalDemand, RQApproximation


def _example_5_1() -> ContinuousReviewRQ:
    # S&S Example 5.1: h = 0.225, p = 7.5, K = 8, lambda = 1300/yr, sigma = 150/yr, L = 1/12 yr.
    lead_time_demand = NormalDemand(1300.0 / 12.0, 150.0 * math.sqrt(1.0 / 12.0))
    return ContinuousReviewRQ(0.225, 7.5, 8.0, 1300.0, lead_time_demand)


def test_rq_optimum_matches_snyder_shen_example_5_1() -> None:
    best = _example_5_1().solve()
    assert best.expected_cost == pytest.approx(78.0711, abs=5e-5)
    assert best.reorder_point == pytest.approx(126.9, abs=0.05)
    assert best.order_quantity == pytest.approx(328.5, abs=0.1)


def test_rq_exact_cost_at_the_published_policy() -> None:
    assert _example_5_1().cost(126.9, 328.5) == pytest.approx(78.0711, abs=5e-4)


@pytest.mark.parametrize("method", list(RQApproximation))
def test_rq_approximations_cost_no_less_than_the_optimum(method: RQApproximation) -> None:
    model = _example_5_1()
    approx = model.approximate(method)
    assert approx.expected_cost > model.solve().expected_cost
    assert approx.reorder_point == pytest.approx(model.lead_time_demand.quantile(7.5 / 7.725))


def test_rq_eoq_safety_stock_uses_the_eoq_quantity() -> None:
    approx = _example_5_1().approximate(RQApproximation.EOQ_SAFETY_STOCK)
    assert approx.order_quantity == pytest.approx(304.04678, rel=1e-8)


@settings(max_examples=15, deadline=None)
@given(
    h=st.floats(0.1, 2.0),
    p=st.floats(1.0, 20.0),
    k=st.floats(1.0, 100.0),
    lam=st.floats(100.0, 3000.0),
    cv=st.floats(0.05, 0.5),
)
def test_rq_optimum_beats_its_neighbours(
    h: float, p: float, k: float, lam: float, cv: float
) -> None:
    ltd = NormalDemand(lam / 12.0, cv * lam / 12.0)
    model = ContinuousReviewRQ(h, p, k, lam, ltd)
    best = model.solve()
    for dr, dq in ((-1, 0), (1, 0), (0, -1), (0, 1), (1, 1), (-1, -1)):
        r = best.reorder_point + dr * 0.01 * ltd.std
        q = best.order_quantity * (1 + dq * 0.01)
        assert model.cost(r, q) >= best.expected_cost - 1e-9 * best.expected_cost
