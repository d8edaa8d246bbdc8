"""End customers of a selling member and their orders, with order promising.

Customers (cafés, offices, consumers' accounts) sit outside the network; they belong to the
member that sells to them and are seen only by that member.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from tandem.domain.errors import Violation
from tandem.domain.quantities import ZERO


class ServiceClass(StrEnum):
    """Service level class of a customer: the fill rate it is promised."""

    PREMIUM = "premium"
    STANDARD = "standard"
    ECONOMY = "economy"


@dataclass(frozen=True)
class Customer:
    id: int
    network_id: int
    member_id: int
    code: str
    name: str
    segment: str = ""
    service_class: ServiceClass = ServiceClass.STANDARD
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""


class CustomerOrderStatus(StrEnum):
    OPEN = "open"
    PROMISED = "promised"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class CustomerOrder:
    id: int
    network_id: int
    member_id: int
    customer_id: int
    number: str
    ship_from_site_id: int
    status: CustomerOrderStatus
    created_at: datetime
    customer_reference: str = ""


@dataclass(frozen=True)
class CustomerOrderLine:
    id: int
    order_id: int
    line_no: int
    item_id: int
    quantity: Decimal
    requested_date: date
    unit_price_minor: int
    shipped_quantity: Decimal = ZERO


class PromiseSource(StrEnum):
    ON_HAND = "on_hand"
    SCHEDULED_RECEIPT = "scheduled_receipt"


@dataclass(frozen=True)
class OrderPromise:
    """Part of a customer order line promised for one date; a line may have several."""

    id: int
    line_id: int
    quantity: Decimal
    promised_date: date
    source: PromiseSource


def customer_violations(code: str, name: str) -> list[Violation]:
    """What is wrong with a customer's code and name (empty: nothing)."""
    found = []
    if not code.strip() or len(code) > 64:
        found.append(Violation("customer", "must have 1 to 64 characters", "code"))
    if not name.strip() or len(name) > 200:
        found.append(Violation("customer", "must have 1 to 200 characters", "name"))
    return found


def status_after_shipping(lines: Sequence[CustomerOrderLine]) -> CustomerOrderStatus:
    """``shipped`` once every line is shipped in full, ``partially_shipped`` before."""
    if all(line.shipped_quantity >= line.quantity for line in lines):
        return CustomerOrderStatus.SHIPPED
    return CustomerOrderStatus.PARTIALLY_SHIPPED
