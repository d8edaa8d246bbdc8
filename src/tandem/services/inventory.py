"""Use cases of the inventory ledger.

Every change of stock goes through :func:`apply_stock_changes`: it locks the positions touched
(in site, item order), checks that available stock stays non-negative unless the site allows
backorders, writes one ledger movement per change of on-hand, and updates the positions, all in
the caller's unit of work. Other contexts (customer orders, shipments, receipts) call it inside
their own transaction, so a document and its stock effect commit or fail together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from tandem.domain.errors import (
    InsufficientStock,
    InvalidTransition,
    NotFound,
    ValidationFailed,
    Violation,
)
from tandem.domain.identity import Principal, Scope
from tandem.domain.inventory import (
    Allocation,
    AllocationStatus,
    MovementKind,
    StockMovement,
    StockPosition,
)
from tandem.domain.quantities import ZERO, to_quantity
from tandem.domain.sharing import AuditEntry, DataCategory
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.ports import UnitOfWork
from tandem.services.sharing import read_one_scoped, read_scoped, scope_for

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
    quantity = _positive(quantity, "quantity to allocate")
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


# ---------------------------------------------------------------- use cases


@dataclass(frozen=True)
class RecordMovement:
    """A movement entered by hand or by an ERP: positive quantities except for adjustments,
    which are signed."""

    site_id: int
    item_id: int
    kind: MovementKind
    quantity: Decimal
    lot: str = ""
    reference: str = ""
    note: str = ""


@dataclass(frozen=True)
class TransferStock:
    from_site_id: int
    to_site_id: int
    item_id: int
    quantity: Decimal
    lot: str = ""
    reference: str = ""


def _own_site_and_item(uow: UnitOfWork, principal: Principal, site_id: int, item_id: int) -> None:
    site = uow.sites.get(site_id)
    if site is None or site.network_id != principal.network_id:
        raise NotFound(f"site {site_id} not found")
    principal.require_owner(site.member_id, "site's stock")
    item = uow.items.get(item_id)
    if item is None or item.network_id != principal.network_id:
        raise NotFound(f"item {item_id} not found")


def _quantity(quantity: Decimal, what: str) -> Decimal:
    try:
        return to_quantity(quantity)
    except ValueError as error:
        raise ValidationFailed(f"{what}: {error}") from error


def _positive(quantity: Decimal, what: str) -> Decimal:
    value = _quantity(quantity, what)
    if value <= 0:
        raise ValidationFailed(f"{what} must be positive (got {value})")
    return value


def record_movement(
    ctx: ServiceContext, principal: Principal, command: RecordMovement
) -> StockMovement:
    principal.require(Scope.DATA_WRITE)
    if command.kind in (MovementKind.TRANSFER_IN, MovementKind.TRANSFER_OUT):
        raise ValidationFailed("record a transfer with both sites (transfer_stock)")
    if command.kind is MovementKind.ADJUSTMENT:
        signed = _quantity(command.quantity, "quantity")
        if signed == 0:
            raise ValidationFailed("an adjustment must change the stock")
    else:
        signed = _positive(command.quantity, "quantity") * command.kind.direction
    with ctx.uow() as uow:
        _own_site_and_item(uow, principal, command.site_id, command.item_id)
        change = StockChange(
            command.site_id,
            command.item_id,
            on_hand=signed,
            kind=command.kind,
            reference=command.reference,
            lot=command.lot,
            note=command.note,
        )
        (movement,) = apply_stock_changes(uow, [change], ctx.clock.now(), principal.user_id)
        uow.commit()
    return movement


def transfer_stock(
    ctx: ServiceContext, principal: Principal, command: TransferStock
) -> tuple[StockMovement, StockMovement]:
    """Move stock between two of the caller's own sites (out of one, into the other)."""
    principal.require(Scope.DATA_WRITE)
    quantity = _positive(command.quantity, "quantity")
    if command.from_site_id == command.to_site_id:
        raise ValidationFailed("a transfer needs two different sites")
    with ctx.uow() as uow:
        _own_site_and_item(uow, principal, command.from_site_id, command.item_id)
        _own_site_and_item(uow, principal, command.to_site_id, command.item_id)
        reference = command.reference or f"transfer:{command.from_site_id}>{command.to_site_id}"
        out, into = apply_stock_changes(
            uow,
            [
                StockChange(
                    command.from_site_id,
                    command.item_id,
                    on_hand=-quantity,
                    kind=MovementKind.TRANSFER_OUT,
                    reference=reference,
                    lot=command.lot,
                ),
                StockChange(
                    command.to_site_id,
                    command.item_id,
                    on_hand=quantity,
                    kind=MovementKind.TRANSFER_IN,
                    reference=reference,
                    lot=command.lot,
                ),
            ],
            ctx.clock.now(),
            principal.user_id,
        )
        uow.commit()
    return out, into


