"""Tenders: the shipper offers a load to a carrier member; the carrier accepts or rejects.

Every step locks the load row first (``SELECT ... FOR UPDATE``) and reads the tender after the
lock, so two answers to one tender queue up: the first wins, the second finds the tender no
longer open and gets ``invalid_state_transition`` (409). A retried request is answered from the
``Idempotency-Key`` the API honours. A load has at most one open tender: it is tendered from
``planned`` or ``rejected`` only.

A tender past its ``respond_by`` expires: swept by :func:`expire_tenders`, and found expired by
an answer that comes too late (``tender_expired``, 409, after the expiry is stored). An expired
or rejected tender leaves the load ``rejected``, to be tendered again; a withdrawn one leaves
it ``planned``. On acceptance the tender's windows become the load's and the first arrival
estimate (basis ``planned``) is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tandem.domain.errors import Forbidden, NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.logistics import (
    MAX_NOTE,
    Load,
    LoadStatus,
    Tender,
    TenderExpired,
    TenderStatus,
    ensure_load_transition,
    ensure_tender_transition,
    window_violations,
)
from tandem.domain.network import MemberRole
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.logistics import tracking
from tandem.services.logistics.loads import LoadRole, bump, visible_load
from tandem.services.ports import UnitOfWork


@dataclass(frozen=True)
class TenderLoad:
    """Offer ``load_id`` to ``carrier_member_id`` at ``rate_minor``; windows omitted are the
    load's."""

    load_id: int
    carrier_member_id: int
    rate_minor: int
    respond_by: datetime
    pickup: tuple[datetime, datetime] | None = None
    delivery: tuple[datetime, datetime] | None = None


@dataclass(frozen=True)
class TenderView:
    """A tender with the load it offers (the carrier's load board)."""

    tender: Tender
    load: Load


def _carrier(uow: UnitOfWork, principal: Principal, member_id: int) -> None:
    member = uow.members.get(member_id)
    if member is None or member.network_id != principal.network_id:
        raise NotFound(f"member {member_id} not found")
    problem = None
    if MemberRole.CARRIER not in member.roles:
        problem = f"member {member.code} is not a carrier"
    elif member.id == principal.member_id:
        problem = "a shipper does not tender to itself"
    if problem:
        raise ValidationFailed(problem, violations=[Violation("tender", problem, "carrier")])


def _checked(command: TenderLoad, load: Load, at: datetime) -> Tender:
    pickup = command.pickup or (load.pickup_from, load.pickup_to)
    delivery = command.delivery or (load.delivery_from, load.delivery_to)
    found = window_violations(pickup, delivery, "tender")
    if command.rate_minor < 0:
        found.append(Violation("tender", "must not be negative", "rate_minor"))
    if command.respond_by.tzinfo is None or command.respond_by <= at:
        found.append(Violation("tender", "must be a later, tz-aware time", "respond_by"))
    if found:
        raise ValidationFailed("invalid tender", violations=found)
    return Tender(
        0, load.network_id, load.id, load.shipper_member_id, command.carrier_member_id,
        command.rate_minor, *pickup, *delivery, command.respond_by, at, TenderStatus.OPEN,
    )  # fmt: skip


def tender_load(ctx: ServiceContext, principal: Principal, command: TenderLoad) -> TenderView:
    """Offer a planned (or rejected) load of the caller's to a carrier member."""
    principal.require(Scope.DATA_WRITE)
    at = ctx.clock.now()
    with ctx.uow() as uow:
        load, roles = visible_load(uow, principal, command.load_id, lock=True)
        if LoadRole.SHIPPER not in roles:
            raise Forbidden(f"only the shipper tenders load {load.number}")
        ensure_load_transition(load, LoadStatus.TENDERED)
        _carrier(uow, principal, command.carrier_member_id)
        tender = uow.tenders.add(_checked(command, load, at))
        load = bump(load, status=LoadStatus.TENDERED, carrier_member_id=tender.carrier_member_id)
        uow.loads.update(load)
        uow.commit()
    return TenderView(tender, load)


# ---------------------------------------------------------------- answers


def _locked(uow: UnitOfWork, principal: Principal, tender_id: int) -> tuple[Tender, Load]:
    """The tender and its load, the load locked first; the tender re-read under the lock."""
    first = uow.tenders.get(tender_id)
    mine = first is not None and principal.member_id in (
        first.carrier_member_id,
        first.shipper_member_id,
    )
    if first is None or first.network_id != principal.network_id or not mine:
        raise NotFound(f"tender {tender_id} not found")
    load = uow.loads.get_for_update(first.load_id)
    tender = uow.tenders.get(tender_id)
    assert load is not None and tender is not None  # rows are never deleted once tendered
    return tender, load


def _expire(uow: UnitOfWork, tender: Tender, load: Load, at: datetime) -> Load:
    uow.tenders.update(replace(tender, status=TenderStatus.EXPIRED, responded_at=at))
    if load.status is LoadStatus.TENDERED:
        load = bump(load, status=LoadStatus.REJECTED, carrier_member_id=None)
        uow.loads.update(load)
    return load


