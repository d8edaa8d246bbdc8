"""Chen, Drezner, Ryan & Simchi-Levi (2000), Management Science 46(3): the bullwhip bounds.

Var(q)/Var(D) >= 1 + (2L/p + 2L²/p²)(1 - rho^p), equality for z = 0; i.i.d. examples
L=2,p=4 -> 2.5; L=1,p=1 -> 5.0; L=4,p=5 -> 3.88 (THEORY.md). Multi-stage: a product of stage
formulas without sharing, the formula at the summed lead time with shared demand.
"""

from __future__ import annotations

import itertools

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings
from numpy.typing import NDArray

from tandem.planning.simulation import (
    InformationMode,
    InventoryView,
    MovingAverage,
    OrderUpTo,
    PoissonDemand,
    SerialSupplyChain,
    Sharing,
    Stage,
    additive_bound,
    chen_bound,
    exact_variance_ratio,
    multiplicative_bound,
    order_filter,
    run_bullwhip,
)

# 100 replications x 2,000 measured periods = 200,000 periods per estimate.
PERIODS, REPLICATIONS, WARMUP = 2_000 + 20, 100, 20


def _filtered(
    demand: NDArray[np.float64], c: NDArray[np.float64], mean: float
) -> NDArray[np.float64]:
    """``sum_j c[j] D_{t-j}`` with the demand before period 0 equal to its mean."""
    lags = c.size - 1
    padded = np.concatenate([np.full((demand.shape[0], lags), mean), demand], axis=1)
    out = np.zeros_like(demand)
    for j, coefficient in enumerate(c):
        out += coefficient * padded[:, lags - j : lags - j + demand.shape[1]]
    return out


def test_the_formula_gives_the_published_iid_examples() -> None:
    assert chen_bound(2, 4) == 2.5
    assert chen_bound(1, 1) == 5.0
    assert chen_bound(4, 5) == pytest.approx(3.88, abs=1e-12)
    assert chen_bound(2, 4, rho=0.5) == pytest.approx(1 + 1.5 * (1 - 0.5**4))


@pytest.mark.parametrize(
    ("lead_time", "window", "rho", "formula"),
    [
        (2, 4, 0.0, 2.5),
        (1, 1, 0.0, 5.0),
        (4, 5, 0.0, 3.88),
        (2, 4, 0.7, 1 + 1.5 * (1 - 0.7**4)),
        (1, 3, -0.5, 1 + (2 / 3 + 2 / 9) * (1 + 0.5**3)),
    ],
)
def test_a_long_single_stage_run_converges_to_the_formula(
    lead_time: int, window: int, rho: float, formula: float
) -> None:
    result = run_bullwhip(
        1,
        lead_time,
        MovingAverage(window),
        rho=rho,
        seed=2000,
        periods=PERIODS,
        replications=REPLICATIONS,
        warmup=WARMUP,
    )
    assert result.lower_bound[0] == pytest.approx(formula, abs=1e-12)
    assert result.exact_ratio[0] == pytest.approx(formula, abs=1e-12)
    assert result.variance_ratio[0] == pytest.approx(formula, rel=0.02)


def test_simulated_orders_are_exactly_the_linear_filter_of_demand() -> None:
    """Integer demand and L/p = 1/2 keep every sum exact, so the match is bit for bit."""
    stages = [
        Stage(name, OrderUpTo(MovingAverage(4)), lead_time=2) for name in ("retailer", "supplier")
    ]
    for information, view in (
        (InformationMode.TRADITIONAL, InventoryView.INSTALLATION),
        (InformationMode.SHARED, InventoryView.ECHELON),
    ):
        chain = SerialSupplyChain(
            [Stage(s.name, OrderUpTo(MovingAverage(4), view=view), 2) for s in stages],
            PoissonDemand(10.0),
            information=information,
            allow_negative_orders=True,
            periods=400,
            replications=5,
            seed=8,
        )
        result = chain.run()
        sharing = Sharing.DEMAND if information is InformationMode.SHARED else Sharing.NONE
        filters = order_filter([2, 2], 4, sharing)
        for stage, c in zip(result.stages, filters, strict=True):
            np.testing.assert_array_equal(stage.orders, _filtered(result.demand, c, 10.0))
    assert (stage.orders < 0).any()  # orders really go negative (returns)


