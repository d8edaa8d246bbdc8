"""Transport on the platform: vehicle types, loads with their drops and lines, tenders to
carrier members and the tracking events carriers report.

A :class:`Load` is what one vehicle carries for one shipper from one origin site to one or more
drops (:class:`LoadStop`, in driving order); its :class:`LoadLine` s name what is carried, each
line a purchase order line of the flows (or a transfer reference) bound for one drop. The shipper
offers the load to a carrier member in a :class:`Tender` (rate, windows, respond-by); the carrier
accepts or rejects. The carrier then reports :class:`TrackingEvent` s; each one re-estimates the
arrival (:class:`LoadEta`, see :mod:`tandem.domain.logistics_eta`).

Lifecycles (the shipper plans, tenders and cancels; the carrier answers and reports)::

    load:   planned -> tendered -> accepted -> in_transit -> delivered
            tendered -> rejected -> tendered (a new tender)      any open one -> cancelled
    tender: open -> accepted | rejected | expired | withdrawn

Everything here is pure: the services load, call these rules and store.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import IntEnum, StrEnum

from tandem.domain.errors import Conflict, InvalidTransition, Violation
from tandem.domain.network import TransportMode, check_code, check_non_negative, check_positive

MAX_NOTE = 500
MAX_MESSAGE_ID = 128


class LoadStatus(StrEnum):
    PLANNED = "planned"
    TENDERED = "tendered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class TenderStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class TrackingStatus(StrEnum):
    PICKED_UP = "picked_up"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    DELIVERED = "delivered"
    EXCEPTION = "exception"


class TrackingSource(StrEnum):
    API = "api"
    MQTT = "mqtt"
    DEVICE = "device"


class EtaBasis(StrEnum):
    """What an estimated arrival rests on, weakest first."""

    PLANNED = "planned"
    PICKED_UP = "picked_up"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    DELIVERED = "delivered"


class Milestone(IntEnum):
    """How far a load got: the rank of each progress event (exceptions make no progress)."""

    NONE = 0
    PICKED_UP = 1
    DEPARTED = 2
    ARRIVED = 3
    DELIVERED = 4


MILESTONE = {
    TrackingStatus.PICKED_UP: Milestone.PICKED_UP,
    TrackingStatus.DEPARTED: Milestone.DEPARTED,
    TrackingStatus.ARRIVED: Milestone.ARRIVED,
    TrackingStatus.DELIVERED: Milestone.DELIVERED,
    TrackingStatus.EXCEPTION: Milestone.NONE,
}


class TenderExpired(Conflict):
    code = "tender_expired"
    title = "The tender's respond-by time has passed"


class MessageIdReused(Conflict):
    code = "message_id_reused"
    title = "Message id already used for a different event"


@dataclass(frozen=True)
class VehicleType:
    """A kind of vehicle: its capacity and tariff. ``member_id`` ``None`` means network-wide
    (kept by the network administrator); otherwise one member's own fleet or contract."""

    id: int
    network_id: int
    code: str
    name: str
    mode: TransportMode
    max_weight_kg: float
    max_volume_m3: float
    cost_per_km: float
    fixed_cost: float
    member_id: int | None = None


@dataclass(frozen=True)
class Load:
    """One vehicle's consignment for one shipper; the load row is the lock of every step.

    Windows are tz-aware instants; ``planned_cost_minor`` is the shipper's planned freight cost
    in minor units of the network's currency; ``carrier_member_id`` is set once tendered.
    """

    id: int
    network_id: int
    number: str
    shipper_member_id: int
    origin_site_id: int
    mode: TransportMode
    pickup_from: datetime
    pickup_to: datetime
    delivery_from: datetime
    delivery_to: datetime
    weight_kg: float
    volume_m3: float
    planned_cost_minor: int
    status: LoadStatus
    version: int
    created_at: datetime
    vehicle_type_id: int | None = None
    carrier_member_id: int | None = None
    distance_km: float | None = None
    reference: str = ""


@dataclass(frozen=True)
class LoadStop:
    """Drop ``sequence`` (1, 2, ...) of a load: a site of ``consignee_member_id``."""

    id: int
    network_id: int
    load_id: int
    sequence: int
    site_id: int
    consignee_member_id: int
    planned_arrival: datetime | None = None


