"""The whole chain on the in-memory world: procure-to-pay between CAFE (buyer) and ROAST
(seller), then order-to-cash from CAFE to one of its customers, with exact assertions at every
step and a third member (BEANS) that sees nothing of it.

The story: ROAST has 200 kg BLEND at PLANT. CAFE orders 100 kg at 12.50 for CAFE-1, ROAST
confirms 80 and ships them as 50 + 30. CAFE receives the 50 in full and of the 30 only 28, 2 of
them damaged (76 accepted). ROAST invoices the 80 shipped; the three-way match blocks it; ROAST
credits the 4 kg missing; CAFE releases the invoice and pays the rest in two parts, then closes
the order short. CAFE sells 10 kg to a customer from CAFE-1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from tests.support import World

from tandem.adapters.memory import FixedClock
from tandem.domain.customers import CustomerOrderStatus, PromiseSource
from tandem.domain.epcis import BizStep
from tandem.domain.errors import NotFound
from tandem.domain.finance import (
    Account,
    AgeingAmounts,
    AgeingSide,
    InvoiceStatus,
    MatchStatus,
)
from tandem.domain.identity import Principal
from tandem.domain.inventory import AllocationStatus, MovementKind, StockPosition
from tandem.domain.orders import OrderEventKind, OrderStatus
from tandem.domain.shipments import Discrepancy, ShipmentStatus
from tandem.services import (
    customer_orders,
    customers,
    epcis,
    finance,
    inventory,
    invoices,
    payments,
    performance,
    receipts,
    shipments,
)
from tandem.services import purchase_orders as po
from tandem.services.context import PageRequest
from tandem.services.invoices import InvoiceLineInput, IssueInvoice
from tandem.services.payments import IssueCreditNote, PayInvoice
from tandem.services.receipts import ReceiveLine, ReceiveShipment
from tandem.services.shipments import ShipGoods, ShipLine

START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
REQUESTED = date(2026, 11, 25)
CONFIRMED = date(2026, 11, 24)
PRICE = 1250
PAGE = PageRequest(limit=1000)


@dataclass(frozen=True)
class Ids:
    members: dict[str, int]
    sites: dict[str, int]
    items: dict[str, int]


def ids_of(world: World) -> Ids:
    with world.ctx.uow() as uow:
        return Ids(
            {m.code: m.id for m in uow.members.find(network_id=world.network_id)},
            {s.code: s.id for s in uow.sites.find(network_id=world.network_id)},
            {i.sku: i.id for i in uow.items.find(network_id=world.network_id)},
        )


def position(world: World, site_id: int, item_id: int) -> StockPosition:
    with world.ctx.uow() as uow:
        (found,) = uow.stock_positions.find(site_id=site_id, item_id=item_id)
    return found


def stock(world: World, site_id: int, item_id: int) -> tuple[Decimal, Decimal, Decimal]:
    """On hand, allocated and in transit of one position."""
    p = position(world, site_id, item_id)
    return p.on_hand, p.allocated, p.in_transit


def q(text: str) -> Decimal:
    return Decimal(text).quantize(Decimal("0.001"))


def balances(world: World, who: Principal) -> dict[Account, tuple[int, int]]:
    trial = finance.trial_balance(world.ctx, who)
    assert trial.debit_minor == trial.credit_minor
    assert trial.currency == "EUR"
    return {a.account: (a.debit_minor, a.credit_minor) for a in trial.accounts}


def history(world: World, who: Principal, order_id: int) -> list[tuple[int, str, int, Any]]:
    """(version, kind, actor member, status change) of every event of the order."""
    return [
        (e.version, e.kind.value, e.actor_member_id, e.detail.get("status"))
        for e in po.order_history(world.ctx, who, order_id)
    ]


def steps(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(e["type"], e["bizStep"], e["disposition"]) for e in document["epcisBody"]["eventList"]]


def assert_sees_nothing(world: World, who: Principal, documents: dict[str, int]) -> None:
    """``who`` gets NotFound for every document, and none of them in a list."""
    ctx = world.ctx
    lookups: dict[str, Callable[[], object]] = {
        "order": lambda: po.get_order(ctx, who, documents["order"]),
        "history": lambda: po.order_history(ctx, who, documents["order"]),
        "change requests": lambda: po.list_change_requests(ctx, who, documents["order"]),
        "first shipment": lambda: shipments.get_shipment(ctx, who, documents["first shipment"]),
        "second shipment": lambda: shipments.get_shipment(ctx, who, documents["second shipment"]),
        "first receipt": lambda: receipts.get_receipt(ctx, who, documents["first receipt"]),
        "second receipt": lambda: receipts.get_receipt(ctx, who, documents["second receipt"]),
        "invoice": lambda: invoices.get_invoice(ctx, who, documents["invoice"]),
        "first payment": lambda: payments.get_payment(ctx, who, documents["first payment"]),
        "second payment": lambda: payments.get_payment(ctx, who, documents["second payment"]),
        "customer": lambda: customers.get_customer(ctx, who, documents["customer"]),
        "customer order": lambda: customer_orders.get_order(ctx, who, documents["customer order"]),
    }
    visible: list[str] = []
    for what, lookup in lookups.items():
        try:
            lookup()
        except NotFound:
            continue
        visible.append(what)
    assert visible == []
    assert po.list_orders(ctx, who, PAGE).items == ()
    assert po.awaiting_action(ctx, who) == ()
    assert shipments.list_shipments(ctx, who, PAGE).items == ()
    assert receipts.list_discrepancies(ctx, who, PAGE).items == ()
    assert invoices.list_invoices(ctx, who, PAGE).items == ()
    assert payments.list_payments(ctx, who, PAGE).items == ()
    assert customer_orders.list_orders(ctx, who, PAGE).items == ()
    assert customers.list_customers(ctx, who, PAGE).items == ()
    assert epcis.epcis_document(ctx, who)["epcisBody"]["eventList"] == []
    for shipment in ("first shipment", "second shipment"):
        document = epcis.epcis_document(ctx, who, shipment_id=documents[shipment])
        assert document["epcisBody"]["eventList"] == []
    assert performance.supplier_scorecards(ctx, who, date(2026, 11, 1), date(2026, 12, 1)) == ()
    assert all(debit == credit == 0 for debit, credit in balances(world, who).values())


def test_procure_to_pay_then_order_to_cash(world: World, clock: FixedClock) -> None:
    ctx, roaster, cafe, beans = world.ctx, world.roaster, world.cafe, world.beans
    ids = ids_of(world)
    plant, cafe_1, blend = ids.sites["PLANT"], ids.sites["CAFE-1"], ids.items["BLEND"]
    documents: dict[str, int] = {}

    # ---- ROAST has 200 kg at PLANT
    received_stock = inventory.record_movement(
        ctx, roaster, inventory.RecordMovement(plant, blend, MovementKind.RECEIPT, Decimal(200))
    )
    assert (received_stock.kind, received_stock.quantity) == (MovementKind.RECEIPT, q("200"))
    assert stock(world, plant, blend) == (q("200"), q("0"), q("0"))

    # ---- CAFE orders 100 kg for CAFE-1 and submits
    line_in = po.OrderLineInput(blend, Decimal(100), PRICE, REQUESTED)
    draft = po.create_order(
        ctx, cafe, po.CreatePurchaseOrder(ids.members["ROAST"], cafe_1, (line_in,), "CAFE-PO-7")
    )
    order_id = documents["order"] = draft.order.id
    (line,) = draft.lines
    assert (draft.order.number, draft.order.status, draft.order.version) == (
        f"PO-{order_id:06d}",
        OrderStatus.DRAFT,
        1,
    )
    assert (line.line_no, line.quantity, line.unit_price_minor) == (1, q("100"), PRICE)
    assert [a.action for a in po.awaiting_action(ctx, cafe)] == [po.AwaitedAction.SUBMIT]
    assert po.awaiting_action(ctx, roaster) == ()  # a draft is the buyer's alone
    submitted = po.submit_order(ctx, cafe, order_id, expected_version=1)
    assert (submitted.order.status, submitted.order.version) == (OrderStatus.SUBMITTED, 2)
    assert [(a.order.id, a.action) for a in po.awaiting_action(ctx, roaster)] == [
        (order_id, po.AwaitedAction.ACKNOWLEDGE)
    ]

    # ---- ROAST confirms 80 for the 24th, shipping from PLANT
    acknowledged = po.acknowledge_order(
        ctx,
        roaster,
        order_id,
        po.AcknowledgeOrder((po.LineConfirmation(1, Decimal(80), CONFIRMED),), plant, 2),
    )
    (line,) = acknowledged.lines
    assert (acknowledged.order.status, acknowledged.order.version) == (OrderStatus.ACKNOWLEDGED, 3)
    assert (line.confirmed_quantity, line.confirmed_date) == (q("80"), CONFIRMED)
    assert po.awaiting_action(ctx, roaster) == po.awaiting_action(ctx, cafe) == ()

    # ---- ROAST ships 50 on the 22nd and 30 on the 23rd
    clock.advance(timedelta(days=1))
    first = shipments.ship(
        ctx, roaster, ShipGoods(order_id, (ShipLine(line.id, Decimal(50), "L1"),), carrier="Van")
    )
    shipment_1 = documents["first shipment"] = first.shipment.id
    assert (first.shipment.status, first.shipment.expected_arrival) == (
        ShipmentStatus.IN_TRANSIT,
        date(2026, 11, 23),
    )
    assert (first.shipment.from_site_id, first.shipment.to_site_id) == (plant, cafe_1)
    assert po.get_order(ctx, cafe, order_id).order.status is OrderStatus.PARTIALLY_SHIPPED
    assert stock(world, plant, blend) == (q("150"), q("0"), q("0"))
    assert stock(world, cafe_1, blend) == (q("0"), q("0"), q("50"))

    clock.advance(timedelta(days=1))
    second = shipments.ship(
        ctx, roaster, ShipGoods(order_id, (ShipLine(line.id, Decimal(30), "L2"),))
    )
    shipment_2 = documents["second shipment"] = second.shipment.id
    after_shipping = po.get_order(ctx, roaster, order_id)
    assert (after_shipping.order.status, after_shipping.order.version) == (OrderStatus.SHIPPED, 5)
    assert after_shipping.lines[0].shipped_quantity == q("80")
    assert stock(world, plant, blend) == (q("120"), q("0"), q("0"))
    assert stock(world, cafe_1, blend) == (q("0"), q("0"), q("80"))

    # ---- CAFE receives the first in full on the 23rd, the second short and damaged on the 24th
    got_1 = receipts.receive(ctx, cafe, ReceiveShipment(shipment_1))
    documents["first receipt"] = got_1.receipt.id
    assert [(r.received_quantity, r.damaged_quantity, r.discrepancy) for r in got_1.lines] == [
        (q("50"), q("0"), Discrepancy.NONE)
    ]
    assert stock(world, cafe_1, blend) == (q("50"), q("0"), q("30"))
    clock.advance(timedelta(days=1))
    (shipped_2,) = second.lines
    got_2 = receipts.receive(
        ctx,
        cafe,
        ReceiveShipment(shipment_2, (ReceiveLine(shipped_2.id, Decimal(28), Decimal(2)),), "wet"),
    )
    documents["second receipt"] = got_2.receipt.id
    assert [(r.received_quantity, r.damaged_quantity, r.discrepancy) for r in got_2.lines] == [
        (q("28"), q("2"), Discrepancy.SHORT)
    ]
    assert stock(world, cafe_1, blend) == (q("76"), q("0"), q("0"))
    received = po.get_order(ctx, cafe, order_id)
    assert (received.order.status, received.order.version) == (OrderStatus.SHIPPED, 7)
    assert received.lines[0].received_quantity == q("76")
    for who in (roaster, cafe):
        assert shipments.get_shipment(ctx, who, shipment_2).shipment.status is (
            ShipmentStatus.RECEIVED
        )
        (row,) = receipts.list_discrepancies(ctx, who, PAGE).items
        assert (
            row.shipment_id,
            row.receipt_id,
            row.order_line_id,
            row.lot,
            row.shipped_quantity,
            row.received_quantity,
            row.damaged_quantity,
            row.kind,
        ) == (
            shipment_2,
            got_2.receipt.id,
            line.id,
            "L2",
            q("30"),
            q("28"),
            q("2"),
            Discrepancy.SHORT,
        )

    # ---- ROAST invoices the 80 shipped: the buyer's three-way match blocks it (76 accepted)
    issued = invoices.issue_invoice(
        ctx, roaster, IssueInvoice(order_id, (InvoiceLineInput(line.id, Decimal(80)),))
    )
    invoice = issued.invoice
    invoice_id = documents["invoice"] = invoice.id
    assert (invoice.number, invoice.total_minor, invoice.due_date) == (
        f"INV-{invoice_id:06d}",
        100000,
        date(2026, 12, 24),
    )
    assert (invoice.status, invoice.match_status, invoice.match_reason) == (
        InvoiceStatus.OPEN,
        MatchStatus.BLOCKED,
        "line 1: invoiced 80.000 > received 76.000 (+0%)",
    )
    assert [(x.quantity, x.unit_price_minor, x.amount_minor) for x in issued.lines] == [
        (q("80"), PRICE, 100000)
    ]
    assert po.get_order(ctx, cafe, order_id).lines[0].invoiced_quantity == q("80")
    assert finance.verify_money_ledger(ctx, roaster).problems == ()
    assert finance.verify_money_ledger(ctx, cafe).problems == ()

    # ---- ROAST credits the 4 kg missing; CAFE releases the invoice and pays in two parts
    note = payments.issue_credit_note(ctx, roaster, IssueCreditNote(invoice_id, 5000, "4 kg"))
    assert (note.number, note.amount_minor) == (f"CN-{note.id:06d}", 5000)
    released = invoices.release_invoice(ctx, cafe, invoice_id, "credit note for the 4 kg")
    assert (released.match_status, released.match_reason) == (
        MatchStatus.RELEASED,
        "line 1: invoiced 80.000 > received 76.000 (+0%) | released: credit note for the 4 kg",
    )
    assert (released.open_minor, released.status) == (95000, InvoiceStatus.OPEN)
    first_payment = payments.pay_invoice(ctx, cafe, PayInvoice(invoice_id, 45000, "bank-1"))
    documents["first payment"] = first_payment.id
    partly = invoices.get_invoice(ctx, roaster, invoice_id).invoice
    assert (partly.status, partly.paid_minor, partly.open_minor) == (
        InvoiceStatus.PARTIALLY_PAID,
        45000,
        50000,
    )
    ageing = finance.ageing_report(ctx, roaster, AgeingSide.RECEIVABLE)
    assert [(r.counterparty_code, r.amounts) for r in ageing.rows] == [
        ("CAFE", AgeingAmounts(current=50000))
    ]
    second_payment = payments.pay_invoice(ctx, cafe, PayInvoice(invoice_id, 50000, "bank-2"))
    documents["second payment"] = second_payment.id
    paid = invoices.get_invoice(ctx, cafe, invoice_id)
    assert (
        paid.invoice.status,
        paid.invoice.paid_minor,
        paid.invoice.credited_minor,
        paid.invoice.open_minor,
    ) == (InvoiceStatus.PAID, 95000, 5000, 0)
    assert [(p.amount_minor, p.reference) for p in paid.payments] == [
        (45000, "bank-1"),
        (50000, "bank-2"),
    ]
    assert paid.credit_notes == (note,)
    assert paid == invoices.get_invoice(ctx, roaster, invoice_id)

    # ---- CAFE closes the order (the 4 kg short stay short)
    closed = po.close_order(ctx, cafe, order_id, expected_version=8)
    assert (closed.order.status, closed.order.version) == (OrderStatus.CLOSED, 9)

    # ---- CAFE sells 10 kg from CAFE-1 to a customer
    customer = customers.add_customer(ctx, cafe, customers.CustomerFields("OFFICE", "Office"))
    documents["customer"] = customer.id
    sale = customer_orders.create_order(
        ctx,
        cafe,
        customer_orders.CreateCustomerOrder(
            customer.id,
            cafe_1,
            (customer_orders.OrderLineInput(blend, Decimal(10), date(2026, 11, 25), 2400),),
        ),
    )
    sale_id = documents["customer order"] = sale.order.id
    assert (sale.order.status, sale.total_minor) == (CustomerOrderStatus.OPEN, 24000)
    promised = customer_orders.promise_order(ctx, cafe, sale_id)
    (promised_line,) = promised.lines
    assert promised.order.status is CustomerOrderStatus.PROMISED
    assert [(p.quantity, p.source) for p in promised_line.promises] == [
        (q("10"), PromiseSource.ON_HAND)
    ]
    assert stock(world, cafe_1, blend) == (q("76"), q("10"), q("0"))
    sold = customer_orders.ship_order(ctx, cafe, sale_id)
    assert sold.order.status is CustomerOrderStatus.SHIPPED
    assert sold.lines[0].line.shipped_quantity == q("10")
    assert sold.lines[0].promises == ()

    # ---- stock: exact positions, conservation for both members
    assert stock(world, plant, blend) == (q("120"), q("0"), q("0"))
    assert stock(world, cafe_1, blend) == (q("66"), q("0"), q("0"))
    with ctx.uow() as uow:
        cafe_moves = [
            (m.kind, m.quantity, m.lot)
            for m in uow.stock_movements.find(owner_member_id=cafe.member_id)
        ]
        roaster_moves = [
            (m.kind, m.quantity, m.reference)
            for m in uow.stock_movements.find(owner_member_id=roaster.member_id)
        ]
        open_allocations = uow.allocations.find(status=AllocationStatus.OPEN)
    assert cafe_moves == [
        (MovementKind.RECEIPT, q("50"), "L1"),
        (MovementKind.RECEIPT, q("26"), "L2"),
        (MovementKind.ISSUE, q("-10"), ""),
    ]
    assert roaster_moves == [
        (MovementKind.RECEIPT, q("200"), ""),
        (MovementKind.ISSUE, q("-50"), f"shipment:{shipment_1}"),
        (MovementKind.ISSUE, q("-30"), f"shipment:{shipment_2}"),
    ]
    assert open_allocations == []
    for who, (positions, movements) in ((roaster, (1, 3)), (cafe, (1, 3))):
        check = inventory.verify_ledger(ctx, who)
        assert (check.positions, check.movements, check.mismatches) == (positions, movements, ())

    # ---- one history, versions 1..n, seen identically by both parties
    expected = [
        (1, "created", cafe.member_id, None),
        (2, "submitted", cafe.member_id, ["draft", "submitted"]),
        (3, "acknowledged", roaster.member_id, ["submitted", "acknowledged"]),
        (4, "shipped", roaster.member_id, ["acknowledged", "partially_shipped"]),
        (5, "shipped", roaster.member_id, ["partially_shipped", "shipped"]),
        (6, "received", cafe.member_id, None),
        (7, "received", cafe.member_id, None),
        (8, "invoiced", roaster.member_id, None),
        (9, "closed", cafe.member_id, ["shipped", "closed"]),
    ]
    assert history(world, cafe, order_id) == history(world, roaster, order_id) == expected
    assert po.order_history(ctx, cafe, order_id) == po.order_history(ctx, roaster, order_id)
    events = po.order_history(ctx, cafe, order_id)
    assert events[-1].kind is OrderEventKind.CLOSED
    assert po.get_order(ctx, roaster, order_id).order.version == len(events)

    # ---- EPCIS: packing + shipping per shipment; unpacking + receiving per disposition
    shipping = [
        ("AggregationEvent", "packing", "in_progress"),
        ("ObjectEvent", "shipping", "in_transit"),
    ]
    unpacking = ("AggregationEvent", "unpacking", "in_progress")
    accepted = ("ObjectEvent", "receiving", "in_progress")
    damaged = ("ObjectEvent", "receiving", "damaged")
    for who in (roaster, cafe):
        whole = epcis.epcis_document(ctx, who)
        assert steps(whole) == [
            *shipping,
            *shipping,
            unpacking,
            accepted,
            unpacking,
            accepted,
            damaged,
        ]
        assert steps(epcis.epcis_document(ctx, who, shipment_id=shipment_1)) == [
            *shipping,
            unpacking,
            accepted,
        ]
        assert steps(epcis.epcis_document(ctx, who, shipment_id=shipment_2)) == [
            *shipping,
            unpacking,
            accepted,
            damaged,
        ]
    received_events = epcis.epcis_document(ctx, cafe, shipment_2, BizStep.RECEIVING)
    assert [
        (e["disposition"], e["quantityList"]) for e in received_events["epcisBody"]["eventList"]
    ] == [
        (
            "in_progress",
            [{"epcClass": "urn:tandem:coffee:item:BLEND:lot:L2", "quantity": 26, "uom": "KGM"}],
        ),
        (
            "damaged",
            [{"epcClass": "urn:tandem:coffee:item:BLEND:lot:L2", "quantity": 2, "uom": "KGM"}],
        ),
    ]

    # ---- money: both trial balances exact, receivables/payables zero, ledgers sound
    assert balances(world, roaster) == {
        Account.CASH: (95000, 0),
        Account.RECEIVABLES: (100000, 100000),
        Account.PAYABLES: (0, 0),
        Account.REVENUE: (5000, 100000),
        Account.PURCHASES: (0, 0),
    }
    assert balances(world, cafe) == {
        Account.CASH: (0, 95000),
        Account.RECEIVABLES: (0, 0),
        Account.PAYABLES: (100000, 100000),
        Account.REVENUE: (0, 0),
        Account.PURCHASES: (100000, 5000),
    }
    for who in (roaster, cafe):
        money = finance.verify_money_ledger(ctx, who)
        assert (money.postings, money.problems) == (8, ())
        assert [e.kind for e in finance.journal(ctx, who, PAGE).items] == [
            "invoice",
            "credit_note",
            "payment",
            "payment",
        ]
        for side in AgeingSide:
            report = finance.ageing_report(ctx, who, side)
            assert (report.rows, report.totals) == ((), AgeingAmounts())
    with ctx.uow() as uow:
        everything = uow.postings.find()
    assert sum(p.debit_minor for p in everything) == sum(p.credit_minor for p in everything)
    assert sum(p.debit_minor for p in everything) == 2 * (100000 + 5000 + 95000)

    # ---- CAFE's scorecard of ROAST, measured after the confirmed date
    clock.advance(timedelta(days=2))
    card = performance.supplier_scorecard(
        ctx, cafe, roaster.member_id, date(2026, 11, 1), date(2026, 12, 1)
    )
    assert card == performance.supplier_scorecard(
        ctx,
        roaster,
        roaster.member_id,
        date(2026, 11, 1),
        date(2026, 12, 1),
        buyer_member_id=cafe.member_id,
    )
    assert (card.delivery.lines_due, card.delivery.lines_on_time_in_full) == (1, 0)
    assert (card.delivery.ordered_quantity, card.delivery.filled_quantity) == (q("100"), q("76"))
    assert card.delivery.fill_rate == 76 / 100
    assert card.delivery.otif_rate == 0 / 1
    assert (card.receiving.receipt_lines, card.receiving.receipt_lines_with_discrepancy) == (2, 1)
    assert card.receiving.discrepancy_rate == 1 / 2
    assert (card.invoicing.invoices, card.invoicing.invoices_matched) == (1, 0)
    assert card.invoicing.match_rate == 0 / 1
    assert (card.invoicing.price_variance_minor, card.invoicing.price_variance_pct) == (0, 0.0)

    # ---- BEANS sees nothing of it; ROAST sees nothing of CAFE's customers
    assert_sees_nothing(world, beans, documents)
    with pytest.raises(NotFound):
        customer_orders.get_order(ctx, roaster, sale_id)
    with pytest.raises(NotFound):
        customers.get_customer(ctx, roaster, customer.id)
    with pytest.raises(NotFound):
        performance.supplier_scorecard(
            ctx, beans, roaster.member_id, date(2026, 11, 1), date(2026, 12, 1), cafe.member_id
        )