def _answerable(
    uow: UnitOfWork, principal: Principal, tender_id: int, at: datetime
) -> tuple[Tender, Load]:
    """The locked tender the caller (its carrier) answers; one past its respond-by is expired
    (committed) and :class:`TenderExpired` raised."""
    tender, load = _locked(uow, principal, tender_id)
    if principal.member_id != tender.carrier_member_id:
        raise Forbidden(f"only the carrier answers tender {tender_id}")
    if tender.status is TenderStatus.OPEN and at > tender.respond_by:
        _expire(uow, tender, load, at)
        uow.commit()
        raise TenderExpired(f"tender {tender_id} expired at {tender.respond_by.isoformat()}")
    return tender, load


def accept_tender(ctx: ServiceContext, principal: Principal, tender_id: int) -> TenderView:
    """The carrier takes the load: the tender's windows become the load's, the first arrival
    estimate is stored. A second answer gets ``invalid_state_transition``."""
    principal.require(Scope.DATA_WRITE)
    at = ctx.clock.now()
    with ctx.uow() as uow:
        tender, load = _answerable(uow, principal, tender_id, at)
        ensure_tender_transition(tender, TenderStatus.ACCEPTED)
        ensure_load_transition(load, LoadStatus.ACCEPTED)
        tender = replace(tender, status=TenderStatus.ACCEPTED, responded_at=at)
        uow.tenders.update(tender)
        t = tender
        load = bump(
            load, status=LoadStatus.ACCEPTED, carrier_member_id=t.carrier_member_id,
            pickup_from=t.pickup_from, pickup_to=t.pickup_to,
            delivery_from=t.delivery_from, delivery_to=t.delivery_to,
        )  # fmt: skip
        uow.loads.update(load)
        tracking.reestimate(uow, load, at)
        uow.commit()
    return TenderView(tender, load)


def reject_tender(
    ctx: ServiceContext, principal: Principal, tender_id: int, reason: str
) -> TenderView:
    """The carrier declines, saying why; the load is ``rejected`` and may be tendered again."""
    principal.require(Scope.DATA_WRITE)
    if not reason.strip() or len(reason) > MAX_NOTE:
        message = f"a reason of 1 to {MAX_NOTE} characters is required"
        raise ValidationFailed(message, violations=[Violation("tender", message, "reason")])
    at = ctx.clock.now()
    with ctx.uow() as uow:
        tender, load = _answerable(uow, principal, tender_id, at)
        ensure_tender_transition(tender, TenderStatus.REJECTED)
        tender = replace(
            tender, status=TenderStatus.REJECTED, reason=reason.strip(), responded_at=at
        )
        uow.tenders.update(tender)
        load = bump(load, status=LoadStatus.REJECTED, carrier_member_id=None)
        uow.loads.update(load)
        uow.commit()
    return TenderView(tender, load)


def withdraw_tender(ctx: ServiceContext, principal: Principal, tender_id: int) -> TenderView:
    """The shipper takes back an open tender; the load is ``planned`` again."""
    principal.require(Scope.DATA_WRITE)
    at = ctx.clock.now()
    with ctx.uow() as uow:
        tender, load = _locked(uow, principal, tender_id)
        if principal.member_id != tender.shipper_member_id:
            raise Forbidden(f"only the shipper withdraws tender {tender_id}")
        ensure_tender_transition(tender, TenderStatus.WITHDRAWN)
        tender = replace(tender, status=TenderStatus.WITHDRAWN, responded_at=at)
        uow.tenders.update(tender)
        load = bump(load, status=LoadStatus.PLANNED, carrier_member_id=None)
        uow.loads.update(load)
        uow.commit()
    return TenderView(tender, load)


def expire_tenders(ctx: ServiceContext, principal: Principal) -> int:
    """Expire every open tender of the network past its respond-by; how many expired."""
    principal.require(Scope.DATA_WRITE)
    at = ctx.clock.now()
    expired = 0
    with ctx.uow() as uow:
        for due in uow.tenders.find(network_id=principal.network_id, status=TenderStatus.OPEN):
            if due.respond_by >= at:
                continue
            load = uow.loads.get_for_update(due.load_id)
            tender = uow.tenders.get(due.id)
            if load is not None and tender is not None and tender.status is TenderStatus.OPEN:
                _expire(uow, tender, load, at)
                expired += 1
        uow.commit()
    return expired


def list_tenders(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    role: LoadRole = LoadRole.CARRIER,
    status: TenderStatus | None = None,
) -> Page[TenderView]:
    """Tenders to the caller (``carrier``) or from it (``shipper``), newest first."""
    principal.require(Scope.DATA_READ)
    side = "shipper_member_id" if role is LoadRole.SHIPPER else "carrier_member_id"
    equals: dict[str, Any] = {"network_id": principal.network_id, side: principal.member_id}
    if status is not None:
        equals["status"] = status
    with ctx.uow() as uow:
        rows = uow.tenders.find(offset=page.offset, limit=page.limit, descending=True, **equals)
        total = uow.tenders.count(**equals)
        views = []
        for tender in rows:
            load = uow.loads.get(tender.load_id)
            assert load is not None
            views.append(TenderView(tender, load))
    return Page(tuple(views), total, page.offset, page.limit)
