"""Concurrent writers of one document of the flows, on PostgreSQL (never skipped: the
``postgres_url`` fixture fails without a server): the row locks of the invoice and of the order
queue them, so no update is lost and no quantity or amount is used twice.

Each race is made deterministic: during the race, every read of an invoice or an order (purchase
or customer order) waits a
moment after it returns. A writer that read without locking would then always overlap the other
one (both pass the check, both write); a writer that locked makes the other wait for its commit
and read what it wrote.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Self

import pytest
from sqlalchemy.engine import Engine

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.customers import CustomerOrderStatus
from tandem.domain.errors import InvoiceExceedsShipped, PaymentExceedsOpenAmount
from tandem.domain.finance import InvoiceStatus, MatchStatus, Payment
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.inventory import MovementKind
from tandem.domain.orders import ChangeKind, LineChange, OrderEventKind, OrderStatus
from tandem.services import (
    customer_orders,
    customers,
    finance,
    inventory,
    invoices,
    payments,
    receipts,
    shipments,
    transfer,
)
from tandem.services import purchase_orders as po
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.invoices import InvoiceDetail, InvoiceLineInput, IssueInvoice
from tandem.services.ports import UnitOfWork
from tandem.services.shipments import ShipGoods, ShipLine, ShipmentDetail
from tests.integration.race_support import PAUSE, SlowReads, race
from tests.support import small_snapshot

pytestmark = pytest.mark.postgres

SLOW_REPOSITORIES = ("invoices", "purchase_orders", "customer_orders")


class _SlowUnitOfWork(SqlUnitOfWork):
    def __enter__(self) -> Self:
        super().__enter__()
        for name in SLOW_REPOSITORIES:
            setattr(self, name, SlowReads(getattr(self, name)))
        return self


@dataclass(frozen=True)
class Flow:
    ctx: ServiceContext  # for setting up and checking
    racing: ServiceContext  # the same database, reads of invoices and orders slowed
    engine: Engine
    roaster: Principal
    cafe: Principal
    sites: dict[str, int]
    items: dict[str, int]


def _flow(engine: Engine) -> Flow:
    def plain() -> UnitOfWork:
        return SqlUnitOfWork(engine)  # type: ignore[return-value]

    def slow() -> UnitOfWork:
        return _SlowUnitOfWork(engine)  # type: ignore[return-value]

    clock, hasher = FixedClock(), PlainPasswordHasher()
    ctx = ServiceContext(plain, clock, hasher)
    network_id = transfer.import_snapshot(ctx, small_snapshot()).network_id
    with ctx.uow() as uow:
        members = {m.code: m.id for m in uow.members.find(network_id=network_id)}
        sites = {s.code: s.id for s in uow.sites.find(network_id=network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=network_id)}
    roaster = Principal(members["ROAST"], network_id, "roaster", ALL_SCOPES)
    cafe = Principal(members["CAFE"], network_id, "cafe", ALL_SCOPES)
    stock = inventory.RecordMovement(
        sites["PLANT"], items["BLEND"], MovementKind.RECEIPT, Decimal(500)
    )
    inventory.record_movement(ctx, roaster, stock)
    return Flow(ctx, ServiceContext(slow, clock, hasher), engine, roaster, cafe, sites, items)


def _acknowledged(flow: Flow, quantity: int = 100) -> tuple[int, int]:
    """An order of CAFE from ROAST, created, submitted and acknowledged through the services
    (history versions 1..3): its id and its line's id."""
    line = po.OrderLineInput(flow.items["BLEND"], Decimal(quantity), 1250, date(2026, 11, 25))
    command = po.CreatePurchaseOrder(flow.roaster.member_id, flow.sites["CAFE-1"], (line,))
    view = po.create_order(flow.ctx, flow.cafe, command)
    po.submit_order(flow.ctx, flow.cafe, view.order.id)
    ack = po.AcknowledgeOrder(ship_from_site_id=flow.sites["PLANT"])
    po.acknowledge_order(flow.ctx, flow.roaster, view.order.id, ack)
    return view.order.id, view.lines[0].id


