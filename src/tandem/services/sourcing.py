"""Supplier offers: what a supplier offers the buyer for one item, kept by the buyer.

The buyer creates, changes and deletes its offers and reads them; nobody else sees them. MRP
uses the best valid offer of a purchased item (:func:`tandem.domain.sourcing.best_offer`) for its
lead time and lot-size modifiers, procurement for the supplier and the price break reached.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tandem.domain.errors import NotFound, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import raise_if
from tandem.domain.sourcing import SupplierOffer, offer_violations
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.ports import UnitOfWork

__all__ = ["create_offer", "delete_offer", "get_offer", "list_offers", "update_offer"]


def _reference_violations(
    uow: UnitOfWork, principal: Principal, offer: SupplierOffer
) -> list[Violation]:
    found: list[Violation] = []
    supplier = uow.members.get(offer.supplier_member_id)
    if supplier is None or supplier.network_id != principal.network_id:
        message = f"member {offer.supplier_member_id} is not a member of this network"
        found.append(Violation("supplier_offer", message, "supplier_member_id"))
    item = uow.items.get(offer.item_id)
    if item is None or item.network_id != principal.network_id:
        message = f"item {offer.item_id} does not exist"
        found.append(Violation("supplier_offer", message, "item_id"))
    if offer.ship_from_site_id is not None:
        site = uow.sites.get(offer.ship_from_site_id)
        if site is None or site.member_id != offer.supplier_member_id:
            message = f"site {offer.ship_from_site_id} is not a site of the supplier"
            found.append(Violation("supplier_offer", message, "ship_from_site_id"))
    return found


def _check(uow: UnitOfWork, principal: Principal, offer: SupplierOffer) -> None:
    found = offer_violations(offer) + _reference_violations(uow, principal, offer)
    raise_if(found, "invalid supplier offer")


def create_offer(ctx: ServiceContext, principal: Principal, offer: SupplierOffer) -> SupplierOffer:
    """Record an offer of the caller's member as buyer (``id``, ``network_id`` and
    ``buyer_member_id`` of ``offer`` are ignored)."""
    principal.require(Scope.DATA_WRITE)
    mine = replace(
        offer, id=0, network_id=principal.network_id, buyer_member_id=principal.member_id
    )
    with ctx.uow() as uow:
        _check(uow, principal, mine)
        stored = uow.supplier_offers.add(mine)
        uow.commit()
    return stored


def _own(uow: UnitOfWork, principal: Principal, offer_id: int) -> SupplierOffer:
    offer = uow.supplier_offers.get(offer_id)
    if offer is None or offer.buyer_member_id != principal.member_id:
        raise NotFound(f"supplier offer {offer_id} not found")
    return offer


def get_offer(ctx: ServiceContext, principal: Principal, offer_id: int) -> SupplierOffer:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        return _own(uow, principal, offer_id)


def list_offers(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    item_id: int | None = None,
    supplier_member_id: int | None = None,
) -> Page[SupplierOffer]:
    """The caller's offers, optionally of one item or one supplier, in id order."""
    principal.require(Scope.DATA_READ)
    filters: dict[str, Any] = {"buyer_member_id": principal.member_id}
    if item_id is not None:
        filters["item_id"] = item_id
    if supplier_member_id is not None:
        filters["supplier_member_id"] = supplier_member_id
    with ctx.uow() as uow:
        rows = uow.supplier_offers.find(offset=page.offset, limit=page.limit, **filters)
        total = uow.supplier_offers.count(**filters)
    return Page(tuple(rows), total, page.offset, page.limit)


def update_offer(
    ctx: ServiceContext, principal: Principal, offer_id: int, offer: SupplierOffer
) -> SupplierOffer:
    """Replace every field of one of the caller's offers."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        existing = _own(uow, principal, offer_id)
        changed = replace(
            offer,
            id=existing.id,
            network_id=existing.network_id,
            buyer_member_id=existing.buyer_member_id,
        )
        _check(uow, principal, changed)
        uow.supplier_offers.update(changed)
        uow.commit()
    return changed


def delete_offer(ctx: ServiceContext, principal: Principal, offer_id: int) -> None:
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        _own(uow, principal, offer_id)
        uow.supplier_offers.delete(offer_id)
        uow.commit()
