"""Tracking: the carrier's status reports on a load, from the API, the web or MQTT.

One report, one transaction, under the load's row lock:

1. the report is checked (carrier of the load; a person or key with ``data:write``, or a device
   key with ``ingest``), and stored once: a repeated ``message_id`` with the same content
   returns the stored event (``duplicate``), with other content it is ``message_id_reused``;
2. the first progress report (picked up, departed, arrived or delivered — whichever comes
   first, reports may arrive out of order) ships the load's purchase order lines: one shipment
   per order through :func:`tandem.services.shipments.ship_within`, on behalf of the shipper,
   so stock leaves the origin and is in transit to the consignee, the order records the step,
   and the EPCIS packing and shipping events are stored. Delivery does *not* receive the goods:
   the consignee's goods receipt stays the flows' own step;
3. one EPCIS ``ObjectEvent`` per shipment of the load records the report
   (:mod:`tandem.domain.logistics_epcis`);
4. the load's status follows the furthest milestone reported, and the arrival is estimated
   again from every report (:mod:`tandem.domain.logistics_eta`) and stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from tandem.domain import logistics_epcis
from tandem.domain.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.logistics import (
    MILESTONE,
    TRACKED,
    Load,
    LoadEta,
    LoadLine,
    MessageIdReused,
    Milestone,
    TrackingEvent,
    TrackingSource,
    TrackingStatus,
    same_report,
    status_after,
    tracking_violations,
)
from tandem.domain.logistics_eta import Schedule, Transit, estimate_arrival, planned_transit
from tandem.domain.network import raise_if
from tandem.services import epcis, identity
from tandem.services.context import ServiceContext
from tandem.services.logistics.loads import bump, latest_eta, visible_load
from tandem.services.ports import UnitOfWork
from tandem.services.shipments import ShipGoods, ShipLine, ship_within


@dataclass(frozen=True)
class ReportStatus:
    """A status report on ``load_id``; ``message_id`` is the sender's idempotency key."""

    load_id: int
    message_id: str
    status: TrackingStatus
    at: datetime
    source: TrackingSource = TrackingSource.API
    site_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    delay_hours: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Recorded:
    event: TrackingEvent
    duplicate: bool
    load: Load
    eta: LoadEta | None
    shipment_ids: tuple[int, ...] = ()
    """Shipments this report created (the first progress report only)."""


# ---------------------------------------------------------------- arrival


def transit_of(uow: UnitOfWork, load: Load, last_site_id: int) -> Transit:
    """The lane's lead time from the origin to the last drop (a lane of the load's mode if
    there is one; the slowest of those left), else the planned transit."""
    items = {x.item_id for x in uow.load_lines.find(load_id=load.id)}
    lanes = [
        lane
        for lane in uow.lanes.find(
            network_id=load.network_id, from_site_id=load.origin_site_id, to_site_id=last_site_id
        )
        if lane.item_id is None or lane.item_id in items
    ]
    same_mode = [lane for lane in lanes if lane.mode is load.mode] or lanes
    if not same_mode:
        return planned_transit(schedule_of(load, last_site_id))
    slowest = max(same_mode, key=lambda lane: (lane.lead_time_mean_days, lane.id))
    return Transit(slowest.lead_time_mean_days, slowest.lead_time_std_days, True)


def schedule_of(load: Load, last_site_id: int) -> Schedule:
    return Schedule(load.pickup_from, load.delivery_from, load.delivery_to, last_site_id)


def reestimate(
    uow: UnitOfWork, load: Load, at: datetime, tracking_event_id: int | None = None
) -> LoadEta:
    """Estimate the arrival from every report on ``load`` and store it."""
    stops = uow.load_stops.find(load_id=load.id)
    last_site = max(stops, key=lambda s: s.sequence).site_id
    events = uow.tracking_events.find(load_id=load.id)
    found = estimate_arrival(schedule_of(load, last_site), transit_of(uow, load, last_site), events)
    eta = LoadEta(
        0, load.network_id, load.id, found.estimated_arrival, found.basis, at,
        found.late_risk, found.late_probability, tracking_event_id,
    )  # fmt: skip
    return uow.load_etas.add(eta)