def _shipped_and_received(flow: Flow, quantity: int = 80) -> tuple[int, int]:
    order_id, line_id = _acknowledged(flow, quantity)
    command = ShipGoods(order_id, (ShipLine(line_id, Decimal(quantity)),))
    shipment = shipments.ship(flow.ctx, flow.roaster, command).shipment
    receipts.receive(flow.ctx, flow.cafe, receipts.ReceiveShipment(shipment.id))
    return order_id, line_id


def _of(outcomes: list[Any], kind: type) -> list[Any]:
    return [o for o in outcomes if isinstance(o, kind)]


def test_two_payments_of_the_whole_open_amount_pay_once(migrated_engine: Engine) -> None:
    flow = _flow(migrated_engine)
    order_id, line_id = _shipped_and_received(flow)
    issue = IssueInvoice(order_id, (InvoiceLineInput(line_id, Decimal(80)),))
    invoice = invoices.issue_invoice(flow.ctx, flow.roaster, issue).invoice
    assert (invoice.match_status, invoice.open_minor) == (MatchStatus.MATCHED, 100000)
    whole = payments.PayInvoice(invoice.id, invoice.open_minor, "all of it")

    outcomes = race(
        lambda: payments.pay_invoice(flow.racing, flow.cafe, whole),
        lambda: payments.pay_invoice(flow.racing, flow.cafe, whole),
    )

    paid, refused = _of(outcomes, Payment), _of(outcomes, PaymentExceedsOpenAmount)
    assert (len(paid), len(refused)) == (1, 1), outcomes
    assert refused[0].code == "payment_exceeds_open_amount"
    after = invoices.get_invoice(flow.ctx, flow.cafe, invoice.id)
    assert (after.invoice.paid_minor, after.invoice.open_minor, after.invoice.status) == (
        invoice.total_minor,
        0,
        InvoiceStatus.PAID,
    )
    assert after.payments == tuple(paid)
    for who in (flow.roaster, flow.cafe):
        assert finance.verify_money_ledger(flow.ctx, who).problems == ()
    with flow.ctx.uow() as uow:
        assert (uow.payments.count(), uow.journal_entries.count()) == (1, 2)


def test_two_invoices_of_one_shipped_quantity_issue_one(migrated_engine: Engine) -> None:
    flow = _flow(migrated_engine)
    order_id, line_id = _shipped_and_received(flow)
    before = po.get_order(flow.ctx, flow.cafe, order_id).order.version
    issue = IssueInvoice(order_id, (InvoiceLineInput(line_id, Decimal(80)),))

    outcomes = race(
        lambda: invoices.issue_invoice(flow.racing, flow.roaster, issue),
        lambda: invoices.issue_invoice(flow.racing, flow.roaster, issue),
    )

    issued, refused = _of(outcomes, InvoiceDetail), _of(outcomes, InvoiceExceedsShipped)
    assert (len(issued), len(refused)) == (1, 1), outcomes
    view = po.get_order(flow.ctx, flow.cafe, order_id)
    assert (view.lines[0].invoiced_quantity, view.order.version) == (Decimal(80), before + 1)
    listed = invoices.list_invoices(flow.ctx, flow.cafe, PageRequest()).items
    assert [i.id for i in listed] == [issued[0].invoice.id]
    assert _versions(flow, order_id) == list(range(1, before + 2))
    for who in (flow.roaster, flow.cafe):
        assert finance.verify_money_ledger(flow.ctx, who).problems == ()
    with flow.ctx.uow() as uow:
        assert (uow.invoices.count(), uow.invoice_lines.count()) == (1, 1)
        assert uow.journal_entries.count() == 1


def _versions(flow: Flow, order_id: int) -> list[int]:
    return [e.version for e in po.order_history(flow.ctx, flow.cafe, order_id)]


