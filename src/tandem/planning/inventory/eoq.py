"""Economic order quantity models (Snyder & Shen 2019, ch. 3).

All rates are per unit time (say per year): ``K`` the fixed cost per order, ``h`` the holding
cost per unit per unit time, ``lam`` the demand rate.

* EOQ (S&S section 3.2): ``Q* = sqrt(2 K lam / h)``, ``g* = sqrt(2 K lam h)``.
* EOQ with planned backorders (section 3.5): ``Q* = sqrt(2 K lam (h + p) / (h p))``, fraction
  of demand met from stock ``x* = p / (h + p)``, ``g* = sqrt(2 K lam h p / (h + p))``.
* EPQ, finite production rate ``mu > lam`` (section 3.4): ``h`` replaced by ``h (1 - lam / mu)``.
* All-units quantity discounts (section 3.6): unit price ``c_j`` on every unit when
  ``Q >= b_j``; holding cost ``h_j = fixed + rate * c_j``; the best of the region-wise
  optima, each the EOQ clipped to its region.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "DiscountResult",
    "EOQBackorderResult",
    "EOQResult",
    "eoq",
    "eoq_all_units_discount",
    "eoq_with_backorders",
    "epq",
]


@dataclass(frozen=True)
class EOQResult:
    """An optimal order quantity.

    Attributes
    ----------
    order_quantity
        ``Q*``.
    cost
        Fixed plus holding cost per unit time at ``Q*``.
    cycle_time
        ``Q* / lam``.
    """

    order_quantity: float
    cost: float
    cycle_time: float


@dataclass(frozen=True)
class EOQBackorderResult:
    """An optimal order quantity with planned backorders.

    Attributes
    ----------
    order_quantity
        ``Q*``.
    fill_fraction
        ``x* = p / (h + p)``, the fraction of each cycle's demand met from stock.
    max_backorder
        ``(1 - x*) Q*``, the backorders accrued just before an order arrives.
    cost
        Fixed, holding and backorder cost per unit time at the optimum.
    """

    order_quantity: float
    fill_fraction: float
    max_backorder: float
    cost: float


@dataclass(frozen=True)
class DiscountResult:
    """The optimal order under an all-units quantity discount.

    Attributes
    ----------
    order_quantity
        ``Q*``.
    unit_price
        The unit price paid at ``Q*``.
    region
        Index of the price break whose region contains ``Q*``.
    cost
        Purchase, fixed and holding cost per unit time at ``Q*``.
    """

    order_quantity: float
    unit_price: float
    region: int
    cost: float


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if not value > 0.0:
            raise ValueError(f"{name} must be positive, got {value}")


def eoq(fixed_cost: float, holding_cost: float, demand_rate: float) -> EOQResult:
    """Economic order quantity (S&S section 3.2).

    Examples
    --------
    S&S Example 3.1: ``K = 8``, ``h = 0.225``, ``lam = 1300``.

    >>> result = eoq(8.0, 0.225, 1300.0)
    >>> round(result.order_quantity, 5), round(result.cost, 6)
    (304.04678, 68.410526)
    """
    _check_positive(fixed_cost=fixed_cost, holding_cost=holding_cost, demand_rate=demand_rate)
    quantity = math.sqrt(2.0 * fixed_cost * demand_rate / holding_cost)
    return EOQResult(
        order_quantity=quantity,
        cost=math.sqrt(2.0 * fixed_cost * demand_rate * holding_cost),
        cycle_time=quantity / demand_rate,
    )


def eoq_with_backorders(
    fixed_cost: float, holding_cost: float, stockout_cost: float, demand_rate: float
) -> EOQBackorderResult:
    """EOQ with planned backorders at cost ``p`` per unit per unit time (S&S section 3.5).

    Examples
    --------
    S&S Example 3.8: Example 3.1 with ``p = 5``.

    >>> result = eoq_with_backorders(8.0, 0.225, 5.0, 1300.0)
    >>> round(result.order_quantity, 6), round(result.cost, 6)
    (310.812555, 66.921364)
    """
    _check_positive(
        fixed_cost=fixed_cost,
        holding_cost=holding_cost,
        stockout_cost=stockout_cost,
        demand_rate=demand_rate,
    )
    h, p = holding_cost, stockout_cost
    quantity = math.sqrt(2.0 * fixed_cost * demand_rate * (h + p) / (h * p))
    fraction = p / (h + p)
    return EOQBackorderResult(
        order_quantity=quantity,
        fill_fraction=fraction,
        max_backorder=(1.0 - fraction) * quantity,
        cost=math.sqrt(2.0 * fixed_cost * demand_rate * h * p / (h + p)),
    )


def epq(
    fixed_cost: float, holding_cost: float, demand_rate: float, production_rate: float
) -> EOQResult:
    """Economic production quantity with finite production rate (S&S section 3.4).

    Examples
    --------
    >>> result = epq(8.0, 0.225, 1300.0, 2600.0)
    >>> round(result.order_quantity, 4)
    429.9871
    """
    _check_positive(
        fixed_cost=fixed_cost,
        holding_cost=holding_cost,
        demand_rate=demand_rate,
        production_rate=production_rate,
    )
    if production_rate <= demand_rate:
        raise ValueError("production rate must exceed the demand rate")
    effective = holding_cost * (1.0 - demand_rate / production_rate)
    return eoq(fixed_cost, effective, demand_rate)


def _discount_cost(
    quantity: float, price: float, fixed_cost: float, holding: float, demand_rate: float
) -> float:
    return price * demand_rate + fixed_cost * demand_rate / quantity + holding * quantity / 2.0


def eoq_all_units_discount(
    fixed_cost: float,
    demand_rate: float,
    breakpoints: Sequence[float],
    unit_prices: Sequence[float],
    holding_rate: float = 0.0,
    holding_cost: float = 0.0,
) -> DiscountResult:
    """EOQ under an all-units quantity discount (S&S section 3.6).

    Parameters
    ----------
    fixed_cost, demand_rate
        ``K`` and ``lam``.
    breakpoints
        Increasing quantities ``b_0 = 0 < b_1 < ...``: price ``c_j`` applies to every unit when
        ``b_j <= Q < b_{j+1}``.
    unit_prices
        The prices ``c_j``, one per breakpoint.
    holding_rate, holding_cost
        Holding cost per unit per unit time in region ``j`` is
        ``holding_cost + holding_rate * c_j``; it must be positive.

    Examples
    --------
    >>> result = eoq_all_units_discount(8.0, 1300.0, [0, 400, 800], [1.0, 0.98, 0.96], 0.225)
    >>> result.order_quantity, result.unit_price
    (400.0, 0.98)
    """
    if len(breakpoints) != len(unit_prices) or not breakpoints:
        raise ValueError("need one unit price per breakpoint")
    if breakpoints[0] != 0 or any(a >= b for a, b in itertools.pairwise(breakpoints)):
        raise ValueError("breakpoints must start at 0 and increase")
    _check_positive(fixed_cost=fixed_cost, demand_rate=demand_rate)
    best: DiscountResult | None = None
    for j, price in enumerate(unit_prices):
        holding = holding_cost + holding_rate * price
        _check_positive(holding=holding)
        unconstrained = math.sqrt(2.0 * fixed_cost * demand_rate / holding)
        quantity = max(unconstrained, float(breakpoints[j]))
        if j + 1 < len(breakpoints) and quantity >= breakpoints[j + 1]:
            continue  # the region's optimum lies above it: a cheaper region dominates
        cost = _discount_cost(quantity, price, fixed_cost, holding, demand_rate)
        if best is None or cost < best.cost:
            best = DiscountResult(
                order_quantity=quantity, unit_price=float(price), region=j, cost=cost
            )
    if best is None:  # pragma: no cover - the last region is never skipped
        raise AssertionError("no feasible region")
    return best
