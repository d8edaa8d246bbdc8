"""logistics: vehicle types, loads with stops and lines, tenders, tracking events, ETAs

``item`` gains ``weight_kg`` and ``volume_m3`` (shipping attributes per unit, nullable).
``vehicle_type``: a network-wide or member-owned kind of vehicle (capacity and tariff).
``load``: one vehicle's consignment for one shipper (windows, weight, volume, planned cost,
status, version, carrier once tendered); ``load_stop``: its drops in order; ``load_line``: what it
carries (a purchase order line or a transfer reference; the shipment made at pick-up).
``tender``: an offer of a load to a carrier. ``tracking_event``: a carrier's status report,
unique by ``(load_id, message_id)``. ``load_eta``: each re-estimated arrival and its late risk.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tandem.adapters.tables

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("load", "carrier_member_id"),
    ("load", "shipper_member_id"),
    ("load_stop", "consignee_member_id"),
    ("tender", "carrier_member_id"),
    ("tender", "load_id"),
    ("load_eta", "load_id"),
    ("load_line", "load_id"),
)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _int(name: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _at(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, tandem.adapters.tables.UtcDateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=length), server_default="", nullable=False)


def _float(name: str, nullable: bool = False) -> sa.Column[float]:
    return sa.Column(name, sa.Float(), nullable=nullable)


def _windows() -> list[sa.Column[object]]:
    return [_at(n) for n in ("pickup_from", "pickup_to", "delivery_from", "delivery_to")]


def _vehicles_and_loads() -> None:
    op.create_table(
        "vehicle_type",
        _id(), _int("network_id"),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=32), nullable=False),
        _float("max_weight_kg"), _float("max_volume_m3"), _float("cost_per_km"),
        _float("fixed_cost"), _int("member_id", nullable=True),
        _fk("vehicle_type", "member_id", "member"),
        _fk("vehicle_type", "network_id", "network"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_type")),
        sa.UniqueConstraint("network_id", "code", name=op.f("uq_vehicle_type_network_id_code")),
    )  # fmt: skip
    op.create_table(
        "load",
        _id(), _int("network_id"),
        sa.Column("number", sa.String(length=64), nullable=False),
        _int("shipper_member_id"), _int("origin_site_id"),
        sa.Column("mode", sa.String(length=32), nullable=False),
        *_windows(), _float("weight_kg"), _float("volume_m3"),
        sa.Column("planned_cost_minor", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _int("version"), _at("created_at"), _int("vehicle_type_id", nullable=True),
        _int("carrier_member_id", nullable=True), _float("distance_km", nullable=True),
        _text("reference", 200),
        _fk("load", "carrier_member_id", "member"),
        _fk("load", "network_id", "network"),
        _fk("load", "origin_site_id", "site"),
        _fk("load", "shipper_member_id", "member"),
        _fk("load", "vehicle_type_id", "vehicle_type"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_load")),
        sa.UniqueConstraint("network_id", "number", name=op.f("uq_load_network_id_number")),
    )  # fmt: skip
    op.create_table(
        "load_stop",
        _id(), _int("network_id"), _int("load_id"), _int("sequence"), _int("site_id"),
        _int("consignee_member_id"), _at("planned_arrival", nullable=True),
        _fk("load_stop", "consignee_member_id", "member"),
        _fk("load_stop", "load_id", "load"),
        _fk("load_stop", "network_id", "network"),
        _fk("load_stop", "site_id", "site"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_load_stop")),
        sa.UniqueConstraint("load_id", "sequence", name=op.f("uq_load_stop_load_id_sequence")),
    )  # fmt: skip
    op.create_table(
        "load_line",
        _id(), _int("load_id"), _int("item_id"),
        sa.Column("quantity", tandem.adapters.tables.Quantity(), nullable=False),
        _float("weight_kg"), _float("volume_m3"), _int("to_site_id"),
        _int("order_line_id", nullable=True), _text("transfer_reference", 200),
        _int("shipment_id", nullable=True),
        _fk("load_line", "item_id", "item"),
        _fk("load_line", "load_id", "load"),
        _fk("load_line", "order_line_id", "purchase_order_line"),
        _fk("load_line", "shipment_id", "shipment"),
        _fk("load_line", "to_site_id", "site"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_load_line")),
    )  # fmt: skip


def _tenders_and_tracking() -> None:
    op.create_table(
        "tender",
        _id(), _int("network_id"), _int("load_id"), _int("shipper_member_id"),
        _int("carrier_member_id"),
        sa.Column("rate_minor", sa.BigInteger(), nullable=False),
        *_windows(), _at("respond_by"), _at("offered_at"),
        sa.Column("status", sa.String(length=16), nullable=False),
        _text("reason", 500), _at("responded_at", nullable=True),
        _fk("tender", "carrier_member_id", "member"),
        _fk("tender", "load_id", "load"),
        _fk("tender", "network_id", "network"),
        _fk("tender", "shipper_member_id", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender")),
    )  # fmt: skip
    op.create_table(
        "tracking_event",
        _id(), _int("network_id"), _int("load_id"),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _at("at"), _at("recorded_at"),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        _int("site_id", nullable=True), _float("latitude", nullable=True),
        _float("longitude", nullable=True), _float("delay_hours", nullable=True),
        _text("note", 500),
        _fk("tracking_event", "load_id", "load"),
        _fk("tracking_event", "network_id", "network"),
        _fk("tracking_event", "site_id", "site"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_event")),
        sa.UniqueConstraint(
            "load_id", "message_id", name=op.f("uq_tracking_event_load_id_message_id")
        ),
    )  # fmt: skip
    op.create_table(
        "load_eta",
        _id(), _int("network_id"), _int("load_id"), _at("estimated_arrival"),
        sa.Column("basis", sa.String(length=16), nullable=False),
        _at("computed_at"),
        sa.Column("late_risk", sa.Boolean(), nullable=False),
        _float("late_probability"), _int("tracking_event_id", nullable=True),
        _fk("load_eta", "load_id", "load"),
        _fk("load_eta", "network_id", "network"),
        _fk("load_eta", "tracking_event_id", "tracking_event"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_load_eta")),
    )  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weight_kg", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("volume_m3", sa.Float(), nullable=True))
    _vehicles_and_loads()
    _tenders_and_tracking()
    for table, column in INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def downgrade() -> None:
    for table, column in INDEXES:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    for table in ("load_eta", "tracking_event", "tender", "load_line", "load_stop", "load"):
        op.drop_table(table)
    op.drop_table("vehicle_type")
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_column("volume_m3")
        batch_op.drop_column("weight_kg")