def test_a_change_request_and_a_shipment_of_one_order_both_count(migrated_engine: Engine) -> None:
    flow = _flow(migrated_engine)
    order_id, line_id = _acknowledged(flow)
    change = po.RequestChange(ChangeKind.CHANGE, (LineChange(1, quantity=Decimal(90)),), "less")
    command = ShipGoods(order_id, (ShipLine(line_id, Decimal(50)),))

    outcomes = race(
        lambda: po.request_change(flow.racing, flow.cafe, order_id, change),
        lambda: shipments.ship(flow.racing, flow.roaster, command),
    )

    assert isinstance(outcomes[0], po.ChangeOutcome), outcomes
    assert isinstance(outcomes[1], ShipmentDetail), outcomes
    view = po.get_order(flow.ctx, flow.roaster, order_id)
    events = po.order_history(flow.ctx, flow.roaster, order_id)
    assert [e.version for e in events] == [1, 2, 3, 4, 5]
    assert view.order.version == len(events) == 1 + len(events[1:])
    assert sorted(e.kind for e in events[3:]) == sorted(
        [OrderEventKind.CHANGE_REQUESTED, OrderEventKind.SHIPPED]
    )
    assert view.order.status is OrderStatus.PARTIALLY_SHIPPED
    assert view.lines[0].shipped_quantity == Decimal(50)
    assert view.pending_change is not None
    assert view.pending_change.id == outcomes[0].change.id
    assert events == po.order_history(flow.ctx, flow.cafe, order_id)


def test_a_receipt_and_a_shipment_of_one_order_do_not_deadlock(migrated_engine: Engine) -> None:
    """Shipping locks the order, then the positions; receiving must take the same order (the
    shipment, its order, then the positions). The shipper holds the order a moment while the
    receipt starts: with the receipt taking the positions first, PostgreSQL found a deadlock and
    aborted one of the two."""
    flow = _flow(migrated_engine)
    order_id, line_id = _acknowledged(flow)
    first = ShipGoods(order_id, (ShipLine(line_id, Decimal(50)),))
    shipment = shipments.ship(flow.ctx, flow.roaster, first).shipment
    second = ShipGoods(order_id, (ShipLine(line_id, Decimal(30)),))

    def receive_a_moment_later() -> Any:
        time.sleep(PAUSE / 3)  # the shipper has the order by now
        return receipts.receive(flow.racing, flow.cafe, receipts.ReceiveShipment(shipment.id))

    outcomes = race(
        lambda: shipments.ship(flow.racing, flow.roaster, second),
        receive_a_moment_later,
    )

    assert isinstance(outcomes[0], ShipmentDetail), outcomes
    assert isinstance(outcomes[1], receipts.ReceiptDetail), outcomes
    page = inventory.list_positions(flow.ctx, flow.cafe, PageRequest())
    cafe = [(p.on_hand, p.in_transit) for p in page.items if p.site_id == flow.sites["CAFE-1"]]
    assert cafe == [(Decimal(50), Decimal(30))]
    view = po.get_order(flow.ctx, flow.cafe, order_id)
    assert (view.lines[0].shipped_quantity, view.lines[0].received_quantity) == (80, 50)
    assert [e.version for e in po.order_history(flow.ctx, flow.cafe, order_id)] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_two_shipments_of_one_customer_order_ship_it_once(migrated_engine: Engine) -> None:
    flow = _flow(migrated_engine)
    plant, blend = flow.sites["PLANT"], flow.items["BLEND"]
    customer = customers.add_customer(
        flow.ctx, flow.roaster, customers.CustomerFields("SHOP", "Shop")
    )
    line = customer_orders.OrderLineInput(blend, Decimal(10), date(2026, 11, 25), 2400)
    command = customer_orders.CreateCustomerOrder(customer.id, plant, (line,))
    order_id = customer_orders.create_order(flow.ctx, flow.roaster, command).order.id
    customer_orders.promise_order(flow.ctx, flow.roaster, order_id)

    outcomes = race(
        lambda: customer_orders.ship_order(flow.racing, flow.roaster, order_id),
        lambda: customer_orders.ship_order(flow.racing, flow.roaster, order_id),
    )

    view = customer_orders.get_order(flow.ctx, flow.roaster, order_id)
    assert (view.order.status, view.lines[0].line.shipped_quantity) == (
        CustomerOrderStatus.SHIPPED,
        Decimal(10),
    )
    with flow.ctx.uow() as uow:
        (position,) = uow.stock_positions.find(site_id=plant, item_id=blend)
    assert (position.on_hand, position.allocated) == (Decimal(490), Decimal(0)), outcomes
    assert len(_of(outcomes, customer_orders.CustomerOrderView)) == 1, outcomes
