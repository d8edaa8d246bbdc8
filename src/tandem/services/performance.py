"""Use cases of performance: supplier scorecards and cash-to-cash, computed from the flows.

Each use case loads the documents the caller may see, hands them to the pure engine
(:mod:`tandem.domain.performance`) and returns its frozen result; nothing is written.

Carrier members are scored on transport instead (tender acceptance, on-time pick-up and delivery):
:func:`carrier_scorecards`, from :mod:`tandem.services.logistics.performance`.

Who sees what: a scorecard is the shared data of a buyer and a seller, so either party of their
(non-draft) orders may read it and anybody else gets 404. A member's cash-to-cash is its own;
the network view of every member's is for network administrators.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from tandem.domain import performance as metrics
from tandem.domain.errors import NotFound
from tandem.domain.identity import Principal, Scope
from tandem.domain.orders import OrderStatus, PurchaseOrder
from tandem.domain.performance import (
    CashToCash,
    SupplierScorecard,
    SupplyRecord,
    Window,
    check_period,
    score_supplier,
    utc_day,
)
from tandem.domain.performance.carriers import CarrierScorecard
from tandem.services.context import ServiceContext
from tandem.services.logistics import performance as transport
from tandem.services.ports import Repository, UnitOfWork

E = TypeVar("E")

DEFAULT_WINDOW_DAYS = 90


# ---------------------------------------------------------------- supplier scorecards


def _orders(uow: UnitOfWork, network_id: int, **parties: Any) -> list[PurchaseOrder]:
    """The orders between the given parties that left draft (a draft is the buyer's alone)."""
    found = uow.purchase_orders.find(network_id=network_id, **parties)
    return [o for o in found if o.status is not OrderStatus.DRAFT]


def _record(uow: UnitOfWork, network_id: int, orders: list[PurchaseOrder]) -> SupplyRecord:
    """Every document of ``orders`` (all between one buyer and one seller)."""
    order_ids = {o.id for o in orders}
    shipments = [
        s for o in orders for s in uow.shipments.find(network_id=network_id, order_id=o.id)
    ]
    receipts = [r for s in shipments for r in uow.receipts.find(shipment_id=s.id)]
    invoices = [
        i
        for i in uow.invoices.find(
            network_id=network_id,
            buyer_member_id=orders[0].buyer_member_id,
            seller_member_id=orders[0].seller_member_id,
        )
        if i.order_id in order_ids
    ]
    return SupplyRecord(
        tuple(orders),
        _children(uow.purchase_order_lines, "order_id", orders),
        _children(uow.shipment_lines, "shipment_id", shipments),
        tuple(receipts),
        _children(uow.receipt_lines, "receipt_id", receipts),
        tuple(invoices),
        _children(uow.invoice_lines, "invoice_id", invoices),
    )


def _children(repository: Repository[E], key: str, parents: Sequence[Any]) -> tuple[E, ...]:
    """The lines of each of ``parents`` (one query per document: the repositories filter by
    equality only)."""
    return tuple(row for parent in parents for row in repository.find(**{key: parent.id}))


def supplier_scorecards(
    ctx: ServiceContext, principal: Principal, since: date, until: date
) -> tuple[SupplierScorecard, ...]:
    """A scorecard of each member the caller has ordered from, over ``[since, until)``, in
    order of the seller's id."""
    principal.require(Scope.DATA_READ)
    check_period(since, until)
    as_of = ctx.clock.now()
    with ctx.uow() as uow:
        orders = _orders(uow, principal.network_id, buyer_member_id=principal.member_id)
        sellers = sorted({o.seller_member_id for o in orders})
        records = {
            seller: _record(
                uow, principal.network_id, [o for o in orders if o.seller_member_id == seller]
            )
            for seller in sellers
        }
    return tuple(
        score_supplier(principal.member_id, seller, records[seller], since, until, as_of)
        for seller in sellers
    )


def supplier_scorecard(
    ctx: ServiceContext,
    principal: Principal,
    seller_member_id: int,
    since: date,
    until: date,
    buyer_member_id: int | None = None,
) -> SupplierScorecard:
    """The scorecard of ``seller_member_id`` as supplier of ``buyer_member_id`` (default: the
    caller). The caller must be the buyer or the seller of at least one of their orders;
    otherwise :class:`NotFound`, as if nothing existed."""
    principal.require(Scope.DATA_READ)
    check_period(since, until)
    buyer = principal.member_id if buyer_member_id is None else buyer_member_id
    as_of = ctx.clock.now()
    with ctx.uow() as uow:
        orders = []
        if principal.member_id in (buyer, seller_member_id):
            orders = _orders(
                uow,
                principal.network_id,
                buyer_member_id=buyer,
                seller_member_id=seller_member_id,
            )
        if not orders:
            raise NotFound(f"no scorecard of member {seller_member_id} for member {buyer}")
        record = _record(uow, principal.network_id, orders)
    return score_supplier(buyer, seller_member_id, record, since, until, as_of)


def carrier_scorecards(
    ctx: ServiceContext, principal: Principal, since: date, until: date
) -> tuple[CarrierScorecard, ...]:
    """A scorecard of each carrier the caller tendered loads to (or, for a carrier, of each
    shipper's view of it) over ``[since, until)``: tender acceptance, on-time pick-up and
    delivery."""
    return transport.carrier_scorecards(ctx, principal, since, until)


# ---------------------------------------------------------------- cash-to-cash


def _window(ctx: ServiceContext, as_of: date | None, days: int) -> Window:
    return Window(utc_day(ctx.clock.now()) if as_of is None else as_of, days)


def _cash_to_cash(
    uow: UnitOfWork, network_id: int, member_ids: list[int], window: Window
) -> tuple[CashToCash, ...]:
    unit_values = {i.id: i.unit_value for i in uow.items.find(network_id=network_id)}
    entries = uow.journal_entries.find(network_id=network_id)
    return tuple(
        metrics.cash_to_cash(
            member_id,
            window,
            uow.stock_movements.find(network_id=network_id, owner_member_id=member_id),
            unit_values,
            entries,
            uow.postings.find(member_id=member_id),
        )
        for member_id in member_ids
    )


def cash_to_cash(
    ctx: ServiceContext,
    principal: Principal,
    as_of: date | None = None,
    days: int = DEFAULT_WINDOW_DAYS,
) -> CashToCash:
    """The caller's member's cash conversion cycle over the ``days`` days ending with
    ``as_of`` (default: today, UTC)."""
    principal.require(Scope.DATA_READ)
    window = _window(ctx, as_of, days)
    with ctx.uow() as uow:
        (found,) = _cash_to_cash(uow, principal.network_id, [principal.member_id], window)
    return found


def cash_to_cash_by_member(
    ctx: ServiceContext,
    principal: Principal,
    as_of: date | None = None,
    days: int = DEFAULT_WINDOW_DAYS,
) -> tuple[CashToCash, ...]:
    """Every member's cash conversion cycle, in order of member id: where along the chain cash
    is tied up. For network administrators only."""
    principal.require(Scope.DATA_READ)
    principal.require_network_admin()
    window = _window(ctx, as_of, days)
    with ctx.uow() as uow:
        members = sorted(m.id for m in uow.members.find(network_id=principal.network_id))
        return _cash_to_cash(uow, principal.network_id, members, window)
