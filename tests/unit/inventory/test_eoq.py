"""EOQ family against Snyder & Shen (2019) chapter 3 and a brute-force grid."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.inventory import eoq, eoq_all_units_discount, eoq_with_backorders, epq


def test_eoq_matches_snyder_shen_example_3_1() -> None:
    # S&S Example 3.1: K = 8, h = 0.225, lambda = 1300.
    result = eoq(fixed_cost=8.0, holding_cost=0.225, demand_rate=1300.0)
    assert result.order_quantity == pytest.approx(304.04678, rel=1e-8)
    assert result.cost == pytest.approx(68.410526, rel=1e-7)
    assert result.cycle_time == pytest.approx(304.04678 / 1300.0, rel=1e-8)


def test_eoq_with_backorders_matches_snyder_shen_example_3_8() -> None:
    # S&S Example 3.8: Example 3.1 with p = 5.
    result = eoq_with_backorders(8.0, 0.225, 5.0, 1300.0)
    assert result.order_quantity == pytest.approx(310.812555, rel=1e-8)
    assert result.cost == pytest.approx(66.921364, rel=1e-7)
    assert result.fill_fraction == pytest.approx(5.0 / 5.225, rel=1e-12)
    assert result.max_backorder == pytest.approx(310.812555 * 0.225 / 5.225, rel=1e-8)


def test_epq_uses_the_effective_holding_cost() -> None:
    result = epq(8.0, 0.225, 1300.0, production_rate=2600.0)
    assert result.order_quantity == pytest.approx(math.sqrt(2 * 8 * 1300 / 0.1125), rel=1e-12)
    assert result.cost == pytest.approx(math.sqrt(2 * 8 * 1300 * 0.1125), rel=1e-12)


def test_epq_rejects_production_slower_than_demand() -> None:
    with pytest.raises(ValueError, match="production rate"):
        epq(8.0, 0.225, 1300.0, production_rate=1000.0)


def test_all_units_discount_jumps_to_the_cheaper_breakpoint() -> None:
    result = eoq_all_units_discount(8.0, 1300.0, [0, 400, 800], [1.0, 0.98, 0.96], 0.225)
    assert result.order_quantity == 400.0
    assert result.region == 1
    assert result.cost == pytest.approx(0.98 * 1300 + 8 * 1300 / 400 + 0.225 * 0.98 * 200)


def _discount_totals(
    q: np.ndarray, k: float, lam: float, b: list[float], c: list[float], i: float
) -> np.ndarray:
    price = np.asarray(c)[np.searchsorted(b, q, side="right") - 1]
    return price * lam + k * lam / q + i * price * q / 2


@settings(max_examples=40, deadline=None)
@given(
    k=st.floats(1.0, 100.0),
    lam=st.floats(100.0, 5000.0),
    rate=st.floats(0.05, 0.5),
    gaps=st.lists(st.floats(50.0, 600.0), min_size=1, max_size=3),
    cuts=st.lists(st.floats(0.01, 0.1), min_size=3, max_size=3),
)
def test_all_units_discount_beats_every_quantity_on_a_grid(
    k: float, lam: float, rate: float, gaps: list[float], cuts: list[float]
) -> None:
    breakpoints = [0.0, *np.cumsum(gaps).tolist()]
    prices = [10.0]
    for cut in cuts[: len(gaps)]:
        prices.append(prices[-1] * (1 - cut))
    result = eoq_all_units_discount(k, lam, breakpoints, prices, holding_rate=rate)
    grid = np.concatenate([np.linspace(1.0, 4000.0, 8000), breakpoints[1:]])
    brute = float(_discount_totals(grid, k, lam, breakpoints, prices, rate).min())
    assert result.cost <= brute + 1e-9
    at_optimum = _discount_totals(
        np.array([result.order_quantity]), k, lam, breakpoints, prices, rate
    )
    assert result.cost == pytest.approx(float(at_optimum[0]), rel=1e-12)
