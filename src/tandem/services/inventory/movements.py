"""Movements entered by members and ERPs: receipts, issues, adjustments, transfers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tandem.domain.errors import (
    NotFound,
    ValidationFailed,
)
from tandem.domain.identity import Principal, Scope
from tandem.domain.inventory import (
    MovementKind,
    StockMovement,
)
from tandem.services.context import ServiceContext
from tandem.services.inventory.ledger import (
    StockChange,
    apply_stock_changes,
    checked_quantity,
    positive_quantity,
)
from tandem.services.ports import UnitOfWork

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


def record_movement(
    ctx: ServiceContext, principal: Principal, command: RecordMovement
) -> StockMovement:
    principal.require(Scope.DATA_WRITE)
    if command.kind in (MovementKind.TRANSFER_IN, MovementKind.TRANSFER_OUT):
        raise ValidationFailed("record a transfer with both sites (transfer_stock)")
    if command.kind is MovementKind.ADJUSTMENT:
        signed = checked_quantity(command.quantity, "quantity")
        if signed == 0:
            raise ValidationFailed("an adjustment must change the stock")
    else:
        signed = positive_quantity(command.quantity, "quantity") * command.kind.direction
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
    quantity = positive_quantity(command.quantity, "quantity")
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
