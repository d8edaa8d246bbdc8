"""Tables and row codecs of transport: ``vehicle_type``, ``load`` with its ``load_stop`` and
``load_line``, ``tender``, ``tracking_event`` and ``load_eta``.

They share :data:`tandem.adapters.tables.metadata`; ``tandem.adapters`` imports this module so
the metadata is always complete. The ``load`` row is the lock of every step of a load (tender,
answer, tracking); ``(load_id, message_id)`` of a tracking event is unique, so a report sent
twice is stored once even by two concurrent writers.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tandem.adapters.codec import Codec, enum_codec
from tandem.adapters.tables import Quantity, UtcDateTime, metadata
from tandem.domain.logistics import (
    EtaBasis,
    Load,
    LoadEta,
    LoadLine,
    LoadStatus,
    LoadStop,
    Tender,
    TenderStatus,
    TrackingEvent,
    TrackingSource,
    TrackingStatus,
    VehicleType,
)
from tandem.domain.network import TransportMode


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, nullable: bool = False, index: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target), nullable=nullable, index=index)


def _at(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, UtcDateTime, nullable=nullable)


def _windows() -> list[sa.Column[Any]]:
    return [_at(n) for n in ("pickup_from", "pickup_to", "delivery_from", "delivery_to")]


vehicle_type = sa.Table(
    "vehicle_type",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("mode", sa.String(32), nullable=False),
    sa.Column("max_weight_kg", sa.Float, nullable=False),
    sa.Column("max_volume_m3", sa.Float, nullable=False),
    sa.Column("cost_per_km", sa.Float, nullable=False),
    sa.Column("fixed_cost", sa.Float, nullable=False),
    _fk("member_id", "member.id", nullable=True),
    sa.UniqueConstraint("network_id", "code"),
)

load = sa.Table(
    "load",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("number", sa.String(64), nullable=False),
    _fk("shipper_member_id", "member.id", index=True),
    _fk("origin_site_id", "site.id"),
    sa.Column("mode", sa.String(32), nullable=False),
    *_windows(),
    sa.Column("weight_kg", sa.Float, nullable=False),
    sa.Column("volume_m3", sa.Float, nullable=False),
    sa.Column("planned_cost_minor", sa.BigInteger, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    _at("created_at"),
    _fk("vehicle_type_id", "vehicle_type.id", nullable=True),
    _fk("carrier_member_id", "member.id", nullable=True, index=True),
    sa.Column("distance_km", sa.Float, nullable=True),
    sa.Column("reference", sa.String(200), nullable=False, server_default=""),
    sa.UniqueConstraint("network_id", "number"),
)

load_stop = sa.Table(
    "load_stop",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("load_id", "load.id"),
    sa.Column("sequence", sa.Integer, nullable=False),
    _fk("site_id", "site.id"),
    _fk("consignee_member_id", "member.id", index=True),
    _at("planned_arrival", nullable=True),
    sa.UniqueConstraint("load_id", "sequence"),
)

load_line = sa.Table(
    "load_line",
    metadata,
    _id(),
    _fk("load_id", "load.id", index=True),
    _fk("item_id", "item.id"),
    sa.Column("quantity", Quantity, nullable=False),
    sa.Column("weight_kg", sa.Float, nullable=False),
    sa.Column("volume_m3", sa.Float, nullable=False),
    _fk("to_site_id", "site.id"),
    _fk("order_line_id", "purchase_order_line.id", nullable=True),
    sa.Column("transfer_reference", sa.String(200), nullable=False, server_default=""),
    _fk("shipment_id", "shipment.id", nullable=True),
)

tender = sa.Table(
    "tender",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("load_id", "load.id", index=True),
    _fk("shipper_member_id", "member.id"),
    _fk("carrier_member_id", "member.id", index=True),
    sa.Column("rate_minor", sa.BigInteger, nullable=False),
    *_windows(),
    _at("respond_by"),
    _at("offered_at"),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False, server_default=""),
    _at("responded_at", nullable=True),
)

tracking_event = sa.Table(
    "tracking_event",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("load_id", "load.id"),
    sa.Column("message_id", sa.String(128), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    _at("at"),
    _at("recorded_at"),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("sender", sa.String(200), nullable=False),
    _fk("site_id", "site.id", nullable=True),
    sa.Column("latitude", sa.Float, nullable=True),
    sa.Column("longitude", sa.Float, nullable=True),
    sa.Column("delay_hours", sa.Float, nullable=True),
    sa.Column("note", sa.String(500), nullable=False, server_default=""),
    sa.UniqueConstraint("load_id", "message_id"),
)

load_eta = sa.Table(
    "load_eta",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("load_id", "load.id", index=True),
    _at("estimated_arrival"),
    sa.Column("basis", sa.String(16), nullable=False),
    _at("computed_at"),
    sa.Column("late_risk", sa.Boolean, nullable=False),
    sa.Column("late_probability", sa.Float, nullable=False),
    _fk("tracking_event_id", "tracking_event.id", nullable=True),
)

LOGISTICS_CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "vehicle_types": (vehicle_type, enum_codec(VehicleType, mode=TransportMode)),
    "loads": (load, enum_codec(Load, mode=TransportMode, status=LoadStatus)),
    "load_stops": (load_stop, Codec(LoadStop)),
    "load_lines": (load_line, Codec(LoadLine)),
    "tenders": (tender, enum_codec(Tender, status=TenderStatus)),
    "tracking_events": (
        tracking_event,
        enum_codec(TrackingEvent, status=TrackingStatus, source=TrackingSource),
    ),
    "load_etas": (load_eta, enum_codec(LoadEta, basis=EtaBasis)),
}

# Unique keys the in-memory twins honour like the tables above.
LOGISTICS_UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "vehicle_types": (("network_id", "code"),),
    "loads": (("network_id", "number"),),
    "load_stops": (("load_id", "sequence"),),
    "load_lines": (),
    "tenders": (),
    "tracking_events": (("load_id", "message_id"),),
    "load_etas": (),
}
