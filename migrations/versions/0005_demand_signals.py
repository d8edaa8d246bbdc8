"""demand signals: devices, raw signal records, customer feedback

``device``: machines reporting consumption with an ingest-only API key (one key per device).
``signal_record``: the raw signal, one row per message of a sender (unique ``sender, message_id``
so a resent message counts once), stored before it is aggregated into ``demand_point``.
``feedback``: customers' ratings (1 to 5) and comments per site, device and item.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 01:20:22.890907
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=False),
        sa.Column(
            "registered_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("last_seen_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_key.id"], name=op.f("fk_device_api_key_id_api_key")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_device_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_device_network_id_network")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_device_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
        sa.UniqueConstraint("api_key_id", name=op.f("uq_device_api_key_id")),
        sa.UniqueConstraint("network_id", "code", name=op.f("uq_device_network_id_code")),
    )
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_device_network_id"), ["network_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_device_site_id"), ["site_id"], unique=False)

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.String(length=1000), server_default="", nullable=False),
        sa.Column(
            "submitted_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False
        ),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_feedback_rating_range")),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_feedback_device_id_device")
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_feedback_item_id_item")),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_feedback_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"], ["member.id"], name=op.f("fk_feedback_owner_member_id_member")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_feedback_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_device_id"), ["device_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_feedback_owner_member_id"), ["owner_member_id"], unique=False
        )
        batch_op.create_index("ix_feedback_site_item", ["site_id", "item_id"], unique=False)

    op.create_table(
        "signal_record",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("occurred_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("received_at", tandem.adapters.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_signal_record_non_negative")),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_signal_record_device_id_device")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_signal_record_item_id_item")
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_signal_record_network_id_network")
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"], ["member.id"], name=op.f("fk_signal_record_owner_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_signal_record_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_record")),
        sa.UniqueConstraint(
            "sender", "message_id", name=op.f("uq_signal_record_sender_message_id")
        ),
    )
    with op.batch_alter_table("signal_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signal_record_device_id"), ["device_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_signal_record_owner_member_id"), ["owner_member_id"], unique=False
        )
        batch_op.create_index(
            "ix_signal_record_site_item_occurred",
            ["site_id", "item_id", "occurred_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("signal_record", schema=None) as batch_op:
        batch_op.drop_index("ix_signal_record_site_item_occurred")
        batch_op.drop_index(batch_op.f("ix_signal_record_owner_member_id"))
        batch_op.drop_index(batch_op.f("ix_signal_record_device_id"))

    op.drop_table("signal_record")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_site_item")
        batch_op.drop_index(batch_op.f("ix_feedback_owner_member_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_device_id"))

    op.drop_table("feedback")
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_site_id"))
        batch_op.drop_index(batch_op.f("ix_device_network_id"))
        batch_op.drop_index(batch_op.f("ix_device_member_id"))

    op.drop_table("device")
