"""Supplier scorecards and cash-to-cash on the in-memory network, from seeded transactions.

The documents are written straight through the unit of work (the services that create them are
tested in their own modules); :func:`seed_flows` is shared with the HTTP tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from tests.support import World

from tandem.domain.errors import Forbidden, NotFound, ValidationFailed
from tandem.domain.finance import (
    Account,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    JournalEntry,
    MatchStatus,
    Posting,
)
from tandem.domain.inventory import MovementKind, StockMovement
from tandem.domain.orders import OrderStatus, PurchaseOrder, PurchaseOrderLine
from tandem.domain.performance import DaysMetric, DurationStats
from tandem.domain.shipments import (
    Discrepancy,
    Receipt,
    ReceiptLine,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
)
from tandem.services import performance
from tandem.services.ports import UnitOfWork

OCTOBER = (date(2026, 10, 1), date(2026, 11, 1))


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@dataclass(frozen=True)
class Codes:
    """Ids of the small network's members, sites and items by code."""

    network_id: int
    members: dict[str, int]
    sites: dict[str, int]
    items: dict[str, int]

    @classmethod
    def of(cls, uow: UnitOfWork, network_id: int) -> Codes:
        return cls(
            network_id,
            {m.code: m.id for m in uow.members.find(network_id=network_id)},
            {s.code: s.id for s in uow.sites.find(network_id=network_id)},
            {i.sku: i.id for i in uow.items.find(network_id=network_id)},
        )


def add_order(
    uow: UnitOfWork,
    c: Codes,
    buyer: str,
    seller: str,
    status: OrderStatus,
    lines: Sequence[tuple[str, str, int, date, date | None]],
) -> list[PurchaseOrderLine]:
    """An order created 1 October 09:00 with ``(sku, quantity, price, requested, confirmed)``
    lines, confirmed (when dated) in full."""
    ship_to = {"ROAST": "PLANT", "CAFE": "CAFE-1", "BEANS": "PORT"}[buyer]
    order = uow.purchase_orders.add(
        PurchaseOrder(
            0,
            c.network_id,
            f"PO-{uow.purchase_orders.count() + 1}",
            c.members[buyer],
            c.members[seller],
            c.sites[ship_to],
            status,
            1,
            at(10, 1, 9),
        )
    )
    return [
        uow.purchase_order_lines.add(
            PurchaseOrderLine(
                0,
                order.id,
                n,
                c.items[sku],
                Decimal(quantity),
                price,
                requested,
                None if confirmed is None else Decimal(quantity),
                confirmed,
            )
        )
        for n, (sku, quantity, price, requested, confirmed) in enumerate(lines, start=1)
    ]


def deliver(
    uow: UnitOfWork,
    c: Codes,
    line: PurchaseOrderLine,
    quantity: str,
    when: datetime,
    flag: Discrepancy = Discrepancy.NONE,
) -> None:
    """One shipment of ``line`` and its receipt of ``quantity``."""
    order = uow.purchase_orders.get(line.order_id)
    assert order is not None
    number = uow.shipments.count() + 1
    shipment = uow.shipments.add(
        Shipment(
            0,
            c.network_id,
            f"SH-{number}",
            order.id,
            order.seller_member_id,
            order.buyer_member_id,
            c.sites["PORT" if order.seller_member_id == c.members["BEANS"] else "PLANT"],
            order.ship_to_site_id,
            ShipmentStatus.RECEIVED,
            when,
            when.date(),
        )
    )
    shipped = uow.shipment_lines.add(
        ShipmentLine(0, shipment.id, line.id, line.item_id, line.quantity)
    )
    receipt = uow.receipts.add(
        Receipt(0, c.network_id, f"GR-{number}", shipment.id, order.buyer_member_id, when)
    )
    uow.receipt_lines.add(
        ReceiptLine(0, receipt.id, shipped.id, line.item_id, Decimal(quantity), discrepancy=flag)
    )


