"""Wagner–Whitin dynamic lot sizing (Wagner & Whitin 1958; Snyder & Shen 2019, section 3.7).

Deterministic demands ``d_1..d_T``, fixed order cost ``K_t``, per-unit purchase cost ``c_t`` and
holding cost ``h_t`` on the inventory at the end of period ``t``; no backorders, zero lead time.
By the zero-inventory-ordering property an optimal plan orders in ``j`` exactly the demand of
``j..t`` for some ``t``, so ``f(t) = min_j f(j - 1) + K_j + c_j D(j..t) + holding(j..t)``
in ``O(T^2)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["LotSizingResult", "wagner_whitin"]


@dataclass(frozen=True)
class LotSizingResult:
    """An optimal lot-sizing plan.

    Attributes
    ----------
    order_quantities
        Quantity ordered in each period.
    total_cost
        Fixed, purchase and holding cost of the plan.
    """

    order_quantities: tuple[float, ...]
    total_cost: float

    @property
    def order_periods(self) -> tuple[int, ...]:
        """Zero-based periods with a positive order."""
        return tuple(t for t, q in enumerate(self.order_quantities) if q > 0)


def _per_period(value: npt.ArrayLike, horizon: int, name: str) -> npt.NDArray[np.float64]:
    array = np.broadcast_to(np.asarray(value, dtype=np.float64), (horizon,)).copy()
    if np.any(array < 0):
        raise ValueError(f"{name} must be non-negative")
    return array


def wagner_whitin(
    demand: npt.ArrayLike,
    fixed_cost: npt.ArrayLike,
    holding_cost: npt.ArrayLike,
    unit_cost: npt.ArrayLike = 0.0,
) -> LotSizingResult:
    """Optimal order quantities for deterministic time-varying demand.

    Parameters
    ----------
    demand
        ``d_t >= 0`` for each period.
    fixed_cost, holding_cost, unit_cost
        Scalars or one value per period.

    Examples
    --------
    S&S Example 3.9: ``d = (90, 120, 80, 70)``, ``K = 500``, ``h = 2``.

    >>> result = wagner_whitin([90, 120, 80, 70], 500.0, 2.0)
    >>> result.order_quantities, result.total_cost
    ((210.0, 0.0, 150.0, 0.0), 1380.0)
    """
    d = np.asarray(demand, dtype=np.float64).ravel()
    horizon = d.size
    if np.any(d < 0):
        raise ValueError("demand must be non-negative")
    k = _per_period(fixed_cost, horizon, "fixed_cost")
    h = _per_period(holding_cost, horizon, "holding_cost")
    c = _per_period(unit_cost, horizon, "unit_cost")
    cum_h = np.concatenate([[0.0], np.cumsum(h)])  # cum_h[t] = h_0 + ... + h_{t-1}
    best = np.full(horizon + 1, np.inf)  # best[t]: optimal cost of periods 0..t-1
    best[0] = 0.0
    choice = np.zeros(horizon + 1, dtype=np.int64)  # order period covering t-1, or -1
    for t in range(1, horizon + 1):
        if d[t - 1] == 0.0:
            best[t], choice[t] = best[t - 1], -1
        for j in range(t):
            block = d[j:t]
            if block.sum() == 0.0:
                continue
            # a unit for period m ordered in j is held at the ends of periods j..m-1
            holding = float(block @ (cum_h[j:t] - cum_h[j]))
            cost = best[j] + k[j] + c[j] * block.sum() + holding
            if cost < best[t]:
                best[t], choice[t] = cost, j
    orders = np.zeros(horizon)
    t = horizon
    while t > 0:
        j = int(choice[t])
        if j < 0:
            t -= 1
            continue
        orders[j] = d[j:t].sum()
        t = j
    return LotSizingResult(tuple(float(q) for q in orders), float(best[horizon]))
