"""Inputs of the MRP engine: item-sites, bills of material, transfer lanes, demands, receipts.

Every record is a frozen dataclass that checks its own numbers on construction and raises
:class:`MRPInputError` naming the offending record; cross-references (a BOM line naming an
unknown item-site, a cycle) are checked when the problem is planned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

__all__ = [
    "BOMLine",
    "ConsumptionWindow",
    "Demand",
    "DemandKind",
    "ItemSite",
    "ItemSiteKey",
    "LotSizing",
    "LotSizingRule",
    "MRPInputError",
    "ScheduledReceipt",
    "SupplyKind",
    "TransferLane",
]


class MRPInputError(ValueError):
    """An MRP input is invalid; the message names the offending record."""


class ItemSiteKey(NamedTuple):
    """One item stocked at one site; written ``item@site``."""

    item: str
    site: str

    def __str__(self) -> str:
        return f"{self.item}@{self.site}"


class LotSizingRule(StrEnum):
    """How net requirements become planned order quantities (Vollmann et al. 2005, ch. 6)."""

    LOT_FOR_LOT = "lot_for_lot"
    FIXED_ORDER_QUANTITY = "fixed_order_quantity"
    ECONOMIC_ORDER_QUANTITY = "economic_order_quantity"
    PERIODS_OF_SUPPLY = "periods_of_supply"
    MIN_MAX = "min_max"
    WAGNER_WHITIN = "wagner_whitin"


class SupplyKind(StrEnum):
    """How an item-site is replenished (and the kind of its orders)."""

    PURCHASE = "purchase"
    PRODUCTION = "production"
    TRANSFER = "transfer"


class DemandKind(StrEnum):
    """Independent demand: a forecast, or a customer order that consumes it."""

    FORECAST = "forecast"
    CUSTOMER_ORDER = "customer_order"


def _check(condition: bool, what: str, message: str) -> None:
    if not condition:
        raise MRPInputError(f"{what}: {message}")


def _non_negative(what: str, **values: float) -> None:
    for name, value in values.items():
        _check(math.isfinite(value) and value >= 0.0, what, f"{name} must be >= 0, got {value}")


@dataclass(frozen=True)
class LotSizing:
    """A lot-sizing rule with its parameters and order modifiers.

    Attributes
    ----------
    rule
        The base rule.
    quantity
        ``FIXED_ORDER_QUANTITY``: the lot (a larger net requirement is ordered as is).
    periods
        ``PERIODS_OF_SUPPLY``: buckets of net requirements covered by one order.
    ordering_cost, holding_cost, annual_demand
        ``ECONOMIC_ORDER_QUANTITY``: ``K`` per order, ``h`` per unit per year and the annual
        demand ``lam`` of ``Q* = sqrt(2 K lam / h)``. ``WAGNER_WHITIN``: ``K`` per order and ``h``
        per unit held at the end of a bucket.
    order_point, order_up_to
        ``MIN_MAX``: when projected available falls below ``order_point`` (the "min"), order up
        to ``order_up_to`` (the "max").
    minimum_order, maximum_order, multiple
        Modifiers applied after every rule: raise to the minimum order quantity, round up to a
        multiple (pack size), split anything above the maximum into several orders.
    """

    rule: LotSizingRule = LotSizingRule.LOT_FOR_LOT
    quantity: float = 0.0
    periods: int = 1
    ordering_cost: float = 0.0
    holding_cost: float = 0.0
    annual_demand: float = 0.0
    order_point: float = 0.0
    order_up_to: float = 0.0
    minimum_order: float = 0.0
    maximum_order: float | None = None
    multiple: float | None = None

    def __post_init__(self) -> None:
        what = f"lot sizing {self.rule.value}"
        _non_negative(
            what,
            quantity=self.quantity,
            ordering_cost=self.ordering_cost,
            holding_cost=self.holding_cost,
            annual_demand=self.annual_demand,
            order_point=self.order_point,
            order_up_to=self.order_up_to,
            minimum_order=self.minimum_order,
        )
        _check(self.periods >= 1, what, f"periods must be >= 1, got {self.periods}")
        for name in ("maximum_order", "multiple"):
            value = getattr(self, name)
            _check(value is None or value > 0, what, f"{name} must be positive, got {value}")
        rule = self.rule
        if rule is LotSizingRule.FIXED_ORDER_QUANTITY:
            _check(self.quantity > 0, what, "needs a positive quantity")
        if rule is LotSizingRule.ECONOMIC_ORDER_QUANTITY:
            _check(
                min(self.ordering_cost, self.holding_cost, self.annual_demand) > 0,
                what,
                "needs positive ordering_cost, holding_cost and annual_demand",
            )
        if rule is LotSizingRule.MIN_MAX:
            _check(self.order_up_to >= self.order_point, what, "order_up_to must be >= order_point")

    @property
    def has_modifiers(self) -> bool:
        """Whether a minimum, maximum or multiple applies."""
        return not (
            self.minimum_order == 0.0 and self.maximum_order is None and self.multiple is None
        )

    @property
    def is_plain_lot_for_lot(self) -> bool:
        """Lot-for-lot with no modifier: netted in one vectorised pass."""
        return self.rule is LotSizingRule.LOT_FOR_LOT and not self.has_modifiers


@dataclass(frozen=True)
class ItemSite:
    """Planning data of one item at one site.

    Attributes
    ----------
    item, site
        The key (:class:`ItemSiteKey`).
    on_hand, allocated
        Stock on hand, and the part of it already allocated to released orders.
    safety_stock
        Floor for projected available.
    base_stock_level
        The adopted base-stock level ``S`` (planning/inventory ``BaseStock``); when given it
        replaces ``safety_stock`` by the time-phased floor ``S`` minus the gross requirements of
        the lead time plus one bucket (see docs/engines/mrp.md).
    lead_time
        Working days from release to receipt (production or purchase; a transfer uses the lane's).
    lot_sizing
        The lot-sizing rule.
    yield_rate
        Good fraction of an order's output: the release is ``receipt / yield_rate``.
    """

    item: str
    site: str
    on_hand: float = 0.0
    allocated: float = 0.0
    safety_stock: float = 0.0
    base_stock_level: float | None = None
    lead_time: int = 0
    lot_sizing: LotSizing = field(default_factory=LotSizing)
    yield_rate: float = 1.0

    def __post_init__(self) -> None:
        what = f"item-site {self.key}"
        _non_negative(
            what, on_hand=self.on_hand, allocated=self.allocated, safety_stock=self.safety_stock
        )
        if self.base_stock_level is not None:
            _non_negative(what, base_stock_level=self.base_stock_level)
        _check(self.lead_time >= 0, what, f"lead_time must be >= 0, got {self.lead_time}")
        _check(
            0.0 < self.yield_rate <= 1.0,
            what,
            f"yield_rate must be in (0, 1], got {self.yield_rate}",
        )

    @property
    def key(self) -> ItemSiteKey:
        return ItemSiteKey(self.item, self.site)


@dataclass(frozen=True)
class BOMLine:
    """``quantity_per`` of ``component`` per unit of ``parent`` released, plus ``scrap_rate``
    (component scrap: the requirement is ``release * quantity_per * (1 + scrap_rate)``)."""

    parent: ItemSiteKey
    component: ItemSiteKey
    quantity_per: float
    scrap_rate: float = 0.0

    def __post_init__(self) -> None:
        what = f"BOM line {self.parent} -> {self.component}"
        _check(self.quantity_per > 0, what, f"quantity_per must be > 0, got {self.quantity_per}")
        _non_negative(what, scrap_rate=self.scrap_rate)
        _check(self.parent != self.component, what, "a component cannot be its own parent")


@dataclass(frozen=True)
class TransferLane:
    """``item`` at ``to_site`` is replenished from ``from_site`` in ``lead_time`` working days."""

    item: str
    from_site: str
    to_site: str
    lead_time: int = 0

    def __post_init__(self) -> None:
        what = f"transfer lane {self.item} {self.from_site} -> {self.to_site}"
        _check(self.lead_time >= 0, what, f"lead_time must be >= 0, got {self.lead_time}")
        _check(self.from_site != self.to_site, what, "the two sites must differ")

    @property
    def source(self) -> ItemSiteKey:
        return ItemSiteKey(self.item, self.from_site)

    @property
    def destination(self) -> ItemSiteKey:
        return ItemSiteKey(self.item, self.to_site)


@dataclass(frozen=True)
class Demand:
    """Independent demand ``quantity`` of ``item_site`` in bucket ``bucket``."""

    id: str
    kind: DemandKind
    item_site: ItemSiteKey
    bucket: int
    quantity: float

    def __post_init__(self) -> None:
        _non_negative(f"demand {self.id}", quantity=self.quantity)


@dataclass(frozen=True)
class ScheduledReceipt:
    """An open purchase, production or transfer order due in bucket ``due_bucket``."""

    id: str
    kind: SupplyKind
    item_site: ItemSiteKey
    due_bucket: int
    quantity: float

    def __post_init__(self) -> None:
        _non_negative(f"scheduled receipt {self.id}", quantity=self.quantity)


@dataclass(frozen=True)
class ConsumptionWindow:
    """Customer orders consume forecast in their own bucket, then up to ``backward`` earlier
    buckets (nearest first), then up to ``forward`` later buckets."""

    backward: int = 0
    forward: int = 0

    def __post_init__(self) -> None:
        _check(
            self.backward >= 0 and self.forward >= 0,
            "consumption window",
            f"backward and forward must be >= 0, got {self.backward}, {self.forward}",
        )
