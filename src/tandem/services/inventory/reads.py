"""Reads of positions, movements and lots (own and granted), and the conservation check."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from tandem.domain.identity import Principal, Scope
from tandem.domain.inventory import (
    AllocationStatus,
    StockMovement,
    StockPosition,
)
from tandem.domain.quantities import ZERO
from tandem.domain.sharing import AuditEntry, DataCategory
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.inventory.ledger import FIELDS
from tandem.services.ports import UnitOfWork
from tandem.services.sharing import read_one_scoped, read_scoped, scope_for


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
