"""The ledger core: every change of stock, in the caller's unit of work."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from tandem.domain.errors import (
    InsufficientStock,
    NotFound,
    ValidationFailed,
    Violation,
)
from tandem.domain.inventory import (
    Allocation,
    AllocationStatus,
    MovementKind,
    StockMovement,
    StockPosition,
)
from tandem.domain.quantities import ZERO, to_quantity
from tandem.services.ports import UnitOfWork

FIELDS = ("item_id", "site_id")


@dataclass(frozen=True)
class StockChange:
    """A change of one position; a ledger movement of ``kind`` is written when on-hand changes."""

    site_id: int
    item_id: int
    on_hand: Decimal = ZERO
    allocated: Decimal = ZERO
    in_transit: Decimal = ZERO
    kind: MovementKind | None = None
    reference: str = ""
    lot: str = ""
    note: str = ""


def apply_stock_changes(
    uow: UnitOfWork, changes: list[StockChange], at: datetime, user_id: int | None = None
) -> list[StockMovement]:
    """Apply ``changes`` in the caller's transaction; raises before writing anything if one of
    them would leave available stock negative at a site that does not allow backorders. Returns
    the movements written, with their ids."""
    positions = uow.stock_positions.lock([(c.site_id, c.item_id) for c in changes])
    movements: list[StockMovement] = []
    touched: set[tuple[int, int]] = set()
    for change in changes:
        key = (change.site_id, change.item_id)
        if key not in positions:
            raise NotFound(f"site {change.site_id} not found")
        before = positions[key]
        after = _changed(before, change)
        _check(uow, before, after, change)
        positions[key] = after
        touched.add(key)
        if change.on_hand != ZERO:
            movements.append(_movement(after, change, at, user_id))
    uow.stock_positions.update_many([positions[key] for key in sorted(touched)])
    return [uow.stock_movements.add(movement) for movement in movements]  # with their ids


def _changed(position: StockPosition, change: StockChange) -> StockPosition:
    return replace(
        position,
        on_hand=position.on_hand + change.on_hand,
        allocated=position.allocated + change.allocated,
        in_transit=position.in_transit + change.in_transit,
        version=position.version + 1,
    )


def _check(uow: UnitOfWork, before: StockPosition, after: StockPosition, c: StockChange) -> None:
    if c.on_hand != ZERO:
        if c.kind is None:
            raise ValueError("a change of on-hand needs a movement kind")
        direction = c.kind.direction
        if direction and (c.on_hand > 0) != (direction > 0):
            raise ValidationFailed(f"a {c.kind.value} cannot have quantity {c.on_hand}")
    if after.allocated < 0 or after.in_transit < 0:
        raise ValidationFailed(
            f"allocated and in transit cannot go below zero (item {c.item_id}, site {c.site_id})"
        )
    if after.available >= 0 and after.on_hand >= 0:
        return
    if after.available >= before.available and after.on_hand >= before.on_hand:
        return  # the change does not make an existing shortfall worse
    site = uow.sites.get(c.site_id)
    if site is not None and site.allows_backorders:
        return
    needed = before.available - after.available
    raise InsufficientStock(
        f"only {before.available} of item {c.item_id} available at site {c.site_id}, "
        f"{needed} needed",
        violations=[Violation(f"item {c.item_id} at site {c.site_id}", "insufficient stock")],
    )


def _movement(
    position: StockPosition, change: StockChange, at: datetime, user_id: int | None
) -> StockMovement:
    assert change.kind is not None
    return StockMovement(
        0,
        position.network_id,
        position.owner_member_id,
        change.site_id,
        change.item_id,
        change.kind,
        change.on_hand,
        at,
        change.lot,
        change.reference,
        change.note,
        user_id,
    )


def allocate_stock(
    uow: UnitOfWork, site_id: int, item_id: int, quantity: Decimal, reference: str, at: datetime
) -> Allocation:
    """Reserve ``quantity`` for ``reference``; :class:`InsufficientStock` if not available."""
    quantity = positive_quantity(quantity, "quantity to allocate")
    apply_stock_changes(uow, [StockChange(site_id, item_id, allocated=quantity)], at)
    position = uow.stock_positions.lock([(site_id, item_id)])[(site_id, item_id)]
    return uow.allocations.add(
        Allocation(
            0,
            position.network_id,
            position.owner_member_id,
            site_id,
            item_id,
            quantity,
            reference,
            AllocationStatus.OPEN,
            at,
        )
    )


def _locked(uow: UnitOfWork, allocation: Allocation) -> Allocation:
    """The allocation as stored, read after locking its position: a concurrent release or issue
    of the same allocation has committed by then, so its status is never acted on twice."""
    uow.stock_positions.lock([(allocation.site_id, allocation.item_id)])
    current = uow.allocations.get(allocation.id)
    if current is None:
        raise NotFound(f"allocation {allocation.id} not found")
    return current


def release_allocation(uow: UnitOfWork, allocation: Allocation, at: datetime) -> Allocation:
    """Give reserved stock back to available."""
    allocation = _locked(uow, allocation)
    if allocation.status is not AllocationStatus.OPEN:
        return allocation
    change = StockChange(allocation.site_id, allocation.item_id, allocated=-allocation.quantity)
    apply_stock_changes(uow, [change], at)
    released = replace(allocation, status=AllocationStatus.RELEASED)
    uow.allocations.update(released)
    return released


def issue_allocation(
    uow: UnitOfWork,
    allocation: Allocation,
    kind: MovementKind,
    at: datetime,
    user_id: int | None = None,
) -> StockMovement:
    """Take reserved stock out of the site (shipping what was allocated)."""
    allocation = _locked(uow, allocation)
    if allocation.status is not AllocationStatus.OPEN:
        raise ValidationFailed(f"allocation {allocation.id} is {allocation.status.value}")
    change = StockChange(
        allocation.site_id,
        allocation.item_id,
        on_hand=-allocation.quantity,
        allocated=-allocation.quantity,
        kind=kind,
        reference=allocation.reference,
    )
    (movement,) = apply_stock_changes(uow, [change], at, user_id)
    uow.allocations.update(replace(allocation, status=AllocationStatus.CONSUMED))
    return movement


def checked_quantity(quantity: Decimal, what: str) -> Decimal:
    try:
        return to_quantity(quantity)
    except ValueError as error:
        raise ValidationFailed(f"{what}: {error}") from error


def positive_quantity(quantity: Decimal, what: str) -> Decimal:
    value = checked_quantity(quantity, what)
    if value <= 0:
        raise ValidationFailed(f"{what} must be positive (got {value})")
    return value
