"""Sourcing: what a supplier offers a buyer for one item.

A :class:`SupplierOffer` is the buyer's record of a supplier's terms for one item: where it
ships from, its lead time, minimum order quantity (MOQ), order multiple (pack size), quantity
price breaks, a priority among competing offers and a validity period. MRP takes the lead time
and lot-size modifiers of the best valid offer for a purchased item-site; procurement prices
requisitions at the break reached (all-units quantity discounts, Silver, Pyke & Thomas,
*Inventory and Production Management in Supply Chains*, 4th ed., 2017, section 4.6).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tandem.domain.errors import Violation

__all__ = [
    "PriceBreak",
    "SupplierOffer",
    "best_offer",
    "offer_violations",
    "round_to_offer",
]

_EPSILON = 1e-9


@dataclass(frozen=True)
class PriceBreak:
    """From ``min_quantity`` units on, every unit costs ``unit_price_minor``."""

    min_quantity: float
    unit_price_minor: int


@dataclass(frozen=True)
class SupplierOffer:
    """A supplier's terms for one item to one buyer (owned by the buyer).

    ``priority`` 1 is preferred over 2; ``valid_from``/``valid_to`` (inclusive) ``None`` means
    open-ended.
    """

    id: int
    network_id: int
    buyer_member_id: int
    supplier_member_id: int
    item_id: int
    lead_time_days: float
    ship_from_site_id: int | None = None
    min_order_quantity: float = 0.0
    order_multiple: float | None = None
    price_breaks: tuple[PriceBreak, ...] = ()
    priority: int = 1
    valid_from: date | None = None
    valid_to: date | None = None

    def is_valid_on(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to

    def unit_price_minor(self, quantity: float) -> int | None:
        """The price of the highest break ``quantity`` reaches (``None``: no price given)."""
        reached = [b for b in self.price_breaks if quantity + _EPSILON >= b.min_quantity]
        if not reached:
            return None
        return max(reached, key=lambda b: b.min_quantity).unit_price_minor

    @property
    def list_price_minor(self) -> int | None:
        """The price of the smallest break, used to rank offers."""
        if not self.price_breaks:
            return None
        return min(self.price_breaks, key=lambda b: b.min_quantity).unit_price_minor


def round_to_offer(quantity: float, offer: SupplierOffer) -> float:
    """``quantity`` raised to the MOQ, then rounded up to the order multiple and to the
    thousandth every stored quantity has."""
    lot = max(quantity, offer.min_order_quantity)
    multiple = offer.order_multiple
    if multiple:
        lot = math.ceil(lot / multiple - _EPSILON) * multiple
    return math.ceil(round(lot * 1000, 6)) / 1000


def best_offer(offers: Iterable[SupplierOffer], item_id: int, day: date) -> SupplierOffer | None:
    """The offer for ``item_id`` valid on ``day`` with the best priority, then the lowest list
    price (an offer without a price ranks last), then the lowest id."""
    valid = [o for o in offers if o.item_id == item_id and o.is_valid_on(day)]
    if not valid:
        return None

    def rank(offer: SupplierOffer) -> tuple[int, float, int]:
        price = offer.list_price_minor
        return (offer.priority, math.inf if price is None else price, offer.id)

    return min(valid, key=rank)


def _finite_non_negative(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value >= 0


def offer_violations(offer: SupplierOffer, location: str = "supplier_offer") -> list[Violation]:
    """What is wrong with the offer's own numbers (references are checked by the service)."""
    found: list[Violation] = []
    if offer.supplier_member_id == offer.buyer_member_id:
        found.append(Violation(location, "the supplier must be another member", "supplier"))
    for name in ("lead_time_days", "min_order_quantity"):
        if not _finite_non_negative(getattr(offer, name)):
            found.append(Violation(location, "must be a finite number >= 0", name))
    multiple = offer.order_multiple
    if multiple is not None and not (_finite_non_negative(multiple) and multiple > 0):
        found.append(Violation(location, "must be a positive number", "order_multiple"))
    if offer.priority < 1:
        found.append(Violation(location, "must be at least 1", "priority"))
    if offer.valid_from and offer.valid_to and offer.valid_to < offer.valid_from:
        found.append(Violation(location, "must not lie before valid_from", "valid_to"))
    found += _break_violations(offer.price_breaks, location)
    return found


def _break_violations(breaks: tuple[PriceBreak, ...], location: str) -> list[Violation]:
    found: list[Violation] = []
    seen: set[float] = set()
    for index, entry in enumerate(breaks):
        at = f"{location}.price_breaks[{index}]"
        if not _finite_non_negative(entry.min_quantity):
            found.append(Violation(at, "must be a finite number >= 0", "min_quantity"))
        if entry.unit_price_minor < 0:
            found.append(Violation(at, "must not be negative", "unit_price_minor"))
        if entry.min_quantity in seen:
            found.append(Violation(at, "two breaks start at the same quantity", "min_quantity"))
        seen.add(entry.min_quantity)
    return found