@dataclass(frozen=True)
class LoadLine:
    """What the load carries to ``to_site_id``: a purchase order line of the flows
    (``order_line_id``) or a transfer (``transfer_reference``). ``shipment_id`` is set when the
    line was shipped at pick-up."""

    id: int
    load_id: int
    item_id: int
    quantity: Decimal
    weight_kg: float
    volume_m3: float
    to_site_id: int
    order_line_id: int | None = None
    transfer_reference: str = ""
    shipment_id: int | None = None


@dataclass(frozen=True)
class Tender:
    """An offer of a load to one carrier, open until ``respond_by``."""

    id: int
    network_id: int
    load_id: int
    shipper_member_id: int
    carrier_member_id: int
    rate_minor: int
    pickup_from: datetime
    pickup_to: datetime
    delivery_from: datetime
    delivery_to: datetime
    respond_by: datetime
    offered_at: datetime
    status: TenderStatus
    reason: str = ""
    responded_at: datetime | None = None


@dataclass(frozen=True)
class TrackingEvent:
    """A status report on a load. ``(load_id, message_id)`` is unique: a report sent twice is
    stored once. ``at`` is when it happened, ``recorded_at`` when the platform heard of it."""

    id: int
    network_id: int
    load_id: int
    message_id: str
    status: TrackingStatus
    at: datetime
    recorded_at: datetime
    source: TrackingSource
    sender: str
    site_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    delay_hours: float | None = None
    note: str = ""


@dataclass(frozen=True)
class LoadEta:
    """One estimate of a load's arrival at its last drop; the newest (highest id) holds."""

    id: int
    network_id: int
    load_id: int
    estimated_arrival: datetime
    basis: EtaBasis
    computed_at: datetime
    late_risk: bool
    late_probability: float
    tracking_event_id: int | None = None


# ---------------------------------------------------------------- lifecycles

_L = LoadStatus
LOAD_TRANSITIONS: dict[LoadStatus, frozenset[LoadStatus]] = {
    _L.PLANNED: frozenset({_L.TENDERED, _L.CANCELLED}),
    _L.TENDERED: frozenset({_L.ACCEPTED, _L.REJECTED, _L.PLANNED, _L.CANCELLED}),
    _L.REJECTED: frozenset({_L.TENDERED, _L.CANCELLED}),
    _L.ACCEPTED: frozenset({_L.IN_TRANSIT, _L.DELIVERED, _L.CANCELLED}),
    _L.IN_TRANSIT: frozenset({_L.DELIVERED}),
    _L.DELIVERED: frozenset(),
    _L.CANCELLED: frozenset(),
}
TRACKED = frozenset({_L.ACCEPTED, _L.IN_TRANSIT, _L.DELIVERED})
"""Statuses in which the carrier reports events."""

_T = TenderStatus
TENDER_TRANSITIONS: dict[TenderStatus, frozenset[TenderStatus]] = {
    _T.OPEN: frozenset({_T.ACCEPTED, _T.REJECTED, _T.EXPIRED, _T.WITHDRAWN}),
    _T.ACCEPTED: frozenset(),
    _T.REJECTED: frozenset(),
    _T.EXPIRED: frozenset(),
    _T.WITHDRAWN: frozenset(),
}


def ensure_load_transition(load: Load, target: LoadStatus) -> None:
    """Raise :class:`InvalidTransition` unless ``load`` may become ``target``."""
    if target not in LOAD_TRANSITIONS[load.status]:
        raise InvalidTransition(
            f"load {load.number} is {load.status.value} and cannot become {target.value}"
        )


def ensure_tender_transition(tender: Tender, target: TenderStatus) -> None:
    if target not in TENDER_TRANSITIONS[tender.status]:
        raise InvalidTransition(
            f"tender {tender.id} is {tender.status.value} and cannot become {target.value}"
        )


def status_after(current: LoadStatus, milestones: Iterable[Milestone]) -> LoadStatus:
    """A tracked load's status from every event reported, in any order: delivered once any
    delivery was reported, in transit once picked up, departed or arrived, else unchanged."""
    reached = max(milestones, default=Milestone.NONE)
    if reached is Milestone.DELIVERED:
        return LoadStatus.DELIVERED
    if reached is not Milestone.NONE and current is LoadStatus.ACCEPTED:
        return LoadStatus.IN_TRANSIT
    return current


# ---------------------------------------------------------------- rules