def bill(
    uow: UnitOfWork,
    c: Codes,
    when: datetime,
    match: MatchStatus,
    lines: list[tuple[PurchaseOrderLine, str, int]],
) -> None:
    """An invoice of ``(order line, quantity, unit price)`` lines."""
    order = uow.purchase_orders.get(lines[0][0].order_id)
    assert order is not None
    amounts = [int(Decimal(quantity) * price) for _, quantity, price in lines]
    invoice = uow.invoices.add(
        Invoice(
            0,
            c.network_id,
            f"INV-{uow.invoices.count() + 1}",
            order.id,
            order.seller_member_id,
            order.buyer_member_id,
            when,
            date(2026, 12, 31),
            "EUR",
            sum(amounts),
            InvoiceStatus.OPEN,
            match,
        )
    )
    for (line, quantity, price), amount in zip(lines, amounts, strict=True):
        uow.invoice_lines.add(
            InvoiceLine(0, invoice.id, line.id, line.item_id, Decimal(quantity), price, amount)
        )


def post(
    uow: UnitOfWork, c: Codes, when: datetime, kind: str, rows: list[tuple[str, Account, int]]
) -> None:
    """A journal entry; positive amounts are debits, negative ones credits."""
    entry = uow.journal_entries.add(JournalEntry(0, c.network_id, when, kind, kind))
    for member, account, amount in rows:
        uow.postings.add(
            Posting(0, entry.id, c.members[member], account, max(amount, 0), max(-amount, 0))
        )


def move(uow: UnitOfWork, c: Codes, sku: str, kind: MovementKind, qty: str, when: datetime) -> None:
    uow.stock_movements.add(
        StockMovement(
            0,
            c.network_id,
            c.members["ROAST"],
            c.sites["PLANT"],
            c.items[sku],
            kind,
            Decimal(qty),
            when,
        )
    )


def seed_scorecards(uow: UnitOfWork, c: Codes) -> None:
    """The roaster buys 3 x 100 kg of green beans from the importer, ordered 1 October: line 1
    arrives on its date (lead time 5 days), line 2 two days late (promised 7, took 9), line 3
    early but 20 kg short (promised 9). Invoices: lines 1 and 2, with line 2 at 4.10 instead of
    4.00 (released after a block); line 3 as received (matched). The café's order of blend from
    the roaster, due 20 October, never arrived; its draft to the importer does not count."""
    green = add_order(
        uow,
        c,
        "ROAST",
        "BEANS",
        OrderStatus.RECEIVED,
        [
            ("GREEN", "100", 400, date(2026, 10, 5), date(2026, 10, 6)),
            ("GREEN", "100", 400, date(2026, 10, 8), date(2026, 10, 8)),
            ("GREEN", "100", 400, date(2026, 10, 10), date(2026, 10, 10)),
        ],
    )
    deliver(uow, c, green[0], "100", at(10, 6))
    deliver(uow, c, green[1], "100", at(10, 10))
    deliver(uow, c, green[2], "80", at(10, 9), Discrepancy.SHORT)
    bill(uow, c, at(10, 12), MatchStatus.RELEASED, [(green[0], "100", 400), (green[1], "100", 410)])
    bill(uow, c, at(10, 13), MatchStatus.MATCHED, [(green[2], "80", 400)])
    blend = [("BLEND", "20", 1200, date(2026, 10, 20), None)]
    add_order(uow, c, "CAFE", "ROAST", OrderStatus.SUBMITTED, blend)
    add_order(
        uow, c, "CAFE", "BEANS", OrderStatus.DRAFT, [("GREEN", "1", 400, date(2026, 10, 20), None)]
    )


