"""Store planned loads (a vehicle's drops and lines) inside the caller's unit of work.

Planned loads carry a ``reference`` naming the planner that made them (``load plan`` or
``route <depot code> <day>``). Re-planning deletes that planner's loads that are still
``planned`` and were never tendered, and stores the new ones: the same input gives the same
loads, and a load offered to a carrier (tendered or later) is never touched. Loads are stored
by :func:`tandem.services.logistics.loads.add_load` (the load service), which checks drops,
windows and vehicle capacity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from tandem.domain import logistics as model
from tandem.domain.identity import Principal
from tandem.domain.network import TransportMode
from tandem.services.context import ServiceContext
from tandem.services.logistics import loads
from tandem.services.ports import UnitOfWork

PLAN_REFERENCE = "load plan"
ROUTE_REFERENCE = "route"
PICKUP_HOURS = (time(6, 0), time(18, 0))
DELIVERY_HOURS = (time(6, 0), time(20, 0))


@dataclass(frozen=True)
class DraftLine:
    item_id: int
    quantity: Decimal
    weight_kg: float
    volume_m3: float
    to_site_id: int
    order_line_id: int | None = None
    transfer_reference: str = ""
    shipment_id: int | None = None


@dataclass(frozen=True)
class DraftStop:
    site_id: int
    consignee_member_id: int
    planned_arrival: datetime | None = None


@dataclass(frozen=True)
class DraftLoad:
    """A load to store: origin, mode, vehicle type, days or instants, drops in order, lines."""

    origin_site_id: int
    mode: TransportMode
    vehicle_type_id: int | None
    pickup: tuple[datetime, datetime]
    delivery: tuple[datetime, datetime]
    cost: float
    distance_km: float | None
    reference: str
    stops: tuple[DraftStop, ...]
    lines: tuple[DraftLine, ...]


def day_window(day: date, hours: tuple[time, time]) -> tuple[datetime, datetime]:
    """``day`` between the two hours, in UTC."""
    return datetime.combine(day, hours[0], UTC), datetime.combine(day, hours[1], UTC)


def replaceable(
    uow: UnitOfWork, principal: Principal, reference: str, from_day: date, to_day: date
) -> list[model.Load]:
    """The member's loads of ``reference`` picked up from ``from_day`` to ``to_day`` that are
    still planned and were never tendered."""
    found = []
    for load in uow.loads.find(
        shipper_member_id=principal.member_id, status=model.LoadStatus.PLANNED, reference=reference
    ):
        if from_day <= load.pickup_from.date() <= to_day and not uow.tenders.count(load_id=load.id):
            found.append(load)
    return found


def _delete(uow: UnitOfWork, load: model.Load) -> None:
    for line in uow.load_lines.find(load_id=load.id):
        uow.load_lines.delete(line.id)
    for stop in uow.load_stops.find(load_id=load.id):
        uow.load_stops.delete(stop.id)
    for eta in uow.load_etas.find(load_id=load.id):
        uow.load_etas.delete(eta.id)
    uow.loads.delete(load.id)


def _command(draft: DraftLoad) -> loads.CreateLoad:
    return loads.CreateLoad(
        draft.origin_site_id,
        draft.mode,
        draft.pickup[0],
        draft.pickup[1],
        draft.delivery[0],
        draft.delivery[1],
        tuple(
            loads.PlanLine(x.quantity, x.order_line_id)
            if x.order_line_id is not None and not x.transfer_reference
            else loads.PlanLine(x.quantity, None, x.item_id, x.to_site_id, x.transfer_reference)
            for x in draft.lines
        ),
        tuple(loads.StopPlan(s.site_id, s.planned_arrival) for s in draft.stops),
        draft.vehicle_type_id,
        round(draft.cost * 100),
        None if draft.distance_km is None else round(draft.distance_km, 1),
        draft.reference,
    )


def replace_loads(
    uow: UnitOfWork,
    ctx: ServiceContext,
    principal: Principal,
    replaced: Sequence[model.Load],
    drafts: Sequence[DraftLoad],
) -> list[model.Load]:
    """Delete ``replaced`` and store ``drafts`` through the load service's ``add_load`` (its
    checks: drops, windows, vehicle capacity) as planned loads of the caller; not committed."""
    for load in replaced:
        _delete(uow, load)
    now = ctx.clock.now()
    return [loads.add_load(uow, principal, _command(d), now).load for d in drafts]
