"""Inter-member purchase orders: one document, two views.

The buyer drafts, edits, submits and (before acknowledgement) cancels; the seller acknowledges,
confirming per line; afterwards either party requests changes or the cancellation, which the
other accepts or rejects. Every step appends an :class:`~tandem.domain.orders.OrderEvent` and
bumps the order's version; commands may carry ``expected_version`` (``stale_version`` on a
mismatch). Only the buyer and the seller see an order; anybody else gets ``not_found``.
Shipments, receipts and invoices move it on through :func:`record_fulfilment`.
"""

from __future__ import annotations

from tandem.services.purchase_orders._records import OrderView
from tandem.services.purchase_orders.changes import (
    ChangeOutcome,
    RequestChange,
    accept_change,
    reject_change,
    request_change,
    withdraw_change,
)
from tandem.services.purchase_orders.fulfilment import close_order, record_fulfilment
from tandem.services.purchase_orders.placing import (
    AcknowledgeOrder,
    CreatePurchaseOrder,
    LineConfirmation,
    OrderLineInput,
    acknowledge_order,
    cancel_order,
    create_order,
    replace_lines,
    submit_order,
)
from tandem.services.purchase_orders.reads import (
    AwaitedAction,
    AwaitedOrder,
    awaiting_action,
    get_change_request,
    get_order,
    list_change_requests,
    list_orders,
    order_history,
)

__all__ = [
    "AcknowledgeOrder",
    "AwaitedAction",
    "AwaitedOrder",
    "ChangeOutcome",
    "CreatePurchaseOrder",
    "LineConfirmation",
    "OrderLineInput",
    "OrderView",
    "RequestChange",
    "accept_change",
    "acknowledge_order",
    "awaiting_action",
    "cancel_order",
    "close_order",
    "create_order",
    "get_change_request",
    "get_order",
    "list_change_requests",
    "list_orders",
    "order_history",
    "record_fulfilment",
    "reject_change",
    "replace_lines",
    "request_change",
    "submit_order",
    "withdraw_change",
]