def test_ar1_orders_match_the_filter_to_rounding() -> None:
    result = run_bullwhip(3, [1, 2, 1], MovingAverage(5), rho=0.6, periods=300, seed=4)
    filters = order_filter([1, 2, 1], 5)
    for stage, c in zip(result.simulation.stages, filters, strict=True):
        expected = _filtered(result.simulation.demand, c, 100.0)
        np.testing.assert_allclose(stage.orders, expected, rtol=0, atol=1e-9)


def test_the_filter_variance_is_the_formula_for_one_stage() -> None:
    for lead_time, window, rho in itertools.product((1, 2, 4), (1, 3, 5, 10), (-0.6, 0, 0.9)):
        (exact,) = exact_variance_ratio([lead_time], window, rho)
        assert exact == pytest.approx(chen_bound(lead_time, window, rho), rel=1e-12)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    leads=st.lists(st.integers(1, 5), min_size=2, max_size=4),
    window=st.integers(1, 8),
    rho=st.floats(-0.9, 0.95),
)
def test_without_sharing_the_product_of_stage_formulas_is_a_lower_bound(
    leads: list[int], window: int, rho: float
) -> None:
    exact = exact_variance_ratio(leads, window, rho)
    bound = multiplicative_bound(leads, window, rho)
    shared = exact_variance_ratio(leads, window, rho, Sharing.DEMAND)
    assert all(e >= b * (1 - 1e-12) for e, b in zip(exact, bound, strict=True))
    assert shared == pytest.approx(additive_bound(leads, window, rho), rel=1e-12)


def test_traditional_chain_multiplies_and_shared_chain_adds_lead_times() -> None:
    leads, p = [1, 2, 1], MovingAverage(5)
    traditional = run_bullwhip(
        3, leads, p, seed=31, periods=PERIODS, replications=REPLICATIONS, warmup=WARMUP
    )
    shared = run_bullwhip(
        3,
        leads,
        p,
        sharing=Sharing.DEMAND,
        seed=31,
        periods=PERIODS,
        replications=REPLICATIONS,
        warmup=WARMUP,
    )
    # Bounds: product (1.48, 1.48*2.12, 1.48*2.12*1.48) and sum (L = 1, 3, 4).
    assert traditional.lower_bound == pytest.approx((1.48, 3.1376, 4.643648), abs=1e-12)
    assert shared.lower_bound == pytest.approx((1.48, 2.92, 3.88), abs=1e-12)
    assert traditional.exact_ratio == pytest.approx((1.48, 3.4064, 5.68352), abs=1e-12)
    for simulated, exact in zip(traditional.variance_ratio, traditional.exact_ratio, strict=True):
        assert simulated == pytest.approx(exact, rel=0.02)
    for simulated, bound in zip(shared.variance_ratio, shared.lower_bound, strict=True):
        assert simulated == pytest.approx(bound, rel=0.02)
    # Sharing reduces, but does not remove, the bullwhip.
    assert shared.variance_ratio[2] < 0.8 * traditional.variance_ratio[2]
    assert shared.variance_ratio[2] > 3.5


def test_a_safety_stock_term_only_adds_variance() -> None:
    single = run_bullwhip(
        1,
        2,
        MovingAverage(4),
        safety_z=2.0,
        seed=5,
        periods=PERIODS,
        replications=REPLICATIONS,
        warmup=WARMUP,
    )
    chain = run_bullwhip(
        3,
        [1, 2, 1],
        MovingAverage(5),
        safety_z=1.0,
        seed=5,
        periods=PERIODS,
        replications=REPLICATIONS,
        warmup=WARMUP,
    )
    assert single.variance_ratio[0] > 1.2 * single.lower_bound[0]
    for simulated, bound in zip(chain.variance_ratio, chain.lower_bound, strict=True):
        assert simulated > bound


def test_lead_times_must_match_the_number_of_stages() -> None:
    with pytest.raises(ValueError, match="3 stages need 3 lead times, got 2"):
        run_bullwhip(3, [1, 2])