def seed_ledgers(uow: UnitOfWork, c: Codes) -> None:
    """The roaster over [23 Oct, 22 Nov): 1,000 kg green beans (4,000.00) before it; 600 kg
    consumed (2,400.00), 500 kg blend made and 300 kg shipped (3,600.00): COGS 6,000.00, stock
    4,000.00 at both ends. It invoices the café 4,500.00 (paid 1,500.00) and owes the importer
    2,400.00."""
    move(uow, c, "GREEN", MovementKind.RECEIPT, "1000", at(10, 1))
    move(uow, c, "GREEN", MovementKind.CONSUMPTION, "-600", at(11, 1))
    move(uow, c, "BLEND", MovementKind.RECEIPT, "500", at(11, 2))
    move(uow, c, "BLEND", MovementKind.ISSUE, "-300", at(11, 10))
    receivable, payable = Account.RECEIVABLES, Account.PAYABLES
    post(uow, c, at(10, 25), "invoice", [
        ("BEANS", receivable, 240_000), ("BEANS", Account.REVENUE, -240_000),
        ("ROAST", Account.PURCHASES, 240_000), ("ROAST", payable, -240_000),
    ])  # fmt: skip
    post(uow, c, at(11, 10), "invoice", [
        ("ROAST", receivable, 450_000), ("ROAST", Account.REVENUE, -450_000),
        ("CAFE", Account.PURCHASES, 450_000), ("CAFE", payable, -450_000),
    ])  # fmt: skip
    post(uow, c, at(11, 15), "payment", [
        ("ROAST", Account.CASH, 150_000), ("ROAST", receivable, -150_000),
        ("CAFE", payable, 150_000), ("CAFE", Account.CASH, -150_000),
    ])  # fmt: skip


def seed_flows(uow: UnitOfWork, network_id: int) -> Codes:
    """Both scenarios, committed; returns the ids by code."""
    c = Codes.of(uow, network_id)
    seed_scorecards(uow, c)
    seed_ledgers(uow, c)
    uow.commit()
    return c


@pytest.fixture
def codes(world: World) -> Codes:
    with world.ctx.uow() as uow:
        return seed_flows(uow, world.network_id)


# ---------------------------------------------------------------- scorecards


def test_buyer_sees_a_scorecard_of_each_supplier_it_ordered_from(
    world: World, codes: Codes
) -> None:
    (card,) = performance.supplier_scorecards(world.ctx, world.roaster, *OCTOBER)

    assert (card.buyer_member_id, card.seller_member_id) == (
        codes.members["ROAST"],
        codes.members["BEANS"],
    )
    delivery = card.delivery
    assert (delivery.lines_due, delivery.lines_on_time_in_full, delivery.otif_rate) == (3, 1, 1 / 3)
    assert (delivery.ordered_quantity, delivery.filled_quantity) == (Decimal(300), Decimal(280))
    assert delivery.fill_rate == 280 / 300
    assert delivery.promised_lead_time == DurationStats(3, 7.0, 2.0)
    assert delivery.actual_lead_time == DurationStats(2, 7.0, 8**0.5)
    assert (card.receiving.receipt_lines, card.receiving.discrepancy_rate) == (3, 1 / 3)
    invoicing = card.invoicing
    assert (invoicing.invoices, invoicing.invoices_matched) == (2, 1)
    assert (invoicing.invoiced_minor, invoicing.value_at_order_price_minor) == (113_000, 112_000)
    assert (invoicing.price_variance_minor, invoicing.price_variance_pct) == (1_000, 25 / 28)


def test_an_order_that_never_arrived_scores_zero_not_nothing(world: World, codes: Codes) -> None:
    (card,) = performance.supplier_scorecards(world.ctx, world.cafe, *OCTOBER)

    assert card.seller_member_id == codes.members["ROAST"]
    assert (card.delivery.lines_due, card.delivery.otif_rate, card.delivery.fill_rate) == (
        1,
        0.0,
        0.0,
    )
    assert card.delivery.actual_lead_time == DurationStats(0, None, None)
    assert (card.receiving.discrepancy_rate, card.invoicing.match_rate) == (None, None)