def list_positions(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    site_id: int | None = None,
    item_id: int | None = None,
) -> Page[StockPosition]:
    """Own positions and partners' positions granted as ``inventory_positions``."""
    equals = {k: v for k, v in (("site_id", site_id), ("item_id", item_id)) if v is not None}
    return read_scoped(
        ctx,
        principal,
        DataCategory.INVENTORY_POSITIONS,
        lambda u: u.stock_positions,
        FIELDS,
        page,
        "inventory positions",
        **equals,
    )


def get_position(ctx: ServiceContext, principal: Principal, position_id: int) -> StockPosition:
    return read_one_scoped(
        ctx,
        principal,
        DataCategory.INVENTORY_POSITIONS,
        lambda u: u.stock_positions,
        FIELDS,
        position_id,
        "inventory position",
    )


def list_movements(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    site_id: int | None = None,
    item_id: int | None = None,
) -> Page[StockMovement]:
    equals = {k: v for k, v in (("site_id", site_id), ("item_id", item_id)) if v is not None}
    return read_scoped(
        ctx,
        principal,
        DataCategory.INVENTORY_POSITIONS,
        lambda u: u.stock_movements,
        FIELDS,
        page,
        "stock movements",
        **equals,
    )


def get_movement(ctx: ServiceContext, principal: Principal, movement_id: int) -> StockMovement:
    return read_one_scoped(
        ctx,
        principal,
        DataCategory.INVENTORY_POSITIONS,
        lambda u: u.stock_movements,
        FIELDS,
        movement_id,
        "stock movement",
    )


def lot_balances(
    ctx: ServiceContext, principal: Principal, site_id: int, item_id: int
) -> dict[str, Decimal]:
    """On-hand per lot (``""`` for stock without a lot) of one item at one site; a partner's
    movements are read through a grant and audited like every partner read."""
    principal.require(Scope.DATA_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        scope = scope_for(uow, principal, DataCategory.INVENTORY_POSITIONS, now)
        rows = uow.stock_movements.find_scoped(scope, site_id=site_id, item_id=item_id)
        owner = rows[0].owner_member_id if rows else principal.member_id
        rule = scope.rule_for(owner, item_id, site_id)
        if owner != principal.member_id and rule is not None:
            uow.audit.add(
                AuditEntry(
                    0,
                    principal.network_id,
                    rule.grant_id,
                    owner,
                    principal.member_id,
                    principal.label,
                    scope.category,
                    f"stock lots site_id={site_id} item_id={item_id}",
                    len(rows),
                    now,
                )
            )
        uow.commit()
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        totals[row.lot] += row.quantity
    return {lot: total for lot, total in sorted(totals.items()) if total != 0}


@dataclass(frozen=True)
class LedgerCheck:
    positions: int
    movements: int
    mismatches: tuple[str, ...]


def verify_ledger(ctx: ServiceContext, principal: Principal) -> LedgerCheck:
    """Conservation of the caller's ledger: every position's on-hand equals the sum of its
    movements, and its allocated stock the sum of its open allocations (a movement or open
    allocation without a position counts against a position of zero)."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        return _check_ledger(uow, principal.member_id)


@dataclass(frozen=True)
class MemberLedgerCheck:
    network_code: str
    member_code: str
    check: LedgerCheck


def verify_all_ledgers(ctx: ServiceContext) -> list[MemberLedgerCheck]:
    """The operator's check (``tandem inventory verify``): every member of every network."""
    with ctx.uow() as uow:
        networks = {n.id: n.code for n in uow.networks.find()}
        return [
            MemberLedgerCheck(networks[m.network_id], m.code, _check_ledger(uow, m.id))
            for m in uow.members.find()
        ]


def _check_ledger(uow: UnitOfWork, member_id: int) -> LedgerCheck:
    positions = uow.stock_positions.find(owner_member_id=member_id)
    movements = uow.stock_movements.find(owner_member_id=member_id)
    allocations = uow.allocations.find(owner_member_id=member_id, status=AllocationStatus.OPEN)
    stored = {(p.site_id, p.item_id): p for p in positions}
    on_hand: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for m in movements:
        on_hand[(m.site_id, m.item_id)] += m.quantity
    allocated: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for a in allocations:
        allocated[(a.site_id, a.item_id)] += a.quantity
    mismatches = []
    for key in sorted({*stored, *on_hand, *allocated}):
        p = stored.get(key)
        held = (p.on_hand, p.allocated) if p is not None else (ZERO, ZERO)
        if held != (on_hand[key], allocated[key]):
            mismatches.append(
                f"site {key[0]} item {key[1]}: on hand {held[0]} vs ledger "
                f"{on_hand[key]}, allocated {held[1]} vs {allocated[key]}"
            )
    return LedgerCheck(len(positions), len(movements), tuple(mismatches))


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
