"""Row codecs of the flow entities (see :mod:`tandem.adapters.flow_tables`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from tandem.adapters import flow_tables as f
from tandem.adapters.codec import Codec, enum_codec
from tandem.domain.customers import (
    Customer,
    CustomerOrder,
    CustomerOrderLine,
    CustomerOrderStatus,
    OrderPromise,
    PromiseSource,
    ServiceClass,
)
from tandem.domain.finance import (
    Account,
    CreditNote,
    DunningNotice,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    JournalEntry,
    MatchStatus,
    Payment,
    Posting,
)
from tandem.domain.inventory import (
    Allocation,
    AllocationStatus,
    MovementKind,
    StockMovement,
    StockPosition,
)
from tandem.domain.orders import (
    Agreement,
    AgreementStatus,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    LineChange,
    OrderEvent,
    OrderEventKind,
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    TradeTerms,
)
from tandem.domain.shipments import (
    Discrepancy,
    EpcisEvent,
    Receipt,
    ReceiptLine,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
)


def _line_change_out(lines: tuple[LineChange, ...]) -> list[dict[str, Any]]:
    return [
        {
            "line_no": c.line_no,
            "quantity": None if c.quantity is None else str(c.quantity),
            "requested_date": None if c.requested_date is None else c.requested_date.isoformat(),
            "unit_price_minor": c.unit_price_minor,
            "cancel": c.cancel,
        }
        for c in lines
    ]


def _line_change_in(rows: list[dict[str, Any]]) -> tuple[LineChange, ...]:
    return tuple(
        LineChange(
            int(r["line_no"]),
            None if r["quantity"] is None else Decimal(r["quantity"]),
            None if r["requested_date"] is None else date.fromisoformat(r["requested_date"]),
            r["unit_price_minor"],
            bool(r["cancel"]),
        )
        for r in rows
    )


def _change_request_codec() -> Codec[ChangeRequest]:
    codec = enum_codec(ChangeRequest, kind=ChangeKind, status=ChangeStatus)
    codec.encode["lines"] = _line_change_out
    codec.decode["lines"] = _line_change_in
    return codec


FLOW_CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "stock_movements": (f.stock_movement, enum_codec(StockMovement, kind=MovementKind)),
    "stock_positions": (f.stock_position, Codec(StockPosition)),
    "allocations": (f.stock_allocation, enum_codec(Allocation, status=AllocationStatus)),
    "customers": (f.customer, enum_codec(Customer, service_class=ServiceClass)),
    "customer_orders": (
        f.customer_order,
        enum_codec(CustomerOrder, status=CustomerOrderStatus),
    ),
    "customer_order_lines": (f.customer_order_line, Codec(CustomerOrderLine)),
    "order_promises": (f.order_promise, enum_codec(OrderPromise, source=PromiseSource)),
    "trade_terms": (f.trade_terms, Codec(TradeTerms)),
    "agreements": (f.agreement, enum_codec(Agreement, status=AgreementStatus)),
    "purchase_orders": (f.purchase_order, enum_codec(PurchaseOrder, status=OrderStatus)),
    "purchase_order_lines": (f.purchase_order_line, Codec(PurchaseOrderLine)),
    "order_events": (f.order_event, enum_codec(OrderEvent, kind=OrderEventKind)),
    "change_requests": (f.change_request, _change_request_codec()),
    "shipments": (f.shipment, enum_codec(Shipment, status=ShipmentStatus)),
    "shipment_lines": (f.shipment_line, Codec(ShipmentLine)),
    "receipts": (f.receipt, Codec(Receipt)),
    "receipt_lines": (f.receipt_line, enum_codec(ReceiptLine, discrepancy=Discrepancy)),
    "epcis_events": (f.epcis_event, Codec(EpcisEvent)),
    "invoices": (
        f.invoice,
        enum_codec(Invoice, status=InvoiceStatus, match_status=MatchStatus),
    ),
    "invoice_lines": (f.invoice_line, Codec(InvoiceLine)),
    "payments": (f.payment, Codec(Payment)),
    "credit_notes": (f.credit_note, Codec(CreditNote)),
    "journal_entries": (f.journal_entry, Codec(JournalEntry)),
    "postings": (f.posting, enum_codec(Posting, account=Account)),
    "dunning_notices": (f.dunning_notice, Codec(DunningNotice)),
}

# Member-owned rows readable by partners only through grants: (item field, site field).
FLOW_OWNED_FIELDS = {
    "stock_movements": ("item_id", "site_id"),
    "stock_positions": ("item_id", "site_id"),
}
