"""flows between members: inventory ledger, customers, purchase orders, shipments, money

Also adds the network currency (one per network) and whether a site allows backorders.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 00:32:02.937405
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables


revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "journal_entry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_journal_entry_network_id_network")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entry")),
    )
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_journal_entry_network_id"), ["network_id"], unique=False
        )

    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("segment", sa.String(length=64), server_default="", nullable=False),
        sa.Column("service_class", sa.String(length=16), nullable=False),
        sa.Column("street", sa.String(length=200), server_default="", nullable=False),
        sa.Column("postal_code", sa.String(length=32), server_default="", nullable=False),
        sa.Column("city", sa.String(length=120), server_default="", nullable=False),
        sa.Column("country", sa.String(length=64), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_customer_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_customer_network_id_network")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
        sa.UniqueConstraint("member_id", "code", name=op.f("uq_customer_member_id_code")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_customer_network_id"), ["network_id"], unique=False)

    op.create_table(
        "posting",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=32), nullable=False),
        sa.Column("debit_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("credit_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "debit_minor >= 0 AND credit_minor >= 0", name=op.f("ck_posting_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entry.id"], name=op.f("fk_posting_entry_id_journal_entry")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_posting_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posting")),
    )
    with op.batch_alter_table("posting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posting_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_posting_member_id"), ["member_id"], unique=False)

    op.create_table(
        "trade_terms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("buyer_member_id", sa.Integer(), nullable=False),
        sa.Column("seller_member_id", sa.Integer(), nullable=False),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("quantity_tolerance_pct", sa.Float(), nullable=False),
        sa.Column("price_tolerance_pct", sa.Float(), nullable=False),
        sa.Column("changes_need_acceptance", sa.Boolean(), nullable=False),
        sa.Column("cancellation_needs_acceptance", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["buyer_member_id"], ["member.id"], name=op.f("fk_trade_terms_buyer_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_trade_terms_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["seller_member_id"], ["member.id"], name=op.f("fk_trade_terms_seller_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_terms")),
        sa.UniqueConstraint(
            "buyer_member_id",
            "seller_member_id",
            name=op.f("uq_trade_terms_buyer_member_id_seller_member_id"),
        ),
    )
    with op.batch_alter_table("trade_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trade_terms_buyer_member_id"), ["buyer_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_trade_terms_network_id"), ["network_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_trade_terms_seller_member_id"), ["seller_member_id"], unique=False
        )

    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("buyer_member_id", sa.Integer(), nullable=False),
        sa.Column("seller_member_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_quantity", tandem.adapters.tables.Quantity(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "called_off_quantity",
            tandem.adapters.tables.Quantity(),
            server_default="0",
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["buyer_member_id"], ["member.id"], name=op.f("fk_agreement_buyer_member_id_member")
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_agreement_item_id_item")),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_agreement_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["seller_member_id"], ["member.id"], name=op.f("fk_agreement_seller_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
        sa.UniqueConstraint("network_id", "number", name=op.f("uq_agreement_network_id_number")),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_buyer_member_id"), ["buyer_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_agreement_network_id"), ["network_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_agreement_seller_member_id"), ["seller_member_id"], unique=False
        )

    op.create_table(
        "customer_order",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("ship_from_site_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("created_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("customer_reference", sa.String(length=120), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_customer_order_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_customer_order_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_customer_order_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["ship_from_site_id"],
            ["site.id"],
            name=op.f("fk_customer_order_ship_from_site_id_site"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_order")),
        sa.UniqueConstraint("member_id", "number", name=op.f("uq_customer_order_member_id_number")),
    )
    with op.batch_alter_table("customer_order", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_order_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_order_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_order_network_id"), ["network_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_order_ship_from_site_id"), ["ship_from_site_id"], unique=False
        )

    op.create_table(
        "stock_allocation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", tandem.adapters.tables.Quantity(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_stock_allocation_item_id_item")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_stock_allocation_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
            name=op.f("fk_stock_allocation_owner_member_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_stock_allocation_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_allocation")),
    )
    with op.batch_alter_table("stock_allocation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_allocation_network_id"), ["network_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stock_allocation_owner_member_id"), ["owner_member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stock_allocation_reference"), ["reference"], unique=False
        )

    op.create_table(
        "stock_movement",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("quantity", tandem.adapters.tables.Quantity(), nullable=False),
        sa.Column("occurred_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("lot", sa.String(length=64), server_default="", nullable=False),
        sa.Column("reference", sa.String(length=120), server_default="", nullable=False),
        sa.Column("note", sa.String(length=500), server_default="", nullable=False),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_stock_movement_item_id_item")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_stock_movement_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
            name=op.f("fk_stock_movement_owner_member_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_stock_movement_recorded_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_stock_movement_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movement")),
    )
    with op.batch_alter_table("stock_movement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_movement_network_id"), ["network_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stock_movement_owner_member_id"), ["owner_member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stock_movement_recorded_by_user_id"),
            ["recorded_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_stock_movement_site_item_occurred",
            ["site_id", "item_id", "occurred_at"],
            unique=False,
        )

    op.create_table(
        "stock_position",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("on_hand", tandem.adapters.tables.Quantity(), server_default="0", nullable=False),
        sa.Column(
            "allocated", tandem.adapters.tables.Quantity(), server_default="0", nullable=False
        ),
        sa.Column(
            "in_transit", tandem.adapters.tables.Quantity(), server_default="0", nullable=False
        ),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_stock_position_item_id_item")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_stock_position_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
            name=op.f("fk_stock_position_owner_member_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_stock_position_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_position")),
        sa.UniqueConstraint("site_id", "item_id", name=op.f("uq_stock_position_site_id_item_id")),
    )
    with op.batch_alter_table("stock_position", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_position_network_id"), ["network_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stock_position_owner_member_id"), ["owner_member_id"], unique=False
        )

    op.create_table(
        "customer_order_line",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", tandem.adapters.tables.Quantity(), nullable=False),
        sa.Column("requested_date", sa.Date(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column(
            "shipped_quantity",
            tandem.adapters.tables.Quantity(),
            server_default="0",
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_customer_order_line_item_id_item")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["customer_order.id"],
            name=op.f("fk_customer_order_line_order_id_customer_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_order_line")),
        sa.UniqueConstraint(
            "order_id", "line_no", name=op.f("uq_customer_order_line_order_id_line_no")
        ),
    )
    with op.batch_alter_table("customer_order_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_order_line_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "purchase_order",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("buyer_member_id", sa.Integer(), nullable=False),
        sa.Column("seller_member_id", sa.Integer(), nullable=False),
        sa.Column("ship_to_site_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("ship_from_site_id", sa.Integer(), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("buyer_reference", sa.String(length=120), server_default="", nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name=op.f("fk_purchase_order_agreement_id_agreement"),
        ),
        sa.ForeignKeyConstraint(
            ["buyer_member_id"],
            ["member.id"],
            name=op.f("fk_purchase_order_buyer_member_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_purchase_order_created_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_purchase_order_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["seller_member_id"],
            ["member.id"],
            name=op.f("fk_purchase_order_seller_member_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["ship_from_site_id"],
            ["site.id"],
            name=op.f("fk_purchase_order_ship_from_site_id_site"),
        ),
        sa.ForeignKeyConstraint(
            ["ship_to_site_id"], ["site.id"], name=op.f("fk_purchase_order_ship_to_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order")),
        sa.UniqueConstraint(
            "network_id", "number", name=op.f("uq_purchase_order_network_id_number")
        ),
    )
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchase_order_agreement_id"), ["agreement_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_order_buyer_member_id"), ["buyer_member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_order_created_by_user_id"), ["created_by_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_order_network_id"), ["network_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_order_seller_member_id"), ["seller_member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_order_ship_from_site_id"), ["ship_from_site_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_order_ship_to_site_id"), ["ship_to_site_id"], unique=False
        )

    op.create_table(
        "change_request",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by_member_id", sa.Integer(), nullable=False),
        sa.Column(
            "requested_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("decided_by_member_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_member_id"],
            ["member.id"],
            name=op.f("fk_change_request_decided_by_member_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["purchase_order.id"],
            name=op.f("fk_change_request_order_id_purchase_order"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_member_id"],
            ["member.id"],
            name=op.f("fk_change_request_requested_by_member_id_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_request")),
    )
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_request_order_id"), ["order_id"], unique=False)

    op.create_table(
        "invoice",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("seller_member_id", sa.Integer(), nullable=False),
        sa.Column("buyer_member_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("match_status", sa.String(length=16), nullable=False),
        sa.Column("match_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("paid_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("credited_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("dunning_level", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["buyer_member_id"], ["member.id"], name=op.f("fk_invoice_buyer_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_invoice_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["purchase_order.id"], name=op.f("fk_invoice_order_id_purchase_order")
        ),
        sa.ForeignKeyConstraint(
            ["seller_member_id"], ["member.id"], name=op.f("fk_invoice_seller_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice")),
        sa.UniqueConstraint("network_id", "number", name=op.f("uq_invoice_network_id_number")),
    )
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_buyer_member_id"), ["buyer_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_invoice_network_id"), ["network_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoice_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_invoice_seller_member_id"), ["seller_member_id"], unique=False
        )

    op.create_table(
        "order_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor_member_id", sa.Integer(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_member_id"], ["member.id"], name=op.f("fk_order_event_actor_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["app_user.id"], name=op.f("fk_order_event_actor_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["purchase_order.id"], name=op.f("fk_order_event_order_id_purchase_order")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_event")),
        sa.UniqueConstraint("order_id", "version", name=op.f("uq_order_event_order_id_version")),
    )
    with op.batch_alter_table("order_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_event_order_id"), ["order_id"], unique=False)

    op.create_table(
        "order_promise",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("quantity", tandem.adapters.tables.Quantity(), nullable=False),
        sa.Column("promised_date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["customer_order_line.id"],
            name=op.f("fk_order_promise_line_id_customer_order_line"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_promise")),
    )
    with op.batch_alter_table("order_promise", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_promise_line_id"), ["line_id"], unique=False)

    op.create_table(
        "purchase_order_line",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", tandem.adapters.tables.Quantity(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("requested_date", sa.Date(), nullable=False),
        sa.Column("confirmed_quantity", tandem.adapters.tables.Quantity(), nullable=True),
        sa.Column("confirmed_date", sa.Date(), nullable=True),
        sa.Column(
            "shipped_quantity",
            tandem.adapters.tables.Quantity(),
            server_default="0",
            nullable=False,
        ),
        sa.Column(
            "received_quantity",
            tandem.adapters.tables.Quantity(),
            server_default="0",
            nullable=False,
        ),
        sa.Column(
            "invoiced_quantity",
            tandem.adapters.tables.Quantity(),
            server_default="0",
            nullable=False,
        ),
        sa.Column("cancelled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_purchase_order_line_item_id_item")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["purchase_order.id"],
            name=op.f("fk_purchase_order_line_order_id_purchase_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order_line")),
        sa.UniqueConstraint(
            "order_id", "line_no", name=op.f("uq_purchase_order_line_order_id_line_no")
        ),
    )
    with op.batch_alter_table("purchase_order_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchase_order_line_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "shipment",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("shipper_member_id", sa.Integer(), nullable=False),
        sa.Column("consignee_member_id", sa.Integer(), nullable=False),
        sa.Column("from_site_id", sa.Integer(), nullable=False),
        sa.Column("to_site_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("shipped_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expected_arrival", sa.Date(), nullable=False),
        sa.Column("carrier", sa.String(length=120), server_default="", nullable=False),
        sa.Column("tracking_reference", sa.String(length=120), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["consignee_member_id"],
            ["member.id"],
            name=op.f("fk_shipment_consignee_member_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["from_site_id"], ["site.id"], name=op.f("fk_shipment_from_site_id_site")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_shipment_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["purchase_order.id"], name=op.f("fk_shipment_order_id_purchase_order")
        ),
        sa.ForeignKeyConstraint(
            ["shipper_member_id"], ["member.id"], name=op.f("fk_shipment_shipper_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["to_site_id"], ["site.id"], name=op.f("fk_shipment_to_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment")),
        sa.UniqueConstraint("network_id", "number", name=op.f("uq_shipment_network_id_number")),
    )
    with op.batch_alter_table("shipment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shipment_consignee_member_id"), ["consignee_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_shipment_network_id"), ["network_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shipment_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_shipment_shipper_member_id"), ["shipper_member_id"], unique=False
        )

    op.create_table(
        "credit_note",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("issued_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_credit_note_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_credit_note_network_id_network")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_note")),
        sa.UniqueConstraint("network_id", "number", name=op.f("uq_credit_note_network_id_number")),
    )
    with op.batch_alter_table("credit_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_note_invoice_id"), ["invoice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_credit_note_network_id"), ["network_id"], unique=False)

    op.create_table(
        "dunning_notice",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("issued_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_dunning_notice_invoice_id_invoice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dunning_notice")),
    )
    with op.batch_alter_table("dunning_notice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dunning_notice_invoice_id"), ["invoice_id"], unique=False
        )

    op.create_table(
        "epcis_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("biz_step", sa.String(length=64), nullable=False),
        sa.Column("event_time", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("shipper_member_id", sa.Integer(), nullable=False),
        sa.Column("consignee_member_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consignee_member_id"],
            ["member.id"],
            name=op.f("fk_epcis_event_consignee_member_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_epcis_event_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipment.id"], name=op.f("fk_epcis_event_shipment_id_shipment")
        ),
        sa.ForeignKeyConstraint(
            ["shipper_member_id"],
            ["member.id"],
            name=op.f("fk_epcis_event_shipper_member_id_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epcis_event")),
        sa.UniqueConstraint("event_id", name=op.f("uq_epcis_event_event_id")),
    )
    with op.batch_alter_table("epcis_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_epcis_event_consignee_member_id"), ["consignee_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_epcis_event_network_id"), ["network_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_epcis_event_shipment_id"), ["shipment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_epcis_event_shipper_member_id"), ["shipper_member_id"], unique=False
        )

    op.create_table(
        "invoice_line",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", tandem.adapters.tables.Quantity(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_invoice_line_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_invoice_line_item_id_item")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["purchase_order_line.id"],
            name=op.f("fk_invoice_line_order_line_id_purchase_order_line"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_line")),
    )
    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_line_invoice_id"), ["invoice_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_invoice_line_order_line_id"), ["order_line_id"], unique=False
        )

    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("payer_member_id", sa.Integer(), nullable=False),
        sa.Column("payee_member_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("paid_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("reference", sa.String(length=120), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_payment_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_payment_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["payee_member_id"], ["member.id"], name=op.f("fk_payment_payee_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["payer_member_id"], ["member.id"], name=op.f("fk_payment_payer_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_invoice_id"), ["invoice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_network_id"), ["network_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_payment_payee_member_id"), ["payee_member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_payment_payer_member_id"), ["payer_member_id"], unique=False
        )

    op.create_table(
        "receipt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("consignee_member_id", sa.Integer(), nullable=False),
        sa.Column("received_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("received_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consignee_member_id"],
            ["member.id"],
            name=op.f("fk_receipt_consignee_member_id_member"),
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_receipt_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["received_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_receipt_received_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipment.id"], name=op.f("fk_receipt_shipment_id_shipment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt")),
        sa.UniqueConstraint("network_id", "number", name=op.f("uq_receipt_network_id_number")),
        sa.UniqueConstraint("shipment_id", name=op.f("uq_receipt_shipment_id")),
    )
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_receipt_consignee_member_id"), ["consignee_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_receipt_network_id"), ["network_id"], unique=False)

    op.create_table(
        "shipment_line",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", tandem.adapters.tables.Quantity(), nullable=False),
        sa.Column("lot", sa.String(length=64), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_shipment_line_item_id_item")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["purchase_order_line.id"],
            name=op.f("fk_shipment_line_order_line_id_purchase_order_line"),
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipment.id"], name=op.f("fk_shipment_line_shipment_id_shipment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_line")),
    )
    with op.batch_alter_table("shipment_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shipment_line_order_line_id"), ["order_line_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_shipment_line_shipment_id"), ["shipment_id"], unique=False
        )

    op.create_table(
        "receipt_line",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("shipment_line_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("received_quantity", tandem.adapters.tables.Quantity(), nullable=False),
        sa.Column(
            "damaged_quantity",
            tandem.adapters.tables.Quantity(),
            server_default="0",
            nullable=False,
        ),
        sa.Column("discrepancy", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_receipt_line_item_id_item")
        ),
        sa.ForeignKeyConstraint(
            ["receipt_id"], ["receipt.id"], name=op.f("fk_receipt_line_receipt_id_receipt")
        ),
        sa.ForeignKeyConstraint(
            ["shipment_line_id"],
            ["shipment_line.id"],
            name=op.f("fk_receipt_line_shipment_line_id_shipment_line"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_line")),
    )
    with op.batch_alter_table("receipt_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_receipt_line_receipt_id"), ["receipt_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_receipt_line_shipment_line_id"), ["shipment_line_id"], unique=False
        )

    with op.batch_alter_table("network", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False)
        )

    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "allows_backorders", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:

    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_column("allows_backorders")

    with op.batch_alter_table("network", schema=None) as batch_op:
        batch_op.drop_column("currency")

    with op.batch_alter_table("receipt_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_line_shipment_line_id"))
        batch_op.drop_index(batch_op.f("ix_receipt_line_receipt_id"))

    op.drop_table("receipt_line")
    with op.batch_alter_table("shipment_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipment_line_shipment_id"))
        batch_op.drop_index(batch_op.f("ix_shipment_line_order_line_id"))

    op.drop_table("shipment_line")
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_network_id"))
        batch_op.drop_index(batch_op.f("ix_receipt_consignee_member_id"))

    op.drop_table("receipt")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_payer_member_id"))
        batch_op.drop_index(batch_op.f("ix_payment_payee_member_id"))
        batch_op.drop_index(batch_op.f("ix_payment_network_id"))
        batch_op.drop_index(batch_op.f("ix_payment_invoice_id"))

    op.drop_table("payment")
    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_line_order_line_id"))
        batch_op.drop_index(batch_op.f("ix_invoice_line_invoice_id"))

    op.drop_table("invoice_line")
    with op.batch_alter_table("epcis_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_epcis_event_shipper_member_id"))
        batch_op.drop_index(batch_op.f("ix_epcis_event_shipment_id"))
        batch_op.drop_index(batch_op.f("ix_epcis_event_network_id"))
        batch_op.drop_index(batch_op.f("ix_epcis_event_consignee_member_id"))

    op.drop_table("epcis_event")
    with op.batch_alter_table("dunning_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dunning_notice_invoice_id"))

    op.drop_table("dunning_notice")
    with op.batch_alter_table("credit_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_note_network_id"))
        batch_op.drop_index(batch_op.f("ix_credit_note_invoice_id"))

    op.drop_table("credit_note")
    with op.batch_alter_table("shipment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipment_shipper_member_id"))
        batch_op.drop_index(batch_op.f("ix_shipment_order_id"))
        batch_op.drop_index(batch_op.f("ix_shipment_network_id"))
        batch_op.drop_index(batch_op.f("ix_shipment_consignee_member_id"))

    op.drop_table("shipment")
    with op.batch_alter_table("purchase_order_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_order_line_order_id"))

    op.drop_table("purchase_order_line")
    with op.batch_alter_table("order_promise", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_promise_line_id"))

    op.drop_table("order_promise")
    with op.batch_alter_table("order_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_event_order_id"))

    op.drop_table("order_event")
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_seller_member_id"))
        batch_op.drop_index(batch_op.f("ix_invoice_order_id"))
        batch_op.drop_index(batch_op.f("ix_invoice_network_id"))
        batch_op.drop_index(batch_op.f("ix_invoice_buyer_member_id"))

    op.drop_table("invoice")
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_request_order_id"))

    op.drop_table("change_request")
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_order_ship_to_site_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_order_ship_from_site_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_order_seller_member_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_order_network_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_order_created_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_order_buyer_member_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_order_agreement_id"))

    op.drop_table("purchase_order")
    with op.batch_alter_table("customer_order_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_order_line_order_id"))

    op.drop_table("customer_order_line")
    with op.batch_alter_table("stock_position", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_position_owner_member_id"))
        batch_op.drop_index(batch_op.f("ix_stock_position_network_id"))

    op.drop_table("stock_position")
    with op.batch_alter_table("stock_movement", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_movement_site_item_occurred")
        batch_op.drop_index(batch_op.f("ix_stock_movement_recorded_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_stock_movement_owner_member_id"))
        batch_op.drop_index(batch_op.f("ix_stock_movement_network_id"))

    op.drop_table("stock_movement")
    with op.batch_alter_table("stock_allocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_allocation_reference"))
        batch_op.drop_index(batch_op.f("ix_stock_allocation_owner_member_id"))
        batch_op.drop_index(batch_op.f("ix_stock_allocation_network_id"))

    op.drop_table("stock_allocation")
    with op.batch_alter_table("customer_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_order_ship_from_site_id"))
        batch_op.drop_index(batch_op.f("ix_customer_order_network_id"))
        batch_op.drop_index(batch_op.f("ix_customer_order_member_id"))
        batch_op.drop_index(batch_op.f("ix_customer_order_customer_id"))

    op.drop_table("customer_order")
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_seller_member_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_network_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_buyer_member_id"))

    op.drop_table("agreement")
    with op.batch_alter_table("trade_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trade_terms_seller_member_id"))
        batch_op.drop_index(batch_op.f("ix_trade_terms_network_id"))
        batch_op.drop_index(batch_op.f("ix_trade_terms_buyer_member_id"))

    op.drop_table("trade_terms")
    with op.batch_alter_table("posting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_member_id"))
        batch_op.drop_index(batch_op.f("ix_posting_entry_id"))

    op.drop_table("posting")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_network_id"))
        batch_op.drop_index(batch_op.f("ix_customer_member_id"))

    op.drop_table("customer")
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_entry_network_id"))

    op.drop_table("journal_entry")
