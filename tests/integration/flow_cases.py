"""Round-trip cases of the flow repositories (inventory, customers, orders, shipments, money),
run by ``test_repositories``: three entities each, with edge values (negative and large
quantities, ``None``, JSON documents, non-UTC datetimes, amounts beyond a float's precision).

JSON fields (order event details, change lines, EPCIS documents) are never used as filters:
PostgreSQL's ``json`` type has no equality operator and no caller looks rows up by them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.customers import (
    Customer,
    CustomerOrder,
    CustomerOrderLine,
    CustomerOrderStatus,
    OrderPromise,
    PromiseSource,
    ServiceClass,
)
from tandem.domain.finance import (
    Account,
    CreditNote,
    DunningNotice,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    JournalEntry,
    MatchStatus,
    Payment,
    Posting,
)
from tandem.domain.identity import User
from tandem.domain.inventory import (
    Allocation,
    AllocationStatus,
    MovementKind,
    StockMovement,
    StockPosition,
)
from tandem.domain.orders import (
    Agreement,
    AgreementStatus,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    LineChange,
    OrderEvent,
    OrderEventKind,
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    TradeTerms,
)
from tandem.domain.shipments import (
    Discrepancy,
    EpcisEvent,
    Receipt,
    ReceiptLine,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
)
from tests.integration.network_seed import Seed

NOW = datetime(2026, 11, 21, 9, 30, 15, 123456, tzinfo=UTC)
CEST = timezone(timedelta(hours=2))
D = Decimal
BIG = 9_007_199_254_740_993  # 2**53 + 1: exact as an integer, not as a float
DAY = date(2026, 12, 1)


@dataclass(frozen=True)
class Case:
    repository: str
    make: Callable[[SqlUnitOfWork, Seed], list[Any]]
    change: Callable[[Any, Seed], Any]
    filters: tuple[tuple[str, ...], ...]

    def __str__(self) -> str:
        return self.repository


# ---------------------------------------------------------------- parents


def _user(uow: SqlUnitOfWork, seed: Seed) -> User:
    return uow.users.add(User(0, seed.members[0].id, "clerk@example.com", "Clerk", "plain$x"))


def _order(uow: SqlUnitOfWork, seed: Seed, number: str = "PO-000001") -> PurchaseOrder:
    (roaster, cafe, _), (_, cafe_site, _) = seed.members, seed.sites
    return uow.purchase_orders.add(
        PurchaseOrder(
            0,
            seed.network.id,
            number,
            cafe.id,
            roaster.id,
            cafe_site.id,
            OrderStatus.SUBMITTED,
            2,
            NOW,
        )
    )


def _order_lines(uow: SqlUnitOfWork, seed: Seed, order: PurchaseOrder) -> list[PurchaseOrderLine]:
    return [
        uow.purchase_order_lines.add(
            PurchaseOrderLine(0, order.id, n, seed.items[n - 1].id, D(n * 2), 1200, DAY)
        )
        for n in (1, 2, 3)
    ]


def _shipment(
    uow: SqlUnitOfWork, seed: Seed, order: PurchaseOrder, number: str = "SH-000001"
) -> Shipment:
    (roaster, cafe, _), (plant, cafe_site, _) = seed.members, seed.sites
    return uow.shipments.add(
        Shipment(
            0,
            seed.network.id,
            number,
            order.id,
            roaster.id,
            cafe.id,
            plant.id,
            cafe_site.id,
            ShipmentStatus.IN_TRANSIT,
            NOW,
            DAY,
        )
    )


def _invoice(
    uow: SqlUnitOfWork, seed: Seed, order: PurchaseOrder, number: str = "INV-000001"
) -> Invoice:
    roaster, cafe, _ = seed.members
    return uow.invoices.add(
        Invoice(
            0,
            seed.network.id,
            number,
            order.id,
            roaster.id,
            cafe.id,
            NOW,
            DAY,
            "EUR",
            10_000,
            InvoiceStatus.OPEN,
            MatchStatus.MATCHED,
        )
    )


# ---------------------------------------------------------------- inventory


def _stock_movements(uow: SqlUnitOfWork, seed: Seed) -> list[StockMovement]:
    (m1, _, _), (s1, _, _), (i1, i2, _) = seed.members, seed.sites, seed.items
    net, user = seed.network.id, _user(uow, seed)
    return [
        StockMovement(
            0, net, m1.id, s1.id, i1.id, MovementKind.RECEIPT, D("12.5"), NOW, "L-1", "PO-1", "ok"
        ),
        StockMovement(
            0,
            net,
            m1.id,
            s1.id,
            i1.id,
            MovementKind.ISSUE,
            D("-0.001"),
            NOW.astimezone(CEST),
            "L-1",
            "shipment:7",
            "",
            user.id,
        ),
        StockMovement(
            0, net, m1.id, s1.id, i2.id, MovementKind.ADJUSTMENT, D("-999999999.999"), NOW
        ),
    ]


def _stock_positions(_uow: SqlUnitOfWork, seed: Seed) -> list[StockPosition]:
    (m1, m2, _), (s1, s2, _), (i1, i2, _) = seed.members, seed.sites, seed.items
    net = seed.network.id
    return [
        StockPosition(0, net, m1.id, s1.id, i1.id, D("5.5"), D("1.25"), D("0"), 3),
        StockPosition(0, net, m2.id, s2.id, i1.id, D("-2"), D("0.001"), D("7.125"), 1),
        StockPosition(0, net, m2.id, s2.id, i2.id),
    ]


def _allocations(_uow: SqlUnitOfWork, seed: Seed) -> list[Allocation]:
    (m1, _, _), (s1, _, _), (i1, i2, _) = seed.members, seed.sites, seed.items
    net = seed.network.id
    return [
        Allocation(0, net, m1.id, s1.id, i1.id, D("1.5"), "co-line:7", AllocationStatus.OPEN, NOW),
        Allocation(
            0,
            net,
            m1.id,
            s1.id,
            i1.id,
            D("0.001"),
            "co-line:8",
            AllocationStatus.CONSUMED,
            NOW.astimezone(CEST),
        ),
        Allocation(0, net, m1.id, s1.id, i2.id, D("40"), "SO-9", AllocationStatus.RELEASED, NOW),
    ]


# ---------------------------------------------------------------- customers


def _customers(_uow: SqlUnitOfWork, seed: Seed) -> list[Customer]:
    (_, cafe, _), net = seed.members, seed.network.id
    return [
        Customer(
            0,
            net,
            cafe.id,
            "C-1",
            "Café Zürich",
            "office",
            ServiceClass.PREMIUM,
            "Bahnhofstr. 1",
            "8001",
            "Zürich",
            "CH",
        ),
        Customer(0, net, cafe.id, "C-2", "Kiosk"),
        Customer(0, net, seed.members[0].id, "C-1", "Hotel", "hotel", ServiceClass.ECONOMY),
    ]


def _customer_orders(uow: SqlUnitOfWork, seed: Seed) -> list[CustomerOrder]:
    (_, cafe, _), (_, cafe_site, _) = seed.members, seed.sites
    net = seed.network.id
    first = uow.customers.add(Customer(0, net, cafe.id, "C-1", "Office"))
    second = uow.customers.add(Customer(0, net, cafe.id, "C-2", "Kiosk"))
    return [
        CustomerOrder(
            0, net, cafe.id, first.id, "CO-1", cafe_site.id, CustomerOrderStatus.OPEN, NOW, "ref"
        ),
        CustomerOrder(
            0,
            net,
            cafe.id,
            first.id,
            "CO-2",
            cafe_site.id,
            CustomerOrderStatus.PROMISED,
            NOW.astimezone(CEST),
        ),
        CustomerOrder(
            0, net, cafe.id, second.id, "CO-3", cafe_site.id, CustomerOrderStatus.CANCELLED, NOW
        ),
    ]


def _customer_order(uow: SqlUnitOfWork, seed: Seed) -> CustomerOrder:
    (_, cafe, _), (_, cafe_site, _) = seed.members, seed.sites
    net = seed.network.id
    customer = uow.customers.add(Customer(0, net, cafe.id, "C-1", "Office"))
    return uow.customer_orders.add(
        CustomerOrder(
            0, net, cafe.id, customer.id, "CO-1", cafe_site.id, CustomerOrderStatus.OPEN, NOW
        )
    )


def _customer_order_lines(uow: SqlUnitOfWork, seed: Seed) -> list[CustomerOrderLine]:
    order = _customer_order(uow, seed)
    i1, i2, _ = seed.items
    return [
        CustomerOrderLine(0, order.id, 1, i1.id, D("2.5"), DAY, 350),
        CustomerOrderLine(0, order.id, 2, i1.id, D("0.001"), DAY, 0, D("0.001")),
        CustomerOrderLine(0, order.id, 3, i2.id, D("1000000"), date(2024, 2, 29), BIG, D("1")),
    ]


def _order_promises(uow: SqlUnitOfWork, seed: Seed) -> list[OrderPromise]:
    order = _customer_order(uow, seed)
    line = uow.customer_order_lines.add(
        CustomerOrderLine(0, order.id, 1, seed.items[0].id, D("10"), DAY, 350)
    )
    return [
        OrderPromise(0, line.id, D("6"), DAY, PromiseSource.ON_HAND),
        OrderPromise(
            0, line.id, D("3.5"), DAY + timedelta(days=7), PromiseSource.SCHEDULED_RECEIPT
        ),
        OrderPromise(
            0, line.id, D("0.5"), DAY + timedelta(days=7), PromiseSource.SCHEDULED_RECEIPT
        ),
    ]


# ---------------------------------------------------------------- purchase orders


def _trade_terms(_uow: SqlUnitOfWork, seed: Seed) -> list[TradeTerms]:
    (m1, m2, m3), net = seed.members, seed.network.id
    return [
        TradeTerms(0, net, m2.id, m1.id),
        TradeTerms(0, net, m1.id, m3.id, 14, 5.0, 0.5, False, True),
        TradeTerms(0, net, m2.id, m3.id, 0, 0.125, 0.0, False, False),
    ]


def _agreements(_uow: SqlUnitOfWork, seed: Seed) -> list[Agreement]:
    (m1, m2, m3), (i1, i2, _) = seed.members, seed.items
    net = seed.network.id
    return [
        Agreement(
            0, net, "AG-1", m2.id, m1.id, i1.id, 1200, D("1000"), DAY, date(2027, 11, 30),
            AgreementStatus.ACTIVE,
        ),
        Agreement(
            0, net, "AG-2", m2.id, m1.id, i2.id, BIG, D("0.5"), DAY, DAY, AgreementStatus.EXHAUSTED,
            D("0.5"),
        ),
        Agreement(
            0, net, "AG-3", m1.id, m3.id, i1.id, 0, D("12.25"), DAY, date(2027, 11, 30),
            AgreementStatus.CLOSED, D("3.125"),
        ),
    ]  # fmt: skip


def _purchase_orders(uow: SqlUnitOfWork, seed: Seed) -> list[PurchaseOrder]:
    (m1, m2, m3), (s1, s2, _), (i1, _, _) = seed.members, seed.sites, seed.items
    net, user = seed.network.id, _user(uow, seed)
    agreement = uow.agreements.add(
        Agreement(
            0, net, "AG-1", m2.id, m1.id, i1.id, 1200, D("100"), DAY, DAY, AgreementStatus.ACTIVE
        )
    )
    return [
        PurchaseOrder(0, net, "PO-1", m2.id, m1.id, s2.id, OrderStatus.DRAFT, 1, NOW),
        PurchaseOrder(
            0,
            net,
            "PO-2",
            m2.id,
            m1.id,
            s2.id,
            OrderStatus.ACKNOWLEDGED,
            3,
            NOW.astimezone(CEST),
            14,
            s1.id,
            agreement.id,
            "buyer ref ☕",
            user.id,
        ),
        PurchaseOrder(0, net, "PO-3", m1.id, m3.id, s1.id, OrderStatus.CANCELLED, 2, NOW, 0),
    ]


def _purchase_order_lines(uow: SqlUnitOfWork, seed: Seed) -> list[PurchaseOrderLine]:
    order = _order(uow, seed)
    i1, i2, _ = seed.items
    return [
        PurchaseOrderLine(0, order.id, 1, i1.id, D("10"), 1200, DAY),
        PurchaseOrderLine(
            0, order.id, 2, i1.id, D("2.5"), BIG, DAY, D("2"), DAY + timedelta(days=3),
            D("2"), D("1.5"), D("1.5"),
        ),
        PurchaseOrderLine(
            0, order.id, 3, i2.id, D("0.001"), 0, date(2024, 2, 29), D("0"), None, cancelled=True
        ),
    ]  # fmt: skip


def _order_events(uow: SqlUnitOfWork, seed: Seed) -> list[OrderEvent]:
    order, user = _order(uow, seed), _user(uow, seed)
    roaster, cafe, _ = seed.members
    return [
        OrderEvent(0, order.id, 1, OrderEventKind.CREATED, NOW, cafe.id, {}, user.id),
        OrderEvent(
            0,
            order.id,
            2,
            OrderEventKind.ACKNOWLEDGED,
            NOW.astimezone(CEST),
            roaster.id,
            {"lines": [{"line_no": 1, "quantity": "2.500", "date": "2026-12-01"}], "note": "ok ☕"},
        ),
        OrderEvent(0, order.id, 3, OrderEventKind.SHIPPED, NOW, roaster.id, {"shipment": 7}),
    ]


def _change_requests(uow: SqlUnitOfWork, seed: Seed) -> list[ChangeRequest]:
    order = _order(uow, seed)
    roaster, cafe, _ = seed.members
    return [
        ChangeRequest(
            0,
            order.id,
            ChangeKind.CHANGE,
            ChangeStatus.PENDING,
            cafe.id,
            NOW,
            (LineChange(1, D("2.5"), DAY, 990), LineChange(2, cancel=True)),
            "more, sooner",
        ),
        ChangeRequest(
            0,
            order.id,
            ChangeKind.CANCEL,
            ChangeStatus.ACCEPTED,
            roaster.id,
            NOW.astimezone(CEST),
            (),
            "",
            cafe.id,
            NOW + timedelta(hours=1),
            "fine",
        ),
        ChangeRequest(
            0,
            order.id,
            ChangeKind.CHANGE,
            ChangeStatus.WITHDRAWN,
            cafe.id,
            NOW,
            (LineChange(3, None, None, 1),),
        ),
    ]


# ---------------------------------------------------------------- shipments and receipts


def _shipments(uow: SqlUnitOfWork, seed: Seed) -> list[Shipment]:
    order = _order(uow, seed)
    (m1, m2, _), (s1, s2, s3) = seed.members, seed.sites
    net = seed.network.id
    return [
        Shipment(
            0, net, "SH-1", order.id, m1.id, m2.id, s1.id, s2.id, ShipmentStatus.IN_TRANSIT, NOW,
            DAY, "DHL", "TRK-1",
        ),
        Shipment(
            0, net, "SH-2", order.id, m1.id, m2.id, s1.id, s2.id, ShipmentStatus.RECEIVED,
            NOW.astimezone(CEST), DAY + timedelta(days=1),
        ),
        Shipment(
            0, net, "SH-3", order.id, m1.id, m2.id, s3.id, s2.id, ShipmentStatus.IN_TRANSIT, NOW,
            date(2024, 2, 29), "", "",
        ),
    ]  # fmt: skip


def _shipment_lines(uow: SqlUnitOfWork, seed: Seed) -> list[ShipmentLine]:
    order = _order(uow, seed)
    lines, shipment = _order_lines(uow, seed, order), _shipment(uow, seed, order)
    return [
        ShipmentLine(0, shipment.id, lines[0].id, lines[0].item_id, D("2"), "LOT-1"),
        ShipmentLine(0, shipment.id, lines[0].id, lines[0].item_id, D("0.001"), "LOT-2"),
        ShipmentLine(0, shipment.id, lines[1].id, lines[1].item_id, D("4")),
    ]


def _receipts(uow: SqlUnitOfWork, seed: Seed) -> list[Receipt]:
    order, user = _order(uow, seed), _user(uow, seed)
    shipments = [_shipment(uow, seed, order, f"SH-{n}") for n in (1, 2, 3)]
    (_, cafe, _), net = seed.members, seed.network.id
    return [
        Receipt(0, net, "RC-1", shipments[0].id, cafe.id, NOW),
        Receipt(0, net, "RC-2", shipments[1].id, cafe.id, NOW.astimezone(CEST), "box ☕", user.id),
        Receipt(0, net, "RC-3", shipments[2].id, cafe.id, NOW, "", user.id),
    ]


def _receipt_lines(uow: SqlUnitOfWork, seed: Seed) -> list[ReceiptLine]:
    order = _order(uow, seed)
    lines, shipment = _order_lines(uow, seed, order), _shipment(uow, seed, order)
    sent = [
        uow.shipment_lines.add(ShipmentLine(0, shipment.id, line.id, line.item_id, D("2")))
        for line in lines
    ]
    receipt = uow.receipts.add(
        Receipt(0, seed.network.id, "RC-1", shipment.id, seed.members[1].id, NOW)
    )
    return [
        ReceiptLine(0, receipt.id, sent[0].id, sent[0].item_id, D("2")),
        ReceiptLine(
            0, receipt.id, sent[1].id, sent[1].item_id, D("2"), D("0.5"), Discrepancy.DAMAGED
        ),
        ReceiptLine(
            0, receipt.id, sent[2].id, sent[2].item_id, D("1.999"), D("0"), Discrepancy.SHORT
        ),
    ]


def _epcis_events(uow: SqlUnitOfWork, seed: Seed) -> list[EpcisEvent]:
    shipment = _shipment(uow, seed, _order(uow, seed))
    roaster, cafe, _ = seed.members
    net = seed.network.id
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "shipping",
        "quantityList": [{"epcClass": "urn:tandem:item:1", "quantity": 2.5, "uom": "KGM"}],
    }
    return [
        EpcisEvent(
            0, net, "urn:uuid:1", "ObjectEvent", "shipping", NOW, shipment.id, roaster.id,
            cafe.id, document,
        ),
        EpcisEvent(
            0, net, "urn:uuid:2", "ObjectEvent", "receiving", NOW.astimezone(CEST), shipment.id,
            roaster.id, cafe.id, {**document, "bizStep": "receiving", "note": "Café ☕"},
        ),
        EpcisEvent(
            0, net, "urn:uuid:3", "AggregationEvent", "packing", NOW, shipment.id, roaster.id,
            cafe.id, {},
        ),
    ]  # fmt: skip


# ---------------------------------------------------------------- money


def _invoices(uow: SqlUnitOfWork, seed: Seed) -> list[Invoice]:
    order = _order(uow, seed)
    (m1, m2, _), net = seed.members, seed.network.id
    return [
        Invoice(
            0, net, "INV-1", order.id, m1.id, m2.id, NOW, DAY, "EUR", 123456,
            InvoiceStatus.OPEN, MatchStatus.MATCHED,
        ),
        Invoice(
            0, net, "INV-2", order.id, m1.id, m2.id, NOW.astimezone(CEST), DAY, "EUR", BIG,
            InvoiceStatus.PARTIALLY_PAID, MatchStatus.BLOCKED, "price 3% above order", 1, 2, 3,
        ),
        Invoice(
            0, net, "INV-3", order.id, m1.id, m2.id, NOW, date(2024, 2, 29), "EUR", 0,
            InvoiceStatus.CREDITED, MatchStatus.RELEASED, "", 0, 0, 0,
        ),
    ]  # fmt: skip


def _invoice_lines(uow: SqlUnitOfWork, seed: Seed) -> list[InvoiceLine]:
    order = _order(uow, seed)
    lines, invoice = _order_lines(uow, seed, order), _invoice(uow, seed, order)
    return [
        InvoiceLine(0, invoice.id, lines[0].id, lines[0].item_id, D("2.5"), 1200, 3000),
        InvoiceLine(0, invoice.id, lines[1].id, lines[1].item_id, D("0.001"), 1, 0),
        InvoiceLine(0, invoice.id, lines[1].id, lines[1].item_id, D("1000"), BIG, BIG),
    ]


def _payments(uow: SqlUnitOfWork, seed: Seed) -> list[Payment]:
    invoice = _invoice(uow, seed, _order(uow, seed))
    (m1, m2, _), net = seed.members, seed.network.id
    return [
        Payment(0, net, invoice.id, m2.id, m1.id, 5000, NOW, "SEPA 2026-11"),
        Payment(0, net, invoice.id, m2.id, m1.id, 1, NOW.astimezone(CEST)),
        Payment(0, net, invoice.id, m2.id, m1.id, BIG, NOW, "SEPA 2026-11"),
    ]


def _credit_notes(uow: SqlUnitOfWork, seed: Seed) -> list[CreditNote]:
    order = _order(uow, seed)
    first, second = _invoice(uow, seed, order), _invoice(uow, seed, order, "INV-2")
    net = seed.network.id
    return [
        CreditNote(0, net, "CN-1", first.id, 1000, "damaged", NOW),
        CreditNote(0, net, "CN-2", first.id, 1, "price ☕", NOW.astimezone(CEST)),
        CreditNote(0, net, "CN-3", second.id, BIG, "damaged", NOW),
    ]


def _journal_entries(_uow: SqlUnitOfWork, seed: Seed) -> list[JournalEntry]:
    net = seed.network.id
    return [
        JournalEntry(0, net, NOW, "invoice", "invoice:1"),
        JournalEntry(0, net, NOW.astimezone(CEST), "payment", "payment:1"),
        JournalEntry(0, net, NOW, "invoice", "invoice:2"),
    ]


def _postings(uow: SqlUnitOfWork, seed: Seed) -> list[Posting]:
    entry = uow.journal_entries.add(JournalEntry(0, seed.network.id, NOW, "invoice", "invoice:1"))
    roaster, cafe, _ = seed.members
    return [
        Posting(0, entry.id, roaster.id, Account.RECEIVABLES, BIG, 0),
        Posting(0, entry.id, roaster.id, Account.REVENUE, 0, BIG),
        Posting(0, entry.id, cafe.id, Account.PAYABLES),
    ]


def _dunning_notices(uow: SqlUnitOfWork, seed: Seed) -> list[DunningNotice]:
    invoice = _invoice(uow, seed, _order(uow, seed))
    return [
        DunningNotice(0, invoice.id, 1, NOW, 1),
        DunningNotice(0, invoice.id, 2, NOW.astimezone(CEST), 31),
        DunningNotice(0, invoice.id, 3, NOW + timedelta(days=30), 61),
    ]


FLOW_CASES = [
    Case(
        "stock_movements",
        _stock_movements,
        lambda e, _s: replace(
            e, kind=MovementKind.CONSUMPTION, quantity=D("-3"), lot="", recorded_by_user_id=None
        ),
        (("kind",), ("site_id", "item_id"), ("lot",), ("recorded_by_user_id",), ("quantity",)),
    ),
    Case(
        "stock_positions",
        _stock_positions,
        lambda e, _s: replace(e, on_hand=D("999999999999.999"), allocated=D("0"), version=9),
        (("owner_member_id",), ("site_id",), ("item_id", "allocated"), ("version",)),
    ),
    Case(
        "allocations",
        _allocations,
        lambda e, _s: replace(e, status=AllocationStatus.RELEASED, quantity=D("1.499")),
        (("status",), ("reference",), ("owner_member_id", "status"), ("created_at",)),
    ),
    Case(
        "customers",
        _customers,
        lambda e, _s: replace(e, service_class=ServiceClass.ECONOMY, city="", name="Renamed"),
        (("member_id",), ("service_class",), ("city", "country"), ("segment",)),
    ),
    Case(
        "customer_orders",
        _customer_orders,
        lambda e, _s: replace(e, status=CustomerOrderStatus.SHIPPED, customer_reference=""),
        (("status",), ("customer_id",), ("created_at",), ("member_id", "number")),
    ),
    Case(
        "customer_order_lines",
        _customer_order_lines,
        lambda e, _s: replace(e, shipped_quantity=D("2.5"), unit_price_minor=BIG),
        (("order_id",), ("item_id",), ("requested_date",), ("shipped_quantity",)),
    ),
    Case(
        "order_promises",
        _order_promises,
        lambda e, _s: replace(e, promised_date=DAY + timedelta(days=1), quantity=D("5.999")),
        (("line_id",), ("source",), ("promised_date",)),
    ),
    Case(
        "trade_terms",
        _trade_terms,
        lambda e, _s: replace(e, payment_terms_days=60, quantity_tolerance_pct=1.5),
        (("buyer_member_id",), ("seller_member_id",), ("changes_need_acceptance",)),
    ),
    Case(
        "agreements",
        _agreements,
        lambda e, _s: replace(e, called_off_quantity=D("250.5"), status=AgreementStatus.EXHAUSTED),
        (("status",), ("buyer_member_id", "seller_member_id"), ("item_id",), ("valid_to",)),
    ),
    Case(
        "purchase_orders",
        _purchase_orders,
        lambda e, _s: replace(e, status=OrderStatus.RECEIVED, version=4, ship_from_site_id=None),
        (
            ("status",),
            ("buyer_member_id",),
            ("seller_member_id", "status"),
            ("agreement_id",),
            ("created_by_user_id",),
            ("created_at",),
        ),
    ),
    Case(
        "purchase_order_lines",
        _purchase_order_lines,
        lambda e, _s: replace(e, confirmed_quantity=D("4"), confirmed_date=DAY, cancelled=True),
        (("order_id",), ("confirmed_quantity",), ("confirmed_date",), ("cancelled", "item_id")),
    ),
    Case(
        "order_events",
        _order_events,
        lambda e, _s: replace(e, detail={"note": "changed"}, actor_user_id=None),
        (("order_id",), ("kind",), ("actor_user_id",), ("at",), ("actor_member_id", "version")),
    ),
    Case(
        "change_requests",
        _change_requests,
        lambda e, s: replace(
            e,
            status=ChangeStatus.REJECTED,
            lines=(LineChange(1, None, DAY),),
            decided_by_member_id=s.members[0].id,
            decided_at=NOW.astimezone(CEST),
            decision_note="no",
        ),
        (("order_id",), ("status",), ("kind",), ("decided_at",), ("decided_by_member_id",)),
    ),
    Case(
        "shipments",
        _shipments,
        lambda e, _s: replace(e, status=ShipmentStatus.RECEIVED, carrier="", number="SH-9"),
        (
            ("order_id",),
            ("status",),
            ("from_site_id", "to_site_id"),
            ("shipped_at",),
            ("expected_arrival",),
        ),
    ),
    Case(
        "shipment_lines",
        _shipment_lines,
        lambda e, _s: replace(e, quantity=D("2.999"), lot=""),
        (("shipment_id",), ("order_line_id",), ("lot",), ("quantity",)),
    ),
    Case(
        "receipts",
        _receipts,
        lambda e, _s: replace(e, note="damaged box", received_by_user_id=None),
        (("consignee_member_id",), ("received_by_user_id",), ("received_at",), ("note",)),
    ),
    Case(
        "receipt_lines",
        _receipt_lines,
        lambda e, _s: replace(e, discrepancy=Discrepancy.OVER, received_quantity=D("2.5")),
        (("receipt_id",), ("discrepancy",), ("damaged_quantity",), ("shipment_line_id",)),
    ),
    Case(
        "epcis_events",
        _epcis_events,
        lambda e, _s: replace(e, biz_step="receiving", document={"type": "ObjectEvent"}),
        (("shipment_id",), ("biz_step",), ("event_type",), ("event_time",), ("event_id",)),
    ),
    Case(
        "invoices",
        _invoices,
        lambda e, _s: replace(
            e, status=InvoiceStatus.PAID, paid_minor=e.total_minor, dunning_level=2
        ),
        (
            ("status",),
            ("match_status",),
            ("seller_member_id", "buyer_member_id"),
            ("due_date",),
            ("dunning_level",),
            ("total_minor",),
        ),
    ),
    Case(
        "invoice_lines",
        _invoice_lines,
        lambda e, _s: replace(e, quantity=D("2"), amount_minor=2400),
        (("invoice_id",), ("order_line_id",), ("unit_price_minor",), ("amount_minor",)),
    ),
    Case(
        "payments",
        _payments,
        lambda e, _s: replace(e, amount_minor=1, reference=""),
        (("invoice_id",), ("payer_member_id",), ("paid_at",), ("reference",), ("amount_minor",)),
    ),
    Case(
        "credit_notes",
        _credit_notes,
        lambda e, _s: replace(e, amount_minor=2000, reason="price"),
        (("invoice_id",), ("reason",), ("issued_at",), ("number",)),
    ),
    Case(
        "journal_entries",
        _journal_entries,
        lambda e, _s: replace(e, kind="credit_note", reference="credit-note:1"),
        (("kind",), ("reference",), ("at",)),
    ),
    Case(
        "postings",
        _postings,
        lambda e, _s: replace(e, account=Account.CASH, debit_minor=1, credit_minor=0),
        (("entry_id",), ("member_id",), ("account",), ("debit_minor", "credit_minor")),
    ),
    Case(
        "dunning_notices",
        _dunning_notices,
        lambda e, _s: replace(e, level=3, days_overdue=90),
        (("invoice_id",), ("level",), ("issued_at",)),
    ),
]
