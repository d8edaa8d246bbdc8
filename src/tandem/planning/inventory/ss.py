"""Optimal periodic-review ``(s, S)`` policy for discrete demand (Zheng & Federgruen 1991).

Each period the inventory position is reviewed; when it is at or below ``s`` an order raises it
to ``S`` at fixed cost ``K``. With one-period expected holding/backorder cost ``G(y)`` (charged on
the demand over the lead time plus one period) and the renewal masses ``m(j)`` of the
per-period demand, the long-run expected cost per period is (S&S section 4.6; Zheng &
Federgruen 1991, eq. 2)

``c(s, S) = (K + sum_{j=0}^{S-s-1} m(j) G(S - j)) / M(S - s)``, ``M(k) = sum_{j<k} m(j)``,

and Zheng & Federgruen's algorithm finds the optimal integer ``(s, S)`` exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tandem.planning.inventory.demand import EmpiricalDemand, PoissonDemand

__all__ = ["SSResult", "ZhengFedergruen"]

DiscreteDemand = PoissonDemand | EmpiricalDemand


@dataclass(frozen=True)
class SSResult:
    """An ``(s, S)`` policy: order up to ``S`` when the inventory position is ``<= s``."""

    reorder_point: int
    order_up_to: int
    expected_cost: float


class ZhengFedergruen:
    """Exact ``(s, S)`` optimisation by Zheng & Federgruen (1991).

    Parameters
    ----------
    holding_cost, stockout_cost
        ``h`` and ``p`` per unit per period.
    fixed_cost
        ``K`` per order.
    lead_time
        Lead time in periods (``G`` uses demand over ``lead_time + 1`` periods).

    Examples
    --------
    S&S Example 4.7: ``h = 1``, ``p = 4``, ``K = 5``, Poisson(6) demand, zero lead time.

    >>> result = ZhengFedergruen(1.0, 4.0, 5.0).solve(PoissonDemand(6.0))
    >>> result.reorder_point, result.order_up_to, round(result.expected_cost, 6)
    (4, 10, 8.034112)
    """

    def __init__(
        self, holding_cost: float, stockout_cost: float, fixed_cost: float, lead_time: int = 0
    ) -> None:
        if not holding_cost > 0.0 or not stockout_cost > 0.0 or fixed_cost < 0.0:
            raise ValueError("costs must be positive (fixed cost non-negative)")
        if lead_time < 0:
            raise ValueError("lead time must be non-negative")
        self.holding_cost = holding_cost
        self.stockout_cost = stockout_cost
        self.fixed_cost = fixed_cost
        self.lead_time = lead_time

    def solve(self, demand: DiscreteDemand) -> SSResult:
        """The optimal ``(s, S)`` for integer-valued per-period demand."""
        model = _Model(self, demand)
        g = model.one_period_cost
        y_star = model.argmin_g()
        s = y_star - 1
        while model.cost(s, y_star) > g(s):
            s -= 1
        big_s = y_star
        best = model.cost(s, big_s)
        candidate = big_s + 1
        while g(candidate) <= best:
            if model.cost(s, candidate) < best:
                big_s = candidate
                while model.cost(s, big_s) <= g(s + 1):
                    s += 1
                best = model.cost(s, big_s)
            candidate += 1
        return SSResult(reorder_point=s, order_up_to=big_s, expected_cost=best)

    def cost(self, demand: DiscreteDemand, reorder_point: int, order_up_to: int) -> float:
        """Expected cost per period ``c(s, S)`` of a given policy (``s < S``)."""
        if reorder_point >= order_up_to:
            raise ValueError("need s < S")
        return _Model(self, demand).cost(reorder_point, order_up_to)


class _Model:
    """Cached one-period costs and renewal masses for one demand distribution."""

    def __init__(self, params: ZhengFedergruen, demand: DiscreteDemand) -> None:
        self._params = params
        self._period = _integer_pmf(demand)
        self._lead = demand.over_periods(params.lead_time + 1)
        self._g: dict[int, float] = {}
        self._m: list[float] = []
        self._m_cum: list[float] = [0.0]

    def one_period_cost(self, y: int) -> float:
        if y not in self._g:
            h, p = self._params.holding_cost, self._params.stockout_cost
            self._g[y] = h * (y - self._lead.mean) + (h + p) * self._lead.loss(y)
        return self._g[y]

    def argmin_g(self) -> int:
        # G is convex on the integers with minimum at the critical fractile.
        h, p = self._params.holding_cost, self._params.stockout_cost
        y = math.ceil(self._lead.quantile(p / (h + p)))
        while self.one_period_cost(y - 1) <= self.one_period_cost(y):
            y -= 1
        while self.one_period_cost(y + 1) < self.one_period_cost(y):
            y += 1
        return y

    def _extend_renewal(self, size: int) -> None:
        pmf = self._period
        p0 = float(pmf[0])
        while len(self._m) < size:
            j = len(self._m)
            if j == 0:
                value = 1.0 / (1.0 - p0)
            else:
                upto = min(j, pmf.size - 1)
                prev = np.asarray(self._m[j - upto : j][::-1])
                value = float(pmf[1 : upto + 1] @ prev) / (1.0 - p0)
            self._m.append(value)
            self._m_cum.append(self._m_cum[-1] + value)

    def cost(self, s: int, big_s: int) -> float:
        width = big_s - s
        self._extend_renewal(width)
        total = self._params.fixed_cost
        for j in range(width):
            total += self._m[j] * self.one_period_cost(big_s - j)
        return total / self._m_cum[width]


def _integer_pmf(demand: DiscreteDemand) -> np.ndarray[tuple[int], np.dtype[np.float64]]:
    """``P(D = k)`` for ``k = 0..`` up to a tail of 1e-15."""
    if isinstance(demand, PoissonDemand):
        upto = int(demand.mean + 40.0 * math.sqrt(demand.mean) + 40.0)
        return demand.pmf(upto)
    support = demand.support
    if np.any(support < 0) or np.any(support != np.round(support)):
        raise ValueError("(s, S) needs non-negative integer demand values")
    pmf = np.zeros(int(support.max()) + 1)
    pmf[support.astype(np.int64)] = demand.probabilities
    if pmf[0] >= 1.0:
        raise ValueError("demand is always zero")
    return pmf
