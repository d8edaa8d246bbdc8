"""Newsvendor and periodic-review base-stock policies (Snyder & Shen 2019, ch. 4).

The newsvendor orders ``S`` before a single period of random demand ``D``; leftover units cost
``h`` each and unmet demand ``p`` each, so the expected cost is

``g(S) = h E[(S - D)^+] + p E[(D - S)^+] = h (S - E[D]) + (h + p) n(S)``

with ``n`` the first-order loss function. The optimum is the critical fractile
``S* = F^{-1}(p / (h + p))`` (S&S Theorem 4.1); for a discrete distribution the smallest support
point whose distribution function reaches the critical ratio.

A periodic-review base-stock policy with lead time ``L`` and review period ``R`` protects
against the demand over ``L + R`` periods and is solved as a newsvendor on that demand
(S&S section 4.3; exact for ``R = 1``).
"""

from __future__ import annotations

from dataclasses import dataclass

from tandem.planning.inventory.demand import Demand

__all__ = ["BaseStock", "BaseStockResult", "Newsvendor", "NewsvendorResult"]


@dataclass(frozen=True)
class NewsvendorResult:
    """An optimal newsvendor decision.

    Attributes
    ----------
    level
        The optimal order-up-to level ``S*``.
    expected_cost
        ``g(S*)``, the expected overage plus underage cost per period.
    critical_ratio
        ``p / (h + p)``.
    """

    level: float
    expected_cost: float
    critical_ratio: float


class Newsvendor:
    """The single-period newsvendor (S&S section 4.3).

    Parameters
    ----------
    holding_cost
        Overage cost ``h`` per unit left over (``> 0``).
    stockout_cost
        Underage cost ``p`` per unit short (``> 0``).

    Examples
    --------
    S&S Example 4.3: ``h = 0.18``, ``p = 0.70``, ``D ~ N(50, 8^2)``.

    >>> from tandem.planning.inventory.demand import NormalDemand
    >>> result = Newsvendor(0.18, 0.70).solve(NormalDemand(50.0, 8.0))
    >>> round(result.level, 6), round(result.expected_cost, 6)
    (56.603956, 1.997605)
    """

    def __init__(self, holding_cost: float, stockout_cost: float) -> None:
        if not holding_cost > 0.0 or not stockout_cost > 0.0:
            raise ValueError("holding and stockout costs must be positive")
        self.holding_cost = holding_cost
        self.stockout_cost = stockout_cost

    @property
    def critical_ratio(self) -> float:
        """``p / (h + p)``."""
        return self.stockout_cost / (self.holding_cost + self.stockout_cost)

    def expected_cost(self, demand: Demand, level: float) -> float:
        """Expected cost ``g(level)`` of ordering up to ``level``."""
        h, p = self.holding_cost, self.stockout_cost
        return h * (level - demand.mean) + (h + p) * demand.loss(level)

    def solve(self, demand: Demand) -> NewsvendorResult:
        """The optimal order-up-to level and its expected cost."""
        level = demand.quantile(self.critical_ratio)
        return NewsvendorResult(
            level=level,
            expected_cost=self.expected_cost(demand, level),
            critical_ratio=self.critical_ratio,
        )


@dataclass(frozen=True)
class BaseStockResult:
    """An optimal periodic-review base-stock level.

    Attributes
    ----------
    level
        The base-stock (order-up-to) level ``S*``.
    expected_cost
        Expected holding plus backorder cost per period.
    protection_periods
        ``L + R``, the number of periods of demand the level protects against.
    safety_stock
        ``S* - E[demand over L + R periods]``.
    """

    level: float
    expected_cost: float
    protection_periods: int
    safety_stock: float


class BaseStock:
    """Periodic-review base-stock policy with lead time and review period (S&S section 4.3).

    Parameters
    ----------
    holding_cost, stockout_cost
        Per-unit, per-period holding and backorder costs ``h`` and ``p``.
    lead_time
        Replenishment lead time ``L`` in periods (``>= 0``).
    review_period
        Review period ``R`` in periods (``>= 1``).

    Examples
    --------
    S&S Example 4.4: Example 4.3 with ``L = 4`` (protection interval of 5 periods).

    >>> from tandem.planning.inventory.demand import NormalDemand
    >>> result = BaseStock(0.18, 0.70, lead_time=4).solve(NormalDemand(50.0, 8.0))
    >>> round(result.level, 6), round(result.expected_cost, 6)
    (264.766894, 4.466781)
    """

    def __init__(
        self,
        holding_cost: float,
        stockout_cost: float,
        lead_time: int = 0,
        review_period: int = 1,
    ) -> None:
        if lead_time < 0 or review_period < 1:
            raise ValueError("lead time must be >= 0 and review period >= 1")
        self._newsvendor = Newsvendor(holding_cost, stockout_cost)
        self.lead_time = lead_time
        self.review_period = review_period

    @property
    def protection_periods(self) -> int:
        """``L + R``."""
        return self.lead_time + self.review_period

    def expected_cost(self, demand_per_period: Demand, level: float) -> float:
        """Expected cost per period of base-stock level ``level``."""
        protected = demand_per_period.over_periods(self.protection_periods)
        return self._newsvendor.expected_cost(protected, level)

    def solve(self, demand_per_period: Demand) -> BaseStockResult:
        """The optimal base-stock level for i.i.d. per-period demand."""
        protected = demand_per_period.over_periods(self.protection_periods)
        best = self._newsvendor.solve(protected)
        return BaseStockResult(
            level=best.level,
            expected_cost=best.expected_cost,
            protection_periods=self.protection_periods,
            safety_stock=best.level - protected.mean,
        )
