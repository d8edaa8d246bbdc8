"""Wagner–Whitin against Snyder & Shen (2019) Example 3.9 and brute-force enumeration."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.inventory import wagner_whitin


def test_wagner_whitin_matches_snyder_shen_example_3_9() -> None:
    # S&S Example 3.9: d = (90, 120, 80, 70), K = 500, h = 2.
    result = wagner_whitin([90, 120, 80, 70], fixed_cost=500.0, holding_cost=2.0)
    assert result.order_quantities == (210.0, 0.0, 150.0, 0.0)
    assert result.order_periods == (0, 2)
    assert result.total_cost == 1380.0


def test_wagner_whitin_does_not_charge_orders_for_zero_demand() -> None:
    assert wagner_whitin([0, 0, 0], 100.0, 1.0).total_cost == 0.0


def test_wagner_whitin_rejects_negative_demand() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        wagner_whitin([1, -1], 1.0, 1.0)


def _brute_force(d: list[int], k: list[float], h: list[float], c: list[float]) -> float:
    """Enumerate every integer order vector that never backorders and ends empty."""
    horizon, total = len(d), sum(d)
    best = float("inf")
    for orders in itertools.product(range(total + 1), repeat=horizon):
        if sum(orders) != total:
            continue
        stock, cost = 0, 0.0
        for t in range(horizon):
            stock += orders[t] - d[t]
            if stock < 0:
                break
            cost += (k[t] if orders[t] > 0 else 0.0) + c[t] * orders[t] + h[t] * stock
        else:
            best = min(best, cost)
    return best


@settings(max_examples=40, deadline=None)
@given(
    d=st.lists(st.integers(0, 3), min_size=1, max_size=4),
    k=st.lists(st.integers(0, 20), min_size=4, max_size=4),
    h=st.lists(st.integers(0, 5), min_size=4, max_size=4),
    c=st.lists(st.integers(0, 5), min_size=4, max_size=4),
)
def test_wagner_whitin_equals_brute_force(
    d: list[int], k: list[int], h: list[int], c: list[int]
) -> None:
    n = len(d)
    kf, hf, cf = (list(map(float, x[:n])) for x in (k, h, c))
    result = wagner_whitin(d, kf, hf, cf)
    assert result.total_cost == pytest.approx(_brute_force(d, kf, hf, cf), abs=1e-9)
    assert sum(result.order_quantities) == sum(d)
