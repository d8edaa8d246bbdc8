"""Loads: the shipper's consignments, created by hand or by the planning service, read by the
shipper, the carrier it was tendered to and the consignees of its drops, cancelled by the
shipper.

:func:`add_load` works inside the caller's unit of work so a planning run can store many loads
in one transaction; :func:`create_load` is the same in a transaction of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tandem.domain.errors import Forbidden, NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.logistics import (
    MAX_NOTE,
    Load,
    LoadEta,
    LoadLine,
    LoadStatus,
    LoadStop,
    Tender,
    TenderStatus,
    TrackingEvent,
    capacity_violations,
    ensure_load_transition,
    window_violations,
)
from tandem.domain.network import Item, Site, TransportMode
from tandem.domain.orders import OrderStep, PurchaseOrder, PurchaseOrderLine, ensure_step
from tandem.domain.quantities import ZERO, to_quantity
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.documents import add_numbered
from tandem.services.ports import UnitOfWork


class LoadRole(StrEnum):
    SHIPPER = "shipper"
    CARRIER = "carrier"
    CONSIGNEE = "consignee"


@dataclass(frozen=True)
class PlanLine:
    """What to carry: ``quantity`` of a purchase order line of the shipper's (item and drop from
    the order), or of ``item_id`` to ``to_site_id`` under a ``transfer_reference``."""

    quantity: Decimal
    order_line_id: int | None = None
    item_id: int | None = None
    to_site_id: int | None = None
    transfer_reference: str = ""


@dataclass(frozen=True)
class StopPlan:
    site_id: int
    planned_arrival: datetime | None = None


@dataclass(frozen=True)
class CreateLoad:
    """A load from the caller's ``origin_site_id``; ``stops`` in driving order (omitted: the
    lines' drops in the order they first appear)."""

    origin_site_id: int
    mode: TransportMode
    pickup_from: datetime
    pickup_to: datetime
    delivery_from: datetime
    delivery_to: datetime
    lines: tuple[PlanLine, ...]
    stops: tuple[StopPlan, ...] = ()
    vehicle_type_id: int | None = None
    planned_cost_minor: int = 0
    distance_km: float | None = None
    reference: str = ""


@dataclass(frozen=True)
class LoadDetail:
    load: Load
    stops: tuple[LoadStop, ...]
    lines: tuple[LoadLine, ...]
    tenders: tuple[Tender, ...] = ()
    events: tuple[TrackingEvent, ...] = ()
    eta: LoadEta | None = None


# ---------------------------------------------------------------- checks


def _site(uow: UnitOfWork, network_id: int, site_id: int, field: str) -> Site:
    site = uow.sites.get(site_id)
    if site is None or site.network_id != network_id:
        message = f"site {site_id} does not exist"
        raise ValidationFailed(message, violations=[Violation("load", message, field)])
    return site


def _origin(uow: UnitOfWork, principal: Principal, site_id: int) -> Site:
    site = _site(uow, principal.network_id, site_id, "origin_site_id")
    if site.member_id != principal.member_id:
        message = f"site {site.code} is not one of the shipper's sites"
        raise ValidationFailed(message, violations=[Violation("load", message, "origin_site_id")])
    return site


def _order_line(
    uow: UnitOfWork, principal: Principal, line: PlanLine, where: str
) -> tuple[PurchaseOrder, PurchaseOrderLine]:
    found = uow.purchase_order_lines.get(line.order_line_id or 0)
    order = None if found is None else uow.purchase_orders.get(found.order_id)
    if found is None or order is None or order.network_id != principal.network_id:
        raise NotFound(f"{where}: order line {line.order_line_id} not found")
    if order.seller_member_id != principal.member_id:
        raise Forbidden(f"{where}: only the seller of {order.number} loads its lines")
    ensure_step(OrderStep.SHIP, order.status)
    return order, found


def _line(uow: UnitOfWork, principal: Principal, line: PlanLine, index: int) -> LoadLine:
    """The stored line of ``line`` (weight and volume from the item's shipping attributes)."""
    where = f"lines[{index}]"
    quantity = to_quantity(line.quantity)
    if quantity <= ZERO:
        raise ValidationFailed(f"{where}: must be greater than 0", violations=[
            Violation(where, "must be greater than 0", "quantity")])  # fmt: skip
    if line.order_line_id is not None:
        order, order_line = _order_line(uow, principal, line, where)
        item_id, to_site = order_line.item_id, order.ship_to_site_id
    elif line.item_id is None or line.to_site_id is None or not line.transfer_reference.strip():
        message = "a line names an order line, or an item, a drop and a transfer reference"
        raise ValidationFailed(message, violations=[Violation(where, message, "order_line_id")])
    else:
        item_id, to_site = line.item_id, line.to_site_id
    item = uow.items.get(item_id)
    if item is None or item.network_id != principal.network_id:
        raise NotFound(f"{where}: item {item_id} not found")
    weight, volume = shipping_size(item, quantity)
    return LoadLine(
        0, 0, item_id, quantity, weight, volume, to_site, line.order_line_id,
        line.transfer_reference.strip(),
    )  # fmt: skip


