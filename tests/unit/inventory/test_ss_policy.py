"""(s, S) by Zheng & Federgruen (1991) against Snyder & Shen (2019) Example 4.7."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.inventory import EmpiricalDemand, PoissonDemand, ZhengFedergruen


def test_ss_matches_snyder_shen_example_4_7() -> None:
    # S&S Example 4.7: h = 1, p = 4, K = 5, Poisson(6) demand, zero lead time.
    result = ZhengFedergruen(1.0, 4.0, 5.0).solve(PoissonDemand(6.0))
    assert (result.reorder_point, result.order_up_to) == (4, 10)
    assert result.expected_cost == pytest.approx(8.034112, rel=1e-6)


def test_ss_cost_of_a_given_policy() -> None:
    model = ZhengFedergruen(1.0, 4.0, 5.0)
    assert model.cost(PoissonDemand(6.0), 4, 10) == pytest.approx(8.034112, rel=1e-6)
    assert model.cost(PoissonDemand(6.0), 3, 11) > 8.034112


def test_ss_without_fixed_cost_is_a_base_stock_policy() -> None:
    result = ZhengFedergruen(1.0, 4.0, 0.0).solve(PoissonDemand(6.0))
    assert (result.reorder_point, result.order_up_to) == (7, 8)


def test_ss_rejects_non_integer_empirical_demand() -> None:
    with pytest.raises(ValueError, match="integer"):
        ZhengFedergruen(1.0, 4.0, 5.0).solve(EmpiricalDemand([0.5, 1.5]))


def _markov_chain_cost(pmf: np.ndarray, g: np.ndarray, k: float, s: int, big_s: int) -> float:
    """Naive reference: stationary law of the post-order inventory position on ``s+1..S``.

    ``g[y + 50]`` is the one-period cost at position ``y``.
    """
    states = np.arange(s + 1, big_s + 1)
    n = states.size
    nxt = states[:, None] - np.arange(pmf.size)[None, :]
    column = np.where(nxt > s, nxt - s - 1, n - 1)
    transition = np.zeros((n, n))
    np.add.at(transition, (np.repeat(np.arange(n), pmf.size), column.ravel()), np.tile(pmf, n))
    system = transition.T - np.eye(n)
    system[-1, :] = 1.0  # replace one balance equation by the normalisation
    rhs = np.zeros(n)
    rhs[-1] = 1.0
    stationary = np.linalg.solve(system, rhs)
    order_probability = np.where(nxt <= s, pmf[None, :], 0.0).sum(axis=1)
    return float(stationary @ g[states + 50] + k * stationary @ order_probability)


@settings(max_examples=15, deadline=None)
@given(
    mean=st.floats(0.5, 5.0),
    h=st.floats(0.5, 3.0),
    ratio=st.floats(2.0, 8.0),
    k=st.floats(0.0, 20.0),
    lead=st.integers(0, 1),
)
def test_zheng_federgruen_equals_markov_chain_brute_force(
    mean: float, h: float, ratio: float, k: float, lead: int
) -> None:
    p = h * ratio
    result = ZhengFedergruen(h, p, k, lead_time=lead).solve(PoissonDemand(mean))
    pmf = stats.poisson.pmf(np.arange(80), mean)
    lead_pmf = stats.poisson.pmf(np.arange(120), mean * (lead + 1))
    d = np.arange(lead_pmf.size)
    y = np.arange(-50, 60)[:, None]
    g = (lead_pmf * (h * np.maximum(y - d, 0) + p * np.maximum(d - y, 0))).sum(axis=1)
    brute = min(
        _markov_chain_cost(pmf, g, k, s, big_s)
        for s in range(-10, 15)
        for big_s in range(max(s + 1, 0), s + 26)
    )
    assert -10 <= result.reorder_point < 15
    assert result.order_up_to - result.reorder_point < 26
    assert result.expected_cost == pytest.approx(brute, rel=1e-8)
