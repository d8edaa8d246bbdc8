"""Tables of the flows between members: inventory ledger, customers and their orders, purchase
orders, shipments and receipts with their EPCIS events, invoices, payments and the money ledger.

They share :data:`tandem.adapters.tables.metadata`; ``tandem.adapters`` imports this module so the
metadata is always complete.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from tandem.adapters.tables import Quantity, UtcDateTime, metadata


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target), nullable=nullable, index=True)


def _quantity(name: str, nullable: bool = False) -> sa.Column[Decimal]:
    default = None if nullable else "0"
    return sa.Column(name, Quantity, nullable=nullable, server_default=default)


def _text(name: str, length: int = 200) -> sa.Column[str]:
    return sa.Column(name, sa.String(length), nullable=False, server_default="")


# ---------------------------------------------------------------- inventory ledger

stock_movement = sa.Table(
    "stock_movement",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("owner_member_id", "member.id"),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id"), nullable=False),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("quantity", Quantity, nullable=False),
    sa.Column("occurred_at", UtcDateTime, nullable=False),
    _text("lot", 64),
    _text("reference", 120),
    _text("note", 500),
    _fk("recorded_by_user_id", "app_user.id", nullable=True),
    sa.Index("ix_stock_movement_site_item_occurred", "site_id", "item_id", "occurred_at"),
)

stock_position = sa.Table(
    "stock_position",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("owner_member_id", "member.id"),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id"), nullable=False),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    _quantity("on_hand"),
    _quantity("allocated"),
    _quantity("in_transit"),
    sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("site_id", "item_id"),
)

stock_allocation = sa.Table(
    "stock_allocation",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("owner_member_id", "member.id"),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id"), nullable=False),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    sa.Column("quantity", Quantity, nullable=False),
    sa.Column("reference", sa.String(120), nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

# ---------------------------------------------------------------- customers

customer = sa.Table(
    "customer",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("member_id", "member.id"),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    _text("segment", 64),
    sa.Column("service_class", sa.String(16), nullable=False),
    _text("street"),
    _text("postal_code", 32),
    _text("city", 120),
    _text("country", 64),
    sa.UniqueConstraint("member_id", "code"),
)

customer_order = sa.Table(
    "customer_order",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("member_id", "member.id"),
    _fk("customer_id", "customer.id"),
    sa.Column("number", sa.String(64), nullable=False),
    _fk("ship_from_site_id", "site.id"),
    sa.Column("status", sa.String(24), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    _text("customer_reference", 120),
    sa.UniqueConstraint("member_id", "number"),
)

customer_order_line = sa.Table(
    "customer_order_line",
    metadata,
    _id(),
    _fk("order_id", "customer_order.id"),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    sa.Column("quantity", Quantity, nullable=False),
    sa.Column("requested_date", sa.Date, nullable=False),
    sa.Column("unit_price_minor", sa.BigInteger, nullable=False),
    _quantity("shipped_quantity"),
    sa.UniqueConstraint("order_id", "line_no"),
)

order_promise = sa.Table(
    "order_promise",
    metadata,
    _id(),
    _fk("line_id", "customer_order_line.id"),
    sa.Column("quantity", Quantity, nullable=False),
    sa.Column("promised_date", sa.Date, nullable=False),
    sa.Column("source", sa.String(24), nullable=False),
)

# ---------------------------------------------------------------- purchase orders

trade_terms = sa.Table(
    "trade_terms",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("buyer_member_id", "member.id"),
    _fk("seller_member_id", "member.id"),
    sa.Column("payment_terms_days", sa.Integer, nullable=False),
    sa.Column("quantity_tolerance_pct", sa.Float, nullable=False),
    sa.Column("price_tolerance_pct", sa.Float, nullable=False),
    sa.Column("changes_need_acceptance", sa.Boolean, nullable=False),
    sa.Column("cancellation_needs_acceptance", sa.Boolean, nullable=False),
    sa.UniqueConstraint("buyer_member_id", "seller_member_id"),
)

agreement = sa.Table(
    "agreement",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("number", sa.String(64), nullable=False),
    _fk("buyer_member_id", "member.id"),
    _fk("seller_member_id", "member.id"),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    sa.Column("unit_price_minor", sa.BigInteger, nullable=False),
    sa.Column("total_quantity", Quantity, nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    _quantity("called_off_quantity"),
    sa.UniqueConstraint("network_id", "number"),
)

purchase_order = sa.Table(
    "purchase_order",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("number", sa.String(64), nullable=False),
    _fk("buyer_member_id", "member.id"),
    _fk("seller_member_id", "member.id"),
    _fk("ship_to_site_id", "site.id"),
    sa.Column("status", sa.String(24), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("payment_terms_days", sa.Integer, nullable=False),
    _fk("ship_from_site_id", "site.id", nullable=True),
    _fk("agreement_id", "agreement.id", nullable=True),
    _text("buyer_reference", 120),
    _fk("created_by_user_id", "app_user.id", nullable=True),
    sa.UniqueConstraint("network_id", "number"),
)

purchase_order_line = sa.Table(
    "purchase_order_line",
    metadata,
    _id(),
    _fk("order_id", "purchase_order.id"),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    sa.Column("quantity", Quantity, nullable=False),
    sa.Column("unit_price_minor", sa.BigInteger, nullable=False),
    sa.Column("requested_date", sa.Date, nullable=False),
    _quantity("confirmed_quantity", nullable=True),
    sa.Column("confirmed_date", sa.Date, nullable=True),
    _quantity("shipped_quantity"),
    _quantity("received_quantity"),
    _quantity("invoiced_quantity"),
    sa.Column("cancelled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("order_id", "line_no"),
)

order_event = sa.Table(
    "order_event",
    metadata,
    _id(),
    _fk("order_id", "purchase_order.id"),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("actor_member_id", sa.Integer, sa.ForeignKey("member.id"), nullable=False),
    sa.Column("detail", sa.JSON, nullable=False),
    sa.Column("actor_user_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=True),
    # One event per version: a lost update of the order would write a duplicate and fail here.
    sa.UniqueConstraint("order_id", "version"),
)

change_request = sa.Table(
    "change_request",
    metadata,
    _id(),
    _fk("order_id", "purchase_order.id"),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("requested_by_member_id", sa.Integer, sa.ForeignKey("member.id"), nullable=False),
    sa.Column("requested_at", UtcDateTime, nullable=False),
    sa.Column("lines", sa.JSON, nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("decided_by_member_id", sa.Integer, sa.ForeignKey("member.id"), nullable=True),
    sa.Column("decided_at", UtcDateTime, nullable=True),
    sa.Column("decision_note", sa.Text, nullable=False, server_default=""),
)

# ---------------------------------------------------------------- shipments and receipts

shipment = sa.Table(
    "shipment",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("number", sa.String(64), nullable=False),
    _fk("order_id", "purchase_order.id"),
    _fk("shipper_member_id", "member.id"),
    _fk("consignee_member_id", "member.id"),
    sa.Column("from_site_id", sa.Integer, sa.ForeignKey("site.id"), nullable=False),
    sa.Column("to_site_id", sa.Integer, sa.ForeignKey("site.id"), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("shipped_at", UtcDateTime, nullable=False),
    sa.Column("expected_arrival", sa.Date, nullable=False),
    _text("carrier", 120),
    _text("tracking_reference", 120),
    sa.UniqueConstraint("network_id", "number"),
)

shipment_line = sa.Table(
    "shipment_line",
    metadata,
    _id(),
    _fk("shipment_id", "shipment.id"),
    _fk("order_line_id", "purchase_order_line.id"),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    sa.Column("quantity", Quantity, nullable=False),
    _text("lot", 64),
)

receipt = sa.Table(
    "receipt",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("number", sa.String(64), nullable=False),
    sa.Column("shipment_id", sa.Integer, sa.ForeignKey("shipment.id"), nullable=False),
    _fk("consignee_member_id", "member.id"),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("received_by_user_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=True),
    sa.UniqueConstraint("network_id", "number"),
    # One receipt per shipment: a second one is a conflict, not a second goods entry.
    sa.UniqueConstraint("shipment_id"),
)

receipt_line = sa.Table(
    "receipt_line",
    metadata,
    _id(),
    _fk("receipt_id", "receipt.id"),
    _fk("shipment_line_id", "shipment_line.id"),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    sa.Column("received_quantity", Quantity, nullable=False),
    _quantity("damaged_quantity"),
    sa.Column("discrepancy", sa.String(16), nullable=False),
)

epcis_event = sa.Table(
    "epcis_event",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("event_id", sa.String(200), nullable=False, unique=True),
    sa.Column("event_type", sa.String(32), nullable=False),
    sa.Column("biz_step", sa.String(64), nullable=False),
    sa.Column("event_time", UtcDateTime, nullable=False),
    _fk("shipment_id", "shipment.id"),
    _fk("shipper_member_id", "member.id"),
    _fk("consignee_member_id", "member.id"),
    sa.Column("document", sa.JSON, nullable=False),
)

# ---------------------------------------------------------------- money

invoice = sa.Table(
    "invoice",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("number", sa.String(64), nullable=False),
    _fk("order_id", "purchase_order.id"),
    _fk("seller_member_id", "member.id"),
    _fk("buyer_member_id", "member.id"),
    sa.Column("issued_at", UtcDateTime, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("total_minor", sa.BigInteger, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("match_status", sa.String(16), nullable=False),
    sa.Column("match_reason", sa.Text, nullable=False, server_default=""),
    sa.Column("paid_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("credited_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("dunning_level", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("network_id", "number"),
)

invoice_line = sa.Table(
    "invoice_line",
    metadata,
    _id(),
    _fk("invoice_id", "invoice.id"),
    _fk("order_line_id", "purchase_order_line.id"),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    sa.Column("quantity", Quantity, nullable=False),
    sa.Column("unit_price_minor", sa.BigInteger, nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
)

payment = sa.Table(
    "payment",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("invoice_id", "invoice.id"),
    _fk("payer_member_id", "member.id"),
    _fk("payee_member_id", "member.id"),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("paid_at", UtcDateTime, nullable=False),
    _text("reference", 120),
)

credit_note = sa.Table(
    "credit_note",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("number", sa.String(64), nullable=False),
    _fk("invoice_id", "invoice.id"),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("issued_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("network_id", "number"),
)

journal_entry = sa.Table(
    "journal_entry",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("reference", sa.String(120), nullable=False),
)

posting = sa.Table(
    "posting",
    metadata,
    _id(),
    _fk("entry_id", "journal_entry.id"),
    _fk("member_id", "member.id"),
    sa.Column("account", sa.String(32), nullable=False),
    sa.Column("debit_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("credit_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.CheckConstraint("debit_minor >= 0 AND credit_minor >= 0", name="non_negative"),
)

dunning_notice = sa.Table(
    "dunning_notice",
    metadata,
    _id(),
    _fk("invoice_id", "invoice.id"),
    sa.Column("level", sa.Integer, nullable=False),
    sa.Column("issued_at", UtcDateTime, nullable=False),
    sa.Column("days_overdue", sa.Integer, nullable=False),
)
