"""The inventory ledger: append-only stock movements per site and item, and the positions
derived from them.

A :class:`StockPosition` is the running total of the ledger kept in the same transaction as each
movement: ``on_hand`` always equals the sum of the movements' quantities (conservation), and
``available = on_hand - allocated`` never drops below zero unless the site allows backorders.
Positions are data category ``inventory_positions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from tandem.domain.quantities import ZERO


class MovementKind(StrEnum):
    RECEIPT = "receipt"
    ISSUE = "issue"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    ADJUSTMENT = "adjustment"
    CONSUMPTION = "consumption"

    @property
    def direction(self) -> int:
        """+1 if it adds stock, -1 if it removes stock, 0 if either (adjustments)."""
        if self in (MovementKind.RECEIPT, MovementKind.TRANSFER_IN):
            return 1
        if self is MovementKind.ADJUSTMENT:
            return 0
        return -1


@dataclass(frozen=True)
class StockMovement:
    """One line of the ledger. ``quantity`` is the signed change of on-hand."""

    id: int
    network_id: int
    owner_member_id: int
    site_id: int
    item_id: int
    kind: MovementKind
    quantity: Decimal
    occurred_at: datetime
    lot: str = ""
    reference: str = ""
    note: str = ""
    recorded_by_user_id: int | None = None


@dataclass(frozen=True)
class StockPosition:
    """On hand, allocated and in transit (inbound, shipped but not yet received) of one item at
    one site; ``version`` counts the changes."""

    id: int
    network_id: int
    owner_member_id: int
    site_id: int
    item_id: int
    on_hand: Decimal = ZERO
    allocated: Decimal = ZERO
    in_transit: Decimal = ZERO
    version: int = 0

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.allocated


class AllocationStatus(StrEnum):
    OPEN = "open"
    CONSUMED = "consumed"
    RELEASED = "released"


@dataclass(frozen=True)
class Allocation:
    """Stock at a site reserved for one order line (``reference``, e.g.
    ``customer-order-line:7``)."""

    id: int
    network_id: int
    owner_member_id: int
    site_id: int
    item_id: int
    quantity: Decimal
    reference: str
    status: AllocationStatus
    created_at: datetime
