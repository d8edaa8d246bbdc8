"""Use cases of customer orders: entry, promising by available-to-promise, shipping, cancelling.

Lifecycle: ``open → promised → partially_shipped → shipped``, and ``open``/``promised →
cancelled``. The part of a line promised from on-hand is allocated with reference
``customer-order-line:<id>``; promises always cover the open (not yet shipped) quantity, and
shipping consumes them. Only the selling member sees its orders (others: ``not_found``).
"""

from tandem.services.customer_orders.entry import (
    CreateCustomerOrder,
    CustomerOrderView,
    LineView,
    OrderLineInput,
    create_order,
    get_order,
    line_reference,
    list_orders,
)
from tandem.services.customer_orders.promises import (
    AtpView,
    available_to_promise,
    promise_order,
    supply_plan,
)
from tandem.services.customer_orders.shipping import ShipLine, cancel_order, ship_order

__all__ = [
    "AtpView",
    "CreateCustomerOrder",
    "CustomerOrderView",
    "LineView",
    "OrderLineInput",
    "ShipLine",
    "available_to_promise",
    "cancel_order",
    "create_order",
    "get_order",
    "line_reference",
    "list_orders",
    "promise_order",
    "ship_order",
    "supply_plan",
]
