"""GS1 EPCIS 2.0 events of the shipments: recorded with each step, queried by the parties.

The events are built by the pure :mod:`tandem.domain.epcis`; this module resolves the codes they
name, stores each event as an :class:`EpcisEvent` in the caller's transaction, and exports the
events a member may see (those of shipments it sent or received) as an ``EPCISDocument``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from tandem.domain import epcis
from tandem.domain.epcis import BizStep, Consignment, Event, EventType, Goods
from tandem.domain.errors import NotFound
from tandem.domain.identity import Principal, Scope
from tandem.domain.shipments import EpcisEvent, Shipment
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork

T = TypeVar("T")
Movement = tuple[int, Decimal, str]  # item id, quantity, lot


def _found(entity: T | None, what: str, key: int) -> T:
    if entity is None:
        raise NotFound(f"{what} {key} not found")
    return entity


def consignment(uow: UnitOfWork, shipment: Shipment) -> Consignment:
    """The codes EPCIS names for ``shipment``: network, order, parties and sites."""
    s = shipment
    return Consignment(
        _found(uow.networks.get(s.network_id), "network", s.network_id).code,
        _found(uow.purchase_orders.get(s.order_id), "purchase order", s.order_id).number,
        s.number,
        _found(uow.members.get(s.shipper_member_id), "member", s.shipper_member_id).code,
        _found(uow.members.get(s.consignee_member_id), "member", s.consignee_member_id).code,
        _found(uow.sites.get(s.from_site_id), "site", s.from_site_id).code,
        _found(uow.sites.get(s.to_site_id), "site", s.to_site_id).code,
    )


def goods(uow: UnitOfWork, movements: Iterable[Movement]) -> list[Goods]:
    found = []
    for item_id, quantity, lot in movements:
        item = _found(uow.items.get(item_id), "item", item_id)
        found.append(Goods(item.sku, item.unit, quantity, lot))
    return found


def store(uow: UnitOfWork, shipment: Shipment, events: Sequence[Event], at: datetime) -> None:
    uow.epcis_events.add_many(
        [
            EpcisEvent(
                0,
                shipment.network_id,
                event["eventID"],
                event["type"],
                event["bizStep"],
                at,
                shipment.id,
                shipment.shipper_member_id,
                shipment.consignee_member_id,
                event,
            )
            for event in events
        ]
    )


def record_shipping(
    uow: UnitOfWork, shipment: Shipment, shipped: Iterable[Movement], at: datetime
) -> None:
    """Store the packing and shipping events of ``shipment``."""
    events = epcis.shipping_events(consignment(uow, shipment), goods(uow, shipped), at)
    store(uow, shipment, events, at)


def record_receiving(
    uow: UnitOfWork,
    shipment: Shipment,
    receipt_number: str,
    accepted: Iterable[Movement],
    damaged: Iterable[Movement],
    at: datetime,
) -> None:
    """Store the unpacking and receiving events of ``shipment``'s receipt."""
    events = epcis.receiving_events(
        consignment(uow, shipment), receipt_number, goods(uow, accepted), goods(uow, damaged), at
    )
    store(uow, shipment, events, at)


def _utc(at: datetime | None) -> datetime | None:
    """A naive bound is read as UTC."""
    if at is None or at.tzinfo is not None:
        return at
    return at.replace(tzinfo=UTC)


def visible_events(uow: UnitOfWork, principal: Principal, **equals: Any) -> list[EpcisEvent]:
    """Events of shipments the caller sent or received, in time order."""
    found: dict[int, EpcisEvent] = {}
    for party in ("shipper_member_id", "consignee_member_id"):
        mine: dict[str, Any] = {"network_id": principal.network_id, party: principal.member_id}
        rows = uow.epcis_events.find(**mine, **equals)
        found.update((row.id, row) for row in rows)
    return sorted(found.values(), key=lambda e: (e.event_time, e.id))


def epcis_document(
    ctx: ServiceContext,
    principal: Principal,
    shipment_id: int | None = None,
    biz_step: BizStep | None = None,
    event_type: EventType | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """An ``EPCISDocument`` of the events the caller may see, at or after ``since`` and before
    ``until``; another member's shipment simply contributes no events."""
    principal.require(Scope.DATA_READ)
    equals: dict[str, Any] = {}
    if shipment_id is not None:
        equals["shipment_id"] = shipment_id
    if biz_step is not None:
        equals["biz_step"] = biz_step.value
    if event_type is not None:
        equals["event_type"] = event_type.value
    start, end = _utc(since), _utc(until)
    with ctx.uow() as uow:
        rows = visible_events(uow, principal, **equals)
    chosen = [
        row.document
        for row in rows
        if (start is None or row.event_time >= start) and (end is None or row.event_time < end)
    ]
    return epcis.epcis_document(chosen, ctx.clock.now())