def test_seller_reads_the_scorecard_its_buyer_keeps_about_it(world: World, codes: Codes) -> None:
    beans, roast = codes.members["BEANS"], codes.members["ROAST"]

    by_buyer = performance.supplier_scorecard(world.ctx, world.roaster, beans, *OCTOBER)
    by_seller = performance.supplier_scorecard(
        world.ctx, world.beans, beans, *OCTOBER, buyer_member_id=roast
    )

    assert by_seller == by_buyer
    assert by_buyer.delivery.lines_on_time_in_full == 1


def test_only_parties_of_the_orders_see_a_scorecard(world: World, codes: Codes) -> None:
    beans, roast = codes.members["BEANS"], codes.members["ROAST"]

    with pytest.raises(NotFound):
        performance.supplier_scorecard(world.ctx, world.cafe, beans, *OCTOBER, roast)
    with pytest.raises(NotFound):  # the importer asks about itself as its own buyer
        performance.supplier_scorecard(world.ctx, world.beans, beans, *OCTOBER)
    with pytest.raises(NotFound):  # the café's only order to the importer is a draft
        performance.supplier_scorecard(world.ctx, world.cafe, beans, *OCTOBER)
    assert performance.supplier_scorecards(world.ctx, world.beans, *OCTOBER) == ()


def test_an_inverted_period_is_refused(world: World, codes: Codes) -> None:
    with pytest.raises(ValidationFailed):
        performance.supplier_scorecards(world.ctx, world.roaster, *reversed(OCTOBER))


# ---------------------------------------------------------------- cash-to-cash


def test_member_sees_its_cash_to_cash_over_the_trailing_window(world: World, codes: Codes) -> None:
    found = performance.cash_to_cash(world.ctx, world.roaster, days=30)

    assert (found.member_id, found.as_of, found.days) == (
        codes.members["ROAST"],
        date(2026, 11, 21),
        30,
    )
    assert (found.start, found.end) == (at(10, 23, 0), at(11, 22, 0))
    assert (found.opening_inventory_minor, found.closing_inventory_minor) == (400_000, 400_000)
    assert (found.average_inventory_minor, found.cogs_minor) == (400_000.0, 600_000)
    assert (found.revenue_minor, found.receivables_minor) == (450_000, 300_000)
    assert (found.purchases_minor, found.payables_minor) == (240_000, 240_000)
    assert (found.dio, found.dso, found.dpo) == (
        DaysMetric(20.0),
        DaysMetric(20.0),
        DaysMetric(30.0),
    )
    assert found.ccc == DaysMetric(10.0)


def test_an_earlier_as_of_moves_the_window(world: World, codes: Codes) -> None:
    """Up to 31 October only the importer's invoice (purchases 2,400.00) and the stock of green
    beans (4,000.00, nothing leaving) fall in the window."""
    found = performance.cash_to_cash(world.ctx, world.roaster, date(2026, 10, 31), 30)

    assert (found.cogs_minor, found.purchases_minor, found.revenue_minor) == (0, 240_000, 0)
    assert found.dio == DaysMetric(None, "no cost of goods sold in the 30-day window")
    assert found.dpo == DaysMetric(30.0)
    assert found.ccc == DaysMetric(None, "DIO, DSO cannot be computed")


def test_network_admin_sees_where_cash_is_tied_up(world: World, codes: Codes) -> None:
    found = performance.cash_to_cash_by_member(world.ctx, world.roaster, days=30)

    by_member = {c.member_id: (c.dio.days, c.dso.days, c.dpo.days, c.ccc.days) for c in found}
    assert [c.member_id for c in found] == sorted(codes.members.values())
    assert by_member == {
        codes.members["ROAST"]: (20.0, 20.0, 30.0, 10.0),
        codes.members["CAFE"]: (None, None, 20.0, None),
        codes.members["BEANS"]: (None, 30.0, None, None),
    }


def test_cash_to_cash_of_the_network_is_for_admins_only(world: World, codes: Codes) -> None:
    with pytest.raises(Forbidden):
        performance.cash_to_cash_by_member(world.ctx, world.cafe)


def test_a_window_of_no_days_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed, match="1 to 3660 days"):
        performance.cash_to_cash(world.ctx, world.cafe, days=0)