def _finite(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def vehicle_type_violations(vehicle: VehicleType, location: str) -> list[Violation]:
    found = check_code(vehicle.code, location)
    if not vehicle.name.strip():
        found.append(Violation(location, "must not be empty", "name"))
    found += check_positive(vehicle.max_weight_kg, location, "max_weight_kg")
    found += check_positive(vehicle.max_volume_m3, location, "max_volume_m3")
    found += check_non_negative(vehicle.cost_per_km, location, "cost_per_km")
    found += check_non_negative(vehicle.fixed_cost, location, "fixed_cost")
    return found


def window_violations(
    pickup: tuple[datetime, datetime], delivery: tuple[datetime, datetime], location: str
) -> list[Violation]:
    """Both windows tz-aware and not reversed, delivery not ending before pick-up starts."""
    found: list[Violation] = []
    named = {
        "pickup_from": pickup[0],
        "pickup_to": pickup[1],
        "delivery_from": delivery[0],
        "delivery_to": delivery[1],
    }
    naive = [name for name, at in named.items() if at.tzinfo is None]
    found += [Violation(location, "must carry a time zone", name) for name in naive]
    if naive:
        return found
    if pickup[1] < pickup[0]:
        found.append(Violation(location, "must not be before pickup_from", "pickup_to"))
    if delivery[1] < delivery[0]:
        found.append(Violation(location, "must not be before delivery_from", "delivery_to"))
    if delivery[1] < pickup[0]:
        found.append(Violation(location, "must not be before pickup_from", "delivery_to"))
    return found


def capacity_violations(
    weight_kg: float, volume_m3: float, vehicle: VehicleType | None, location: str
) -> list[Violation]:
    """The load's weight and volume fit the vehicle (no vehicle: anything fits)."""
    found = check_non_negative(weight_kg, location, "weight_kg")
    found += check_non_negative(volume_m3, location, "volume_m3")
    if vehicle is None or found:
        return found
    if weight_kg > vehicle.max_weight_kg:
        message = f"{weight_kg:g} kg exceeds the {vehicle.code}'s {vehicle.max_weight_kg:g} kg"
        found.append(Violation(location, message, "weight_kg"))
    if volume_m3 > vehicle.max_volume_m3:
        message = f"{volume_m3:g} m³ exceeds the {vehicle.code}'s {vehicle.max_volume_m3:g} m³"
        found.append(Violation(location, message, "volume_m3"))
    return found


def position_violations(
    latitude: float | None, longitude: float | None, location: str
) -> list[Violation]:
    """Latitude and longitude come together and lie on the globe."""
    if latitude is None and longitude is None:
        return []
    if latitude is None or longitude is None:
        missing = "latitude" if latitude is None else "longitude"
        return [Violation(location, "latitude and longitude come together", missing)]
    found = []
    if not _finite(latitude) or not -90 <= latitude <= 90:
        found.append(Violation(location, "must lie in [-90, 90]", "latitude"))
    if not _finite(longitude) or not -180 <= longitude <= 180:
        found.append(Violation(location, "must lie in [-180, 180]", "longitude"))
    return found


def tracking_violations(event: TrackingEvent, location: str) -> list[Violation]:
    """The report's own fields: message id, time zone, position, delay and note."""
    found: list[Violation] = []
    if not event.message_id.strip() or len(event.message_id) > MAX_MESSAGE_ID:
        message = f"must be 1 to {MAX_MESSAGE_ID} characters"
        found.append(Violation(location, message, "message_id"))
    if event.at.tzinfo is None:
        found.append(Violation(location, "must carry a time zone", "at"))
    found += position_violations(event.latitude, event.longitude, location)
    if event.delay_hours is not None:
        found += check_non_negative(event.delay_hours, location, "delay_hours")
        if event.status is not TrackingStatus.EXCEPTION:
            found.append(Violation(location, "only an exception reports a delay", "delay_hours"))
    if len(event.note) > MAX_NOTE:
        found.append(Violation(location, f"at most {MAX_NOTE} characters", "note"))
    return found


def same_report(stored: TrackingEvent, sent: TrackingEvent) -> bool:
    """Whether ``sent`` repeats ``stored`` (same message id): the same status, time, place,
    delay and note; who sent it and when it was recorded do not matter."""
    fields = ("status", "at", "site_id", "latitude", "longitude", "delay_hours", "note")
    return all(getattr(stored, f) == getattr(sent, f) for f in fields)