# ---------------------------------------------------------------- shipping at pick-up


def _on_behalf_of_shipper(load: Load) -> Principal:
    """The shipper as the actor of the shipments its carrier's pick-up makes."""
    label = f"pick-up of load {load.number}"
    return Principal(load.shipper_member_id, load.network_id, label, frozenset({Scope.DATA_WRITE}))


def _ship_lines(uow: UnitOfWork, load: Load, at: datetime) -> tuple[int, ...]:
    """Ship the load's unshipped order lines, one shipment per order; the lines remember it."""
    waiting = [x for x in uow.load_lines.find(load_id=load.id) if x.order_line_id is not None]
    waiting = [x for x in waiting if x.shipment_id is None]
    by_order: dict[int, list[LoadLine]] = defaultdict(list)
    for line in waiting:
        order_line = uow.purchase_order_lines.get(line.order_line_id or 0)
        assert order_line is not None
        by_order[order_line.order_id].append(line)
    carrier = uow.members.get(load.carrier_member_id or 0)
    eta = latest_eta(uow, load.id)
    arrival = (eta.estimated_arrival if eta else load.delivery_to).date()
    made = []
    for order_id, lines in sorted(by_order.items()):
        command = ShipGoods(
            order_id,
            tuple(ShipLine(x.order_line_id or 0, x.quantity) for x in lines),
            load.origin_site_id,
            "" if carrier is None else carrier.name[:120],
            load.number,
            arrival,
        )
        shipment = ship_within(uow, _on_behalf_of_shipper(load), command, at).shipment
        uow.load_lines.update_many([replace(x, shipment_id=shipment.id) for x in lines])
        made.append(shipment.id)
    return tuple(made)


def _record_epcis(uow: UnitOfWork, load: Load, report: TrackingEvent) -> None:
    lines = uow.load_lines.find(load_id=load.id)
    shipment_ids = sorted({x.shipment_id for x in lines if x.shipment_id is not None})
    site = None if report.site_id is None else uow.sites.get(report.site_id)
    for shipment_id in shipment_ids:
        shipment = uow.shipments.get(shipment_id)
        assert shipment is not None
        moved = [
            (x.item_id, x.quantity, x.lot) for x in uow.shipment_lines.find(shipment_id=shipment.id)
        ]
        event = logistics_epcis.tracking_event(
            epcis.consignment(uow, shipment),
            load,
            report,
            epcis.goods(uow, moved),
            None if site is None else site.code,
        )
        epcis.store(uow, shipment, [event], report.at)


# ---------------------------------------------------------------- recording


def _report(principal: Principal, command: ReportStatus, at: datetime) -> TrackingEvent:
    c = command
    sender = (
        f"api-key:{principal.api_key_id}" if principal.api_key_id else f"user:{principal.user_id}"
    )
    return TrackingEvent(
        0, principal.network_id, c.load_id, c.message_id.strip(), c.status, c.at, at, c.source,
        sender, c.site_id, c.latitude, c.longitude, c.delay_hours, c.note.strip(),
    )  # fmt: skip


def _require_writer(principal: Principal) -> None:
    if Scope.DATA_WRITE not in principal.scopes and Scope.INGEST not in principal.scopes:
        principal.require(Scope.DATA_WRITE)


def _carried_load(uow: UnitOfWork, principal: Principal, load_id: int) -> Load:
    load, _ = visible_load(uow, principal, load_id, lock=True)
    if load.carrier_member_id != principal.member_id:
        raise Forbidden(f"only the carrier of load {load.number} reports on it")
    if load.status not in TRACKED:
        raise InvalidTransition(f"load {load.number} is {load.status.value}: nothing to track")
    return load


def _check_site(uow: UnitOfWork, principal: Principal, site_id: int | None) -> None:
    site = None if site_id is None else uow.sites.get(site_id)
    if site_id is not None and (site is None or site.network_id != principal.network_id):
        message = f"site {site_id} does not exist"
        raise ValidationFailed(message, violations=[Violation("event", message, "site_id")])


