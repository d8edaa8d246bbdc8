"""Reservations of stock by ERPs: allocations that are not tied to a Tandem order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tandem.domain.errors import (
    InvalidTransition,
    NotFound,
    ValidationFailed,
    Violation,
)
from tandem.domain.identity import Principal, Scope
from tandem.domain.inventory import (
    Allocation,
    AllocationStatus,
)
from tandem.services.context import ServiceContext
from tandem.services.inventory.ledger import allocate_stock, release_allocation
from tandem.services.inventory.movements import _own_site_and_item
from tandem.services.ports import UnitOfWork

# ---------------------------------------------------------------- reservations by ERPs


@dataclass(frozen=True)
class ReserveStock:
    """Reserve stock at one of the caller's sites for ``reference`` (e.g. an ERP order line)."""

    site_id: int
    item_id: int
    quantity: Decimal
    reference: str


def reserve_stock(ctx: ServiceContext, principal: Principal, command: ReserveStock) -> Allocation:
    principal.require(Scope.DATA_WRITE)
    if not command.reference.strip():
        raise ValidationFailed(
            "a reservation needs a reference",
            violations=[Violation("body", "must not be empty", "reference")],
        )
    with ctx.uow() as uow:
        _own_site_and_item(uow, principal, command.site_id, command.item_id)
        at = ctx.clock.now()
        allocation = allocate_stock(
            uow, command.site_id, command.item_id, command.quantity, command.reference, at
        )
        uow.commit()
    return allocation


def _own_allocation(uow: UnitOfWork, principal: Principal, allocation_id: int) -> Allocation:
    allocation = uow.allocations.get(allocation_id)
    if allocation is None or allocation.owner_member_id != principal.member_id:
        raise NotFound(f"allocation {allocation_id} not found")
    return allocation


def get_reservation(ctx: ServiceContext, principal: Principal, allocation_id: int) -> Allocation:
    """One of the caller's allocations; anybody else's is not found."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        return _own_allocation(uow, principal, allocation_id)


def release_reservation(
    ctx: ServiceContext, principal: Principal, allocation_id: int
) -> Allocation:
    """Give a reservation's stock back to available; releasing twice changes nothing more, an
    issued reservation cannot be released (:class:`InvalidTransition`)."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        allocation = _own_allocation(uow, principal, allocation_id)
        released = release_allocation(uow, allocation, ctx.clock.now())
        if released.status is AllocationStatus.CONSUMED:
            raise InvalidTransition(f"allocation {allocation_id} was already issued")
        uow.commit()
    return released
