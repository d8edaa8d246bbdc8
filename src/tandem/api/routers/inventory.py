"""The inventory ledger: positions and movements (own, and partners' granted under
``inventory_positions``), stock movements and transfers at your own sites, lots, reservations
and the conservation check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.inventory import (
    AllocationIn,
    AllocationOut,
    LedgerCheckOut,
    LotsOut,
    MovementIn,
    StockMovementOut,
    StockPositionOut,
    TransferIn,
    TransferOut,
)
from tandem.services import inventory

router = APIRouter(prefix="/inventory", tags=["inventory"])

SiteFilter = Annotated[Id | None, Query(description="Only this site.")]
ItemFilter = Annotated[Id | None, Query(description="Only this item.")]


@router.get("/positions", name="list_stock_positions")
def list_stock_positions(
    services: Services,
    caller: Caller,
    page: Paging,
    site_id: SiteFilter = None,
    item_id: ItemFilter = None,
) -> PageOut[StockPositionOut]:
    """Your stock positions and those partners granted you; partner reads are audited."""
    found = inventory.list_positions(services, caller, page, site_id, item_id)
    return PageOut[StockPositionOut].of(found)


@router.get("/positions/{position_id}", name="get_stock_position")
def get_stock_position(services: Services, caller: Caller, position_id: Id) -> StockPositionOut:
    return StockPositionOut.model_validate(inventory.get_position(services, caller, position_id))


@router.get("/movements", name="list_stock_movements")
def list_stock_movements(
    services: Services,
    caller: Caller,
    page: Paging,
    site_id: SiteFilter = None,
    item_id: ItemFilter = None,
) -> PageOut[StockMovementOut]:
    """The ledger: your movements and those partners granted you, in the order recorded."""
    found = inventory.list_movements(services, caller, page, site_id, item_id)
    return PageOut[StockMovementOut].of(found)


@router.get("/movements/{movement_id}", name="get_stock_movement")
def get_stock_movement(services: Services, caller: Caller, movement_id: Id) -> StockMovementOut:
    return StockMovementOut.model_validate(inventory.get_movement(services, caller, movement_id))


@router.post("/movements", name="record_stock_movement", status_code=201)
def record_stock_movement(
    services: Services, caller: Caller, body: MovementIn, request: Request, response: Response
) -> StockMovementOut:
    """Record a receipt, issue, consumption or adjustment at one of your sites.

    Stock that would leave less than nothing available is refused with 409
    ``insufficient_stock`` (unless the site allows backorders) and nothing is written.
    """
    movement = inventory.record_movement(services, caller, body.command())
    created(request, response, "get_stock_movement", movement_id=movement.id)
    return StockMovementOut.model_validate(movement)


@router.post("/transfers", name="transfer_stock", status_code=201)
def transfer_stock(services: Services, caller: Caller, body: TransferIn) -> TransferOut:
    """Move stock between two of your sites: a ``transfer_out`` and a ``transfer_in``."""
    out, into = inventory.transfer_stock(services, caller, body.command())
    return TransferOut.model_validate({"transfer_out": out, "transfer_in": into})


@router.get("/lots", name="list_stock_lots")
def list_stock_lots(
    services: Services,
    caller: Caller,
    site_id: Annotated[Id, Query()],
    item_id: Annotated[Id, Query()],
) -> LotsOut:
    """On hand per lot of one item at one site (yours, or a partner's you were granted)."""
    return LotsOut.of(site_id, item_id, inventory.lot_balances(services, caller, site_id, item_id))


@router.get("/ledger-check", name="check_stock_ledger")
def check_stock_ledger(services: Services, caller: Caller) -> LedgerCheckOut:
    """Conservation of your ledger: on hand equals the sum of movements, allocated the sum of
    open allocations, for every position."""
    return LedgerCheckOut.of(inventory.verify_ledger(services, caller))


@router.post("/allocations", name="allocate_stock", status_code=201)
def allocate_stock(
    services: Services, caller: Caller, body: AllocationIn, request: Request, response: Response
) -> AllocationOut:
    """Reserve available stock at one of your sites; 409 ``insufficient_stock`` if short."""
    allocation = inventory.reserve_stock(services, caller, body.command())
    created(request, response, "get_stock_allocation", allocation_id=allocation.id)
    return AllocationOut.model_validate(allocation)


@router.get("/allocations/{allocation_id}", name="get_stock_allocation")
def get_stock_allocation(services: Services, caller: Caller, allocation_id: Id) -> AllocationOut:
    return AllocationOut.model_validate(inventory.get_reservation(services, caller, allocation_id))


@router.post("/allocations/{allocation_id}/release", name="release_stock_allocation")
def release_stock_allocation(
    services: Services, caller: Caller, allocation_id: Id
) -> AllocationOut:
    """Give a reservation's stock back to available (again: no further change)."""
    released = inventory.release_reservation(services, caller, allocation_id)
    return AllocationOut.model_validate(released)
