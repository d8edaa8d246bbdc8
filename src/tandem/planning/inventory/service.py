"""Conversions between cycle service level and fill rate (Snyder & Shen 2019, section 5.3).

For an ``(r, Q)`` policy with normal lead-time demand ``N(mu, sigma^2)`` and safety factor
``z = (r - mu) / sigma``:

* cycle service level (type 1): ``alpha = Phi(z)``, the probability of no stockout in a cycle;
* fill rate (type 2): the fraction of demand met from stock. The standard formula
  counts the expected shortage per cycle as ``n(r) = sigma L(z)``:
  ``beta = 1 - sigma L(z) / Q``. The exact formula for the continuous-review ``(r, Q)`` policy
  (Hadley & Whitin 1963; S&S section 5.2) subtracts the shortage already counted in the previous
  cycle: ``beta = 1 - (n(r) - n(r + Q)) / Q``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from scipy import optimize  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.inventory.demand import NormalDemand
from tandem.planning.inventory.loss import (
    inverse_standard_normal_loss,
    normal_cdf,
    normal_ppf,
)

__all__ = [
    "FillRateFormula",
    "ServiceLevels",
    "from_cycle_service_level",
    "from_fill_rate",
]


class FillRateFormula(enum.Enum):
    """How the expected shortage per replenishment cycle is computed."""

    STANDARD = "standard"
    """``n(r)``: one loss function (ignores shortages carried over from the previous cycle)."""
    EXACT = "exact"
    """``n(r) - n(r + Q)``: exact for the continuous-review ``(r, Q)`` policy."""


@dataclass(frozen=True)
class ServiceLevels:
    """Equivalent service measures of one reorder point.

    Attributes
    ----------
    reorder_point
        ``r = mu + z sigma``.
    safety_factor
        ``z``.
    cycle_service_level
        ``Phi(z)``.
    fill_rate
        The fraction of demand met from stock for the given order quantity.
    """

    reorder_point: float
    safety_factor: float
    cycle_service_level: float
    fill_rate: float


def _fill_rate(
    reorder_point: float, order_quantity: float, ltd: NormalDemand, formula: FillRateFormula
) -> float:
    if formula is FillRateFormula.STANDARD:
        shortage = ltd.loss(reorder_point)
    else:
        shortage = ltd.loss(reorder_point) - ltd.loss(reorder_point + order_quantity)
    return 1.0 - shortage / order_quantity


def _levels(
    z: float, order_quantity: float, ltd: NormalDemand, formula: FillRateFormula
) -> ServiceLevels:
    r = ltd.mean + z * ltd.std
    return ServiceLevels(r, z, normal_cdf(z), _fill_rate(r, order_quantity, ltd, formula))


def from_cycle_service_level(
    cycle_service_level: float,
    order_quantity: float,
    lead_time_demand: NormalDemand,
    formula: FillRateFormula = FillRateFormula.STANDARD,
) -> ServiceLevels:
    """The reorder point and fill rate that give a cycle service level.

    Examples
    --------
    >>> levels = from_cycle_service_level(0.9, 100.0, NormalDemand(50.0, 10.0))
    >>> round(levels.reorder_point, 4), round(levels.fill_rate, 6)
    (62.8155, 0.995266)
    """
    if not order_quantity > 0.0:
        raise ValueError("order quantity must be positive")
    z = normal_ppf(cycle_service_level)
    return _levels(z, order_quantity, lead_time_demand, formula)


def from_fill_rate(
    fill_rate: float,
    order_quantity: float,
    lead_time_demand: NormalDemand,
    formula: FillRateFormula = FillRateFormula.STANDARD,
) -> ServiceLevels:
    """The reorder point and cycle service level that give a fill rate.

    With the standard formula ``z = L^{-1}((1 - beta) Q / sigma)``; with the exact one ``z`` is
    the root of the (decreasing in ``z``) expected shortage.

    Examples
    --------
    >>> levels = from_fill_rate(0.99, 100.0, NormalDemand(50.0, 10.0))
    >>> round(levels.safety_factor, 6), round(levels.cycle_service_level, 6)
    (0.902346, 0.816564)
    """
    if not 0.0 < fill_rate < 1.0:
        raise ValueError(f"fill rate must lie in (0, 1), got {fill_rate}")
    if not order_quantity > 0.0:
        raise ValueError("order quantity must be positive")
    ltd = lead_time_demand
    target = (1.0 - fill_rate) * order_quantity
    if formula is FillRateFormula.STANDARD:
        z = inverse_standard_normal_loss(target / ltd.std)
    else:

        def excess(zz: float) -> float:
            r = ltd.mean + zz * ltd.std
            return ltd.loss(r) - ltd.loss(r + order_quantity) - target

        lo, hi = -1.0, 1.0
        while excess(lo) < 0.0:
            lo *= 2.0
        while excess(hi) > 0.0:
            hi *= 2.0
        z = float(optimize.brentq(excess, lo, hi, xtol=1e-13))
    return _levels(z, order_quantity, ltd, formula)
