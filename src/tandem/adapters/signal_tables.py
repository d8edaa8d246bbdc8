"""Tables of demand sensing: the devices that report, the raw signal records they and the tills
send, and customer feedback.

They share :data:`tandem.adapters.tables.metadata`; ``tandem.adapters`` imports this module so the
metadata is always complete.
"""

from __future__ import annotations

import sqlalchemy as sa

from tandem.adapters.tables import UtcDateTime, metadata


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, nullable: bool = False, index: bool = True) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target), nullable=nullable, index=index)


device = sa.Table(
    "device",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("member_id", "member.id"),
    _fk("site_id", "site.id"),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("api_key_id", sa.Integer, sa.ForeignKey("api_key.id"), nullable=False, unique=True),
    sa.Column("registered_at", UtcDateTime, nullable=False),
    sa.Column("last_seen_at", UtcDateTime, nullable=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.UniqueConstraint("network_id", "code"),
)

# The raw signal: append-only, one row per message of a sender (resent messages are refused by
# the unique key). Indexed for the reads that happen: by owner (scoped lists), by item-site and
# time (history), by device (its latest telemetry).
signal_record = sa.Table(
    "signal_record",
    metadata,
    _id(),
    _fk("network_id", "network.id", index=False),
    _fk("owner_member_id", "member.id"),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("sender", sa.String(64), nullable=False),
    sa.Column("message_id", sa.String(128), nullable=False),
    _fk("site_id", "site.id", index=False),
    _fk("item_id", "item.id", index=False),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("occurred_at", UtcDateTime, nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    _fk("device_id", "device.id", nullable=True),
    sa.UniqueConstraint("sender", "message_id"),
    sa.CheckConstraint("quantity >= 0", name="non_negative"),
    sa.Index("ix_signal_record_site_item_occurred", "site_id", "item_id", "occurred_at"),
)

feedback = sa.Table(
    "feedback",
    metadata,
    _id(),
    _fk("network_id", "network.id", index=False),
    _fk("owner_member_id", "member.id"),
    _fk("site_id", "site.id", index=False),
    _fk("device_id", "device.id", nullable=True),
    _fk("item_id", "item.id", nullable=True, index=False),
    sa.Column("rating", sa.SmallInteger, nullable=False),
    sa.Column("comment", sa.String(1000), nullable=False, server_default=""),
    sa.Column("submitted_at", UtcDateTime, nullable=False),
    sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    sa.Index("ix_feedback_site_item", "site_id", "item_id"),
)