def shipping_size(item: Item, quantity: Decimal) -> tuple[float, float]:
    """Weight (kg) and volume (m³) of ``quantity`` units; an unknown attribute counts 0."""
    units = float(quantity)
    return units * (item.weight_kg or 0.0), units * (item.volume_m3 or 0.0)


def _stops(
    uow: UnitOfWork, network_id: int, command: CreateLoad, lines: Sequence[LoadLine]
) -> list[tuple[Site, datetime | None]]:
    plans = command.stops or tuple(StopPlan(s) for s in dict.fromkeys(x.to_site_id for x in lines))
    sites = [(_site(uow, network_id, p.site_id, "stops"), p.planned_arrival) for p in plans]
    ids = [site.id for site, _ in sites]
    found = []
    if len(set(ids)) != len(ids):
        found.append(Violation("load", "a site is a drop only once", "stops"))
    for index, line in enumerate(lines):
        if line.to_site_id not in ids:
            found.append(Violation(f"lines[{index}]", "its drop is not a stop", "to_site_id"))
    if found:
        raise ValidationFailed("invalid drops", violations=found)
    return sites


def _vehicle_violations(
    uow: UnitOfWork, principal: Principal, command: CreateLoad, weight: float, volume: float
) -> list[Violation]:
    vehicle = None
    if command.vehicle_type_id is not None:
        vehicle = uow.vehicle_types.get(command.vehicle_type_id)
        if vehicle is None or vehicle.network_id != principal.network_id:
            return [Violation("load", "no such vehicle type", "vehicle_type_id")]
    return capacity_violations(weight, volume, vehicle, "load")


def _command_violations(command: CreateLoad) -> list[Violation]:
    pickup = (command.pickup_from, command.pickup_to)
    found = window_violations(pickup, (command.delivery_from, command.delivery_to), "load")
    if not command.lines:
        found.append(Violation("load", "at least one line is required", "lines"))
    if command.planned_cost_minor < 0:
        found.append(Violation("load", "must not be negative", "planned_cost_minor"))
    if command.distance_km is not None and not command.distance_km >= 0:
        found.append(Violation("load", "must not be negative", "distance_km"))
    if len(command.reference) > 200:
        found.append(Violation("load", "at most 200 characters", "reference"))
    return found


# ---------------------------------------------------------------- create


def add_load(
    uow: UnitOfWork, principal: Principal, command: CreateLoad, at: datetime
) -> LoadDetail:
    """Store a planned load of the caller (the shipper) in ``uow``; the caller commits."""
    principal.require(Scope.DATA_WRITE)
    found = _command_violations(command)
    if found:
        raise ValidationFailed("invalid load", violations=found)
    origin = _origin(uow, principal, command.origin_site_id)
    drafts = [_line(uow, principal, line, i) for i, line in enumerate(command.lines)]
    stops = _stops(uow, principal.network_id, command, drafts)
    weight = sum(x.weight_kg for x in drafts)
    volume = sum(x.volume_m3 for x in drafts)
    found = _vehicle_violations(uow, principal, command, weight, volume)
    if found:
        raise ValidationFailed("the load does not fit", violations=found)
    load = add_numbered(uow.loads, _draft(principal, origin, command, weight, volume, at), "LD")
    stored_stops = [
        uow.load_stops.add(
            LoadStop(0, load.network_id, load.id, n, site.id, site.member_id, planned)
        )
        for n, (site, planned) in enumerate(stops, start=1)
    ]
    lines = [uow.load_lines.add(replace(x, load_id=load.id)) for x in drafts]
    return LoadDetail(load, tuple(stored_stops), tuple(lines))


def _draft(
    principal: Principal,
    origin: Site,
    command: CreateLoad,
    weight: float,
    volume: float,
    at: datetime,
) -> Load:
    c = command
    return Load(
        0, principal.network_id, "", principal.member_id, origin.id, c.mode, c.pickup_from,
        c.pickup_to, c.delivery_from, c.delivery_to, weight, volume, c.planned_cost_minor,
        LoadStatus.PLANNED, 1, at, c.vehicle_type_id, None, c.distance_km, c.reference.strip(),
    )  # fmt: skip


def create_load(ctx: ServiceContext, principal: Principal, command: CreateLoad) -> LoadDetail:
    """A planned load of the caller's goods; nothing is stored unless every line is valid."""
    with ctx.uow() as uow:
        detail = add_load(uow, principal, command, ctx.clock.now())
        uow.commit()
    return detail


# ---------------------------------------------------------------- reads


