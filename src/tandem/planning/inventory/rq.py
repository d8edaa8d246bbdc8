"""Continuous-review ``(r, Q)`` policy with normal lead-time demand (Snyder & Shen 2019, ch. 5).

With demand rate ``lam``, fixed cost ``K``, holding cost ``h`` and backorder cost ``p`` (per
unit per unit time) and lead-time demand ``D ~ N(mu, sigma^2)``, the inventory position is
uniform on ``(r, r + Q]`` and the expected cost per unit time is (S&S eq. 5.7, loss-function
form)

``g(r, Q) = (K lam + h Q (r - mu + Q / 2) + (h + p) (n2(r) - n2(r + Q))) / Q``

where ``n2`` is the second-order loss function of ``D``. ``g`` is jointly convex. For fixed
``Q`` the optimal ``r`` solves ``n(r) - n(r + Q) = h Q / (h + p)``; the optimiser nests that
root inside a bounded one-dimensional search over ``Q``.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from scipy import optimize  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.inventory.demand import NormalDemand

__all__ = ["ContinuousReviewRQ", "RQApproximation", "RQResult"]


class RQApproximation(enum.Enum):
    """Closed-form approximations of the optimal ``(r, Q)`` (S&S section 5.2.4)."""

    EOQ_SAFETY_STOCK = "eoq_safety_stock"
    """``Q`` from the EOQ; ``r = F^{-1}(p / (h + p))`` as in the base-stock model."""
    EOQ_BACKORDERS = "eoq_backorders"
    """``Q`` from the EOQ with planned backorders; ``r`` as above."""


@dataclass(frozen=True)
class RQResult:
    """An ``(r, Q)`` policy and its exact expected cost per unit time."""

    reorder_point: float
    order_quantity: float
    expected_cost: float


class ContinuousReviewRQ:
    """Exact ``(r, Q)`` cost, optimiser and approximations (S&S section 5.2).

    Parameters
    ----------
    holding_cost, stockout_cost
        ``h`` and ``p`` per unit per unit time.
    fixed_cost
        ``K`` per order.
    demand_rate
        ``lam`` units per unit time.
    lead_time_demand
        Normal demand over the lead time.

    Examples
    --------
    S&S Example 5.1: ``h = 0.225``, ``p = 7.5``, ``K = 8``, ``lam = 1300``, ``L = 1/12`` year,
    annual standard deviation 150.

    >>> import math
    >>> ltd = NormalDemand(1300 / 12, 150 * math.sqrt(1 / 12))
    >>> best = ContinuousReviewRQ(0.225, 7.5, 8.0, 1300.0, ltd).solve()
    >>> round(best.reorder_point, 1), round(best.order_quantity, 1), round(best.expected_cost, 4)
    (126.9, 328.4, 78.0711)
    """

    def __init__(
        self,
        holding_cost: float,
        stockout_cost: float,
        fixed_cost: float,
        demand_rate: float,
        lead_time_demand: NormalDemand,
    ) -> None:
        for name, value in (
            ("holding_cost", holding_cost),
            ("stockout_cost", stockout_cost),
            ("fixed_cost", fixed_cost),
            ("demand_rate", demand_rate),
        ):
            if not value > 0.0:
                raise ValueError(f"{name} must be positive, got {value}")
        self.holding_cost = holding_cost
        self.stockout_cost = stockout_cost
        self.fixed_cost = fixed_cost
        self.demand_rate = demand_rate
        self.lead_time_demand = lead_time_demand

    def cost(self, reorder_point: float, order_quantity: float) -> float:
        """Exact expected cost per unit time ``g(r, Q)``."""
        if not order_quantity > 0.0:
            raise ValueError("order quantity must be positive")
        h, p, q = self.holding_cost, self.stockout_cost, order_quantity
        d = self.lead_time_demand
        shortage = d.second_loss(reorder_point) - d.second_loss(reorder_point + q)
        numerator = (
            self.fixed_cost * self.demand_rate
            + h * q * (reorder_point - d.mean + q / 2.0)
            + (h + p) * shortage
        )
        return numerator / q

    def best_reorder_point(self, order_quantity: float) -> float:
        """The ``r`` minimising ``g(r, Q)`` for a fixed ``Q``."""
        h, p, q = self.holding_cost, self.stockout_cost, order_quantity
        d = self.lead_time_demand
        target = h * q / (h + p)

        def gap(r: float) -> float:
            return d.loss(r) - d.loss(r + q) - target

        lo = d.mean - 40.0 * d.std - q
        hi = d.mean + 40.0 * d.std
        return float(optimize.brentq(gap, lo, hi, xtol=1e-12, rtol=1e-14))

    def solve(self) -> RQResult:
        """The jointly optimal ``(r, Q)``."""
        start = self.approximate(RQApproximation.EOQ_BACKORDERS).order_quantity
        upper = 4.0 * start + 40.0 * self.lead_time_demand.std

        def profile(q: float) -> float:
            return self.cost(self.best_reorder_point(q), q)

        found = optimize.minimize_scalar(
            profile,
            bounds=(upper * 1e-9, upper),
            method="bounded",
            options={"xatol": 1e-9 * upper},
        )
        quantity = float(found.x)
        reorder = self.best_reorder_point(quantity)
        return RQResult(reorder, quantity, self.cost(reorder, quantity))

    def approximate(self, method: RQApproximation) -> RQResult:
        """A closed-form ``(r, Q)`` evaluated with the exact cost."""
        h, p = self.holding_cost, self.stockout_cost
        base = 2.0 * self.fixed_cost * self.demand_rate / h
        if method is RQApproximation.EOQ_SAFETY_STOCK:
            quantity = math.sqrt(base)
        else:
            quantity = math.sqrt(base * (h + p) / p)
        reorder = self.lead_time_demand.quantile(p / (h + p))
        return RQResult(reorder, quantity, self.cost(reorder, quantity))
