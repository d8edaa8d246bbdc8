"""Netting and lot sizing of one item-site (Vollmann et al. 2005, ch. 6; Orlicky 1975).

``position[t]`` is the projected available at the end of bucket ``t`` from stock and scheduled
receipts alone; ``floor[t]`` the level it must not fall below (safety stock from the lead-time
fence on, zero before). Lot-for-lot without modifiers is one vectorised pass: the cumulative
planned receipts needed by ``t`` are ``R(t) = max(0, max_{u <= t} floor[u] - position[u])`` and
the planned receipts are its increments. Every other rule walks the shortfalls: at the first
bucket ``t0`` still short it sizes one lot, receives it in the working bucket at or before
``t0`` and moves on.

* Lot-for-lot: the shortfall at ``t0``.
* Fixed order quantity ``Q``: ``max(Q, shortfall)``; EOQ: the same with ``Q = sqrt(2 K lam / h)``
  (Harris 1913; ``planning.inventory.eoq``).
* Periods of supply ``P``: the net requirements of ``t0 .. t0 + P - 1``.
* Min/max: order up to the max when projected available falls below the min.
* Wagner–Whitin: the optimal plan of the horizon's net requirements
  (``planning.inventory.wagner_whitin``, Wagner & Whitin 1958), solved once; with modifiers,
  the first lot of the optimal plan for the net requirements from ``t0`` on.

Then the modifiers: minimum order, round up to the multiple, split above the maximum.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from tandem.planning.inventory.eoq import eoq
from tandem.planning.inventory.wagner_whitin import wagner_whitin
from tandem.planning.mrp.inputs import LotSizing, LotSizingRule

__all__ = ["TOLERANCE", "plan_lots"]

TOLERANCE = 1e-9
"""Shortfalls at or below this are treated as met (floating-point noise)."""

FloatArray = NDArray[np.float64]


def _lot_for_lot(
    position: FloatArray, floor: FloatArray, receive: NDArray[np.int64]
) -> list[tuple[int, float]]:
    needed = np.maximum.accumulate(np.maximum(floor - position, 0.0))
    increments = np.diff(needed, prepend=0.0)
    return [(int(receive[t]), float(increments[t])) for t in np.flatnonzero(increments > TOLERANCE)]


def _net_requirements(shortfall: FloatArray) -> FloatArray:
    """Lot-for-lot net requirements of a shortfall profile (increments of its running max)."""
    return np.diff(np.maximum.accumulate(np.maximum(shortfall, 0.0)), prepend=0.0)


def _wagner_whitin(
    position: FloatArray, floor: FloatArray, receive: NDArray[np.int64], sizing: LotSizing
) -> list[tuple[int, float]]:
    """The optimal plan for the whole horizon's net requirements in one call."""
    nets = _net_requirements(floor - position)
    nets[nets <= TOLERANCE] = 0.0
    plan = wagner_whitin(nets, sizing.ordering_cost, sizing.holding_cost)
    return [(int(receive[t]), q) for t, q in enumerate(plan.order_quantities) if q > 0.0]


def _base_lot(sizing: LotSizing, shortfall: FloatArray, position_t0: float) -> float:
    """The rule's lot at the first short bucket; ``shortfall`` starts at that bucket."""
    need = float(shortfall[0])
    match sizing.rule:
        case LotSizingRule.LOT_FOR_LOT:
            return need
        case LotSizingRule.FIXED_ORDER_QUANTITY:
            return max(sizing.quantity, need)
        case LotSizingRule.ECONOMIC_ORDER_QUANTITY:
            quantity = eoq(sizing.ordering_cost, sizing.holding_cost, sizing.annual_demand)
            return max(quantity.order_quantity, need)
        case LotSizingRule.PERIODS_OF_SUPPLY:
            return float(np.max(shortfall[: sizing.periods]))
        case LotSizingRule.MIN_MAX:
            return max(sizing.order_up_to - position_t0, need)
        case LotSizingRule.WAGNER_WHITIN:
            nets = _net_requirements(shortfall)
            plan = wagner_whitin(nets, sizing.ordering_cost, sizing.holding_cost)
            return plan.order_quantities[0]
    raise AssertionError(sizing.rule)  # pragma: no cover


def _modified(sizing: LotSizing, quantity: float) -> list[float]:
    """Minimum, multiple and maximum applied to one lot: the order quantities."""
    quantity = max(quantity, sizing.minimum_order)
    if sizing.multiple is not None:
        quantity = math.ceil(quantity / sizing.multiple - TOLERANCE) * sizing.multiple
    cap = sizing.maximum_order
    if cap is None or quantity <= cap:
        return [quantity]
    full = math.ceil(quantity / cap - TOLERANCE) - 1
    rest = quantity - full * cap
    return [cap] * full + [rest]


def plan_lots(
    position: FloatArray,
    floor: FloatArray,
    receive: NDArray[np.int64],
    sizing: LotSizing,
    fence: int,
) -> list[tuple[int, float]]:
    """Planned receipts ``(bucket, quantity)`` that keep ``position`` at or above ``floor``.

    ``receive[t]`` is the bucket where a receipt for bucket ``t`` lands (at or before ``t``);
    the min/max order point applies from ``fence`` on, like the safety stock.
    """
    if sizing.is_plain_lot_for_lot:
        return _lot_for_lot(position, floor, receive)
    if sizing.rule is LotSizingRule.WAGNER_WHITIN and not sizing.has_modifiers:
        return _wagner_whitin(position, floor, receive, sizing)
    trigger = floor.copy()
    if sizing.rule is LotSizingRule.MIN_MAX:
        trigger[fence:] = np.maximum(trigger[fence:], sizing.order_point)
    lots: list[tuple[int, float]] = []
    current = position.copy()
    start = 0
    while True:
        short = np.flatnonzero(trigger[start:] - current[start:] > TOLERANCE)
        if short.size == 0:
            return lots
        t0 = start + int(short[0])
        quantity = _base_lot(sizing, trigger[t0:] - current[t0:], float(current[t0]))
        for piece in _modified(sizing, quantity):
            lots.append((int(receive[t0]), piece))
            current[receive[t0] :] += piece
        start = t0 + 1