def roles_of(uow: UnitOfWork, principal: Principal, load: Load) -> set[LoadRole]:
    """What the caller is to ``load``: its shipper, a carrier it was tendered to, a consignee."""
    me = principal.member_id
    roles = set()
    if load.shipper_member_id == me:
        roles.add(LoadRole.SHIPPER)
    if load.carrier_member_id == me or uow.tenders.count(load_id=load.id, carrier_member_id=me):
        roles.add(LoadRole.CARRIER)
    if uow.load_stops.count(load_id=load.id, consignee_member_id=me):
        roles.add(LoadRole.CONSIGNEE)
    return roles


def visible_load(
    uow: UnitOfWork, principal: Principal, load_id: int, lock: bool = False
) -> tuple[Load, set[LoadRole]]:
    """The load and the caller's roles in it; :class:`NotFound` for anybody without a role."""
    repo = uow.loads
    load = repo.get_for_update(load_id) if lock else repo.get(load_id)
    if load is None or load.network_id != principal.network_id:
        raise NotFound(f"load {load_id} not found")
    roles = roles_of(uow, principal, load)
    if not roles:
        raise NotFound(f"load {load_id} not found")
    return load, roles


def latest_eta(uow: UnitOfWork, load_id: int) -> LoadEta | None:
    found = uow.load_etas.find(load_id=load_id, descending=True, limit=1)
    return found[0] if found else None


def detail_of(uow: UnitOfWork, load: Load, principal: Principal) -> LoadDetail:
    """The load with its drops, lines, tracking and ETA; every tender for the shipper, a
    carrier's own tenders for a carrier, none for a consignee."""
    tenders = uow.tenders.find(load_id=load.id)
    if load.shipper_member_id != principal.member_id:
        tenders = [t for t in tenders if t.carrier_member_id == principal.member_id]
    events = sorted(uow.tracking_events.find(load_id=load.id), key=lambda e: (e.at, e.id))
    return LoadDetail(
        load,
        tuple(uow.load_stops.find(load_id=load.id)),
        tuple(uow.load_lines.find(load_id=load.id)),
        tuple(tenders),
        tuple(events),
        latest_eta(uow, load.id),
    )


def get_load(ctx: ServiceContext, principal: Principal, load_id: int) -> LoadDetail:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        load, _ = visible_load(uow, principal, load_id)
        return detail_of(uow, load, principal)


def _ids_as(uow: UnitOfWork, principal: Principal, role: LoadRole) -> set[int]:
    me, network = principal.member_id, principal.network_id
    if role is LoadRole.SHIPPER:
        return {x.id for x in uow.loads.find(network_id=network, shipper_member_id=me)}
    if role is LoadRole.CARRIER:
        return {x.load_id for x in uow.tenders.find(network_id=network, carrier_member_id=me)}
    return {x.load_id for x in uow.load_stops.find(network_id=network, consignee_member_id=me)}


def list_loads(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    role: LoadRole | None = None,
    status: LoadStatus | None = None,
) -> Page[Load]:
    """Loads the caller ships, was tendered or receives (``role``; omitted: any), newest first."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        ids: set[int] = set()
        for side in [role] if role is not None else list(LoadRole):
            ids |= _ids_as(uow, principal, side)
        loads = [load for i in sorted(ids, reverse=True) if (load := uow.loads.get(i))]
    chosen = [x for x in loads if status is None or x.status is status]
    return Page(
        tuple(chosen[page.offset : page.offset + page.limit]), len(chosen), page.offset, page.limit
    )


# ---------------------------------------------------------------- cancel


def bump(load: Load, **changes: Any) -> Load:
    """``load`` with ``changes`` and its version advanced."""
    return replace(load, version=load.version + 1, **changes)


def withdraw_open_tenders(uow: UnitOfWork, load: Load, at: datetime, reason: str) -> None:
    open_ones = uow.tenders.find(load_id=load.id, status=TenderStatus.OPEN)
    uow.tenders.update_many(
        [
            replace(t, status=TenderStatus.WITHDRAWN, reason=reason, responded_at=at)
            for t in open_ones
        ]
    )


def cancel_load(
    ctx: ServiceContext, principal: Principal, load_id: int, reason: str = ""
) -> LoadDetail:
    """Cancel a load that has not been picked up (shipper only); an open tender is withdrawn."""
    principal.require(Scope.DATA_WRITE)
    if len(reason) > MAX_NOTE:
        raise ValidationFailed("reason too long", violations=[
            Violation("load", f"at most {MAX_NOTE} characters", "reason")])  # fmt: skip
    at = ctx.clock.now()
    with ctx.uow() as uow:
        load, roles = visible_load(uow, principal, load_id, lock=True)
        if LoadRole.SHIPPER not in roles:
            raise Forbidden(f"only the shipper cancels load {load.number}")
        ensure_load_transition(load, LoadStatus.CANCELLED)
        withdraw_open_tenders(uow, load, at, reason or "load cancelled")
        load = bump(load, status=LoadStatus.CANCELLED)
        uow.loads.update(load)
        detail = detail_of(uow, load, principal)
        uow.commit()
    return detail