def record_event(ctx: ServiceContext, principal: Principal, command: ReportStatus) -> Recorded:
    """Record a carrier's report on a load: store it once, ship at the first progress report,
    record EPCIS, advance the load and re-estimate its arrival (see the module)."""
    _require_writer(principal)
    at = ctx.clock.now()
    report = _report(principal, command, at)
    raise_if(tracking_violations(report, "event"), "invalid tracking event")
    with ctx.uow() as uow:
        load = _carried_load(uow, principal, command.load_id)
        stored = uow.tracking_events.find(load_id=load.id, message_id=report.message_id)
        if stored:
            if not same_report(stored[0], report):
                raise MessageIdReused(f"message {report.message_id} was a different report")
            return Recorded(stored[0], True, load, latest_eta(uow, load.id))
        _check_site(uow, principal, report.site_id)
        event = uow.tracking_events.add(report)
        events = uow.tracking_events.find(load_id=load.id)
        made: tuple[int, ...] = ()
        if MILESTONE[event.status] is not Milestone.NONE:
            made = _ship_lines(uow, load, event.at)
        _record_epcis(uow, load, event)
        status = status_after(load.status, (MILESTONE[e.status] for e in events))
        if status is not load.status:
            load = bump(load, status=status)
            uow.loads.update(load)
        eta = reestimate(uow, load, at, event.id)
        uow.commit()
    return Recorded(event, False, load, eta, made)


def record_device_message(
    ctx: ServiceContext, network_code: str, load_id: int, payload: Mapping[str, Any]
) -> Recorded:
    """One MQTT message on ``<prefix>/<network>/loads/<load id>/status``: ``{"message_id",
    "status", "at", "location"?, "delay_hours"?, "note"?, "key"}``; ``location`` is a site code or
    ``{"latitude", "longitude"}``. The key authenticates the carrier (``ingest`` scope)."""
    principal = identity.authenticate_api_key(ctx, str(payload.get("key", "")))
    principal.require(Scope.INGEST)
    with ctx.uow() as uow:
        network = uow.networks.get(principal.network_id)
        if network is None or network.code != network_code:
            raise NotFound(f"load {load_id} not found")
        site_id, position = _location(uow, principal, payload.get("location"))
    command = ReportStatus(
        load_id, str(payload.get("message_id", "")), _status(payload.get("status")),
        _time(payload.get("at")), TrackingSource.MQTT, site_id, *position,
        _delay(payload.get("delay_hours")), str(payload.get("note", "")),
    )  # fmt: skip
    return record_event(ctx, principal, command)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        f"{field}: {message}", violations=[Violation("message", message, field)]
    )


def _status(value: Any) -> TrackingStatus:
    try:
        return TrackingStatus(value)
    except ValueError:
        raise _invalid("status", f"must be one of {', '.join(TrackingStatus)}") from None


def _time(value: Any) -> datetime:
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        raise _invalid("at", "must be an ISO 8601 time with a zone") from None
    if at.tzinfo is None:
        raise _invalid("at", "must carry a time zone")
    return at


def _delay(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _invalid("delay_hours", "must be a number")
    try:
        return float(Decimal(str(value)))
    except ArithmeticError:
        raise _invalid("delay_hours", "must be a number") from None


def _location(
    uow: UnitOfWork, principal: Principal, value: Any
) -> tuple[int | None, tuple[float | None, float | None]]:
    if value is None:
        return None, (None, None)
    if isinstance(value, str):
        sites = uow.sites.find(network_id=principal.network_id, code=value)
        if not sites:
            raise _invalid("location", f"no site {value!r}")
        return sites[0].id, (None, None)
    if isinstance(value, dict) and {"latitude", "longitude"} <= value.keys():
        return None, (_number(value["latitude"]), _number(value["longitude"]))
    raise _invalid("location", "a site code or {latitude, longitude}")


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid("location", "latitude and longitude are numbers")
    return float(value)
