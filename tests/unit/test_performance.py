"""Supplier scorecards and cash-to-cash on hand-built transactions, every number hand-checked."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tandem.domain.errors import ValidationFailed
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
from tandem.domain.performance import (
    DaysMetric,
    DurationStats,
    SupplyRecord,
    Window,
    cash_to_cash,
    duration_stats,
    line_outcomes,
    ratio,
    score_supplier,
)
from tandem.domain.shipments import Discrepancy, Receipt, ReceiptLine, ShipmentLine

BUYER, SELLER, OTHER = 2, 1, 3
AS_OF = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
OCTOBER = (date(2026, 10, 1), date(2026, 11, 1))


def at(day: int, month: int = 10, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def q(value: str) -> Decimal:
    return Decimal(value)


def order(order_id: int, status: OrderStatus = OrderStatus.RECEIVED) -> PurchaseOrder:
    return PurchaseOrder(order_id, 1, f"PO-{order_id}", BUYER, SELLER, 10, status, 1, at(1, hour=9))


def line(
    line_id: int,
    quantity: str,
    price: int,
    requested: date,
    confirmed: date | None = None,
    confirmed_quantity: str | None = None,
    order_id: int = 1,
    cancelled: bool = False,
) -> PurchaseOrderLine:
    committed = None if confirmed_quantity is None else q(confirmed_quantity)
    return PurchaseOrderLine(
        line_id,
        order_id,
        line_id,
        7,
        q(quantity),
        price,
        requested,
        committed,
        confirmed,
        cancelled=cancelled,
    )


def receipt(receipt_id: int, when: datetime) -> Receipt:
    return Receipt(receipt_id, 1, f"GR-{receipt_id}", receipt_id, BUYER, when)


def received(
    row_id: int,
    receipt_id: int,
    quantity: str,
    damaged: str = "0",
    flag: Discrepancy = Discrepancy.NONE,
) -> ReceiptLine:
    return ReceiptLine(row_id, receipt_id, row_id, 7, q(quantity), q(damaged), flag)


def invoice(invoice_id: int, issued: datetime, status: MatchStatus) -> Invoice:
    return Invoice(
        invoice_id,
        1,
        f"INV-{invoice_id}",
        1,
        SELLER,
        BUYER,
        issued,
        date(2026, 12, 1),
        "EUR",
        0,
        InvoiceStatus.OPEN,
        status,
    )


def three_lines() -> SupplyRecord:
    """Ordered 1 October. Line 1 arrives on its confirmed date in full (OTIF, lead times 5/5);
    line 2 arrives two days late (promised 7, actual 9); line 3 arrives early but short, 6
    received of which 1 damaged (promised 9, never completed)."""
    lines = (
        line(1, "10", 400, date(2026, 10, 5), date(2026, 10, 6), "10"),
        line(2, "10", 1200, date(2026, 10, 8), date(2026, 10, 8), "10"),
        line(3, "10", 500, date(2026, 10, 10), date(2026, 10, 10)),
    )
    shipment_lines = tuple(ShipmentLine(n, n, n, 7, q("10")) for n in (1, 2, 3))
    receipts = (receipt(1, at(6, hour=23)), receipt(2, at(10)), receipt(3, at(8)))
    receipt_lines = (
        received(1, 1, "10"),
        received(2, 2, "10"),
        received(3, 3, "6", "1", Discrepancy.DAMAGED),
    )
    invoices = (
        invoice(1, at(7), MatchStatus.MATCHED),
        invoice(2, at(12), MatchStatus.RELEASED),
        invoice(3, at(2, month=11), MatchStatus.BLOCKED),
    )
    invoice_lines = (
        InvoiceLine(1, 1, 1, 7, q("10"), 400, 4000),
        InvoiceLine(2, 2, 2, 7, q("10"), 1230, 12300),
        InvoiceLine(3, 3, 3, 7, q("5"), 600, 3000),
    )
    return SupplyRecord(
        (order(1),), lines, shipment_lines, receipts, receipt_lines, invoices, invoice_lines
    )


def test_one_line_on_time_in_full_one_late_one_short() -> None:
    card = score_supplier(BUYER, SELLER, three_lines(), *OCTOBER, AS_OF)

    delivery = card.delivery
    assert (delivery.lines_due, delivery.lines_on_time_in_full) == (3, 1)
    assert delivery.otif_rate == 1 / 3
    assert (delivery.ordered_quantity, delivery.filled_quantity) == (q("30"), q("25"))
    assert delivery.fill_rate == 25 / 30
    assert delivery.promised_lead_time == DurationStats(3, 7.0, 2.0)
    assert delivery.actual_lead_time == DurationStats(2, 7.0, math.sqrt(8))


def test_receipt_lines_with_a_discrepancy_over_receipt_lines_of_the_period() -> None:
    receiving = score_supplier(BUYER, SELLER, three_lines(), *OCTOBER, AS_OF).receiving

    assert (receiving.receipt_lines, receiving.receipt_lines_with_discrepancy) == (3, 1)
    assert receiving.discrepancy_rate == 1 / 3


def test_released_invoice_did_not_match_first_time_and_price_variance_is_signed() -> None:
    """Invoices 1 and 2 are issued in October: 100.00 at the order price, and 123.00 for what
    was ordered at 120.00. Invoice 3 (November) is outside the period."""
    invoicing = score_supplier(BUYER, SELLER, three_lines(), *OCTOBER, AS_OF).invoicing

    assert (invoicing.invoices, invoicing.invoices_matched) == (2, 1)
    assert invoicing.match_rate == 0.5
    assert (invoicing.invoiced_minor, invoicing.value_at_order_price_minor) == (16300, 16000)
    assert invoicing.price_variance_minor == 300
    assert invoicing.price_variance_pct == 1.875


def test_every_metric_is_none_when_nothing_happened_in_the_period() -> None:
    card = score_supplier(BUYER, SELLER, three_lines(), date(2026, 1, 1), date(2026, 2, 1), AS_OF)

    assert (card.delivery.lines_due, card.delivery.otif_rate, card.delivery.fill_rate) == (
        0,
        None,
        None,
    )
    assert card.delivery.actual_lead_time == DurationStats(0, None, None)
    assert (card.receiving.receipt_lines, card.receiving.discrepancy_rate) == (0, None)
    assert (card.invoicing.match_rate, card.invoicing.price_variance_minor) == (None, None)
    assert card.invoicing.price_variance_pct is None


def test_in_full_is_measured_against_the_confirmed_quantity_and_fill_against_the_ordered() -> None:
    """10 ordered, 8 confirmed for 5 October, 8 arrive on the 5th, 3 more on the 9th: on time
    in full from the 5th (the receipt that completed the confirmed 8); the extra is capped at
    the ordered 10 for fill rate."""
    record = SupplyRecord(
        (order(1),),
        (line(1, "10", 100, date(2026, 10, 4), date(2026, 10, 5), "8"),),
        (ShipmentLine(1, 1, 1, 7, q("8")), ShipmentLine(2, 2, 1, 7, q("3"))),
        (receipt(1, at(5)), receipt(2, at(9))),
        (received(1, 1, "8"), received(2, 2, "3", flag=Discrepancy.OVER)),
    )

    (outcome,) = line_outcomes(record, *OCTOBER, AS_OF)
    delivery = score_supplier(BUYER, SELLER, record, *OCTOBER, AS_OF).delivery

    assert (outcome.committed, outcome.received, outcome.completed_on) == (
        q("8"),
        q("11"),
        date(2026, 10, 5),
    )
    assert (delivery.otif_rate, delivery.filled_quantity, delivery.fill_rate) == (1.0, q("10"), 1.0)


def test_lines_not_yet_due_cancelled_draft_or_committed_at_zero_are_not_measured() -> None:
    """Only line 1 counts: line 2 is due on the day of measurement, line 3 is cancelled, line 4
    belongs to a draft, line 5 was confirmed at zero, line 6 is due after the period."""
    record = SupplyRecord(
        (order(1, OrderStatus.ACKNOWLEDGED), order(2, OrderStatus.DRAFT)),
        (
            line(1, "5", 100, date(2026, 11, 20)),
            line(2, "5", 100, date(2026, 11, 21)),
            line(3, "5", 100, date(2026, 11, 3), cancelled=True),
            line(4, "5", 100, date(2026, 11, 3), order_id=2),
            line(5, "5", 100, date(2026, 11, 3), date(2026, 11, 3), "0"),
            line(6, "5", 100, date(2026, 12, 1)),
        ),
    )

    outcomes = line_outcomes(record, date(2026, 11, 1), date(2026, 12, 2), AS_OF)

    assert [o.line.id for o in outcomes] == [1]
    assert outcomes[0].on_time_in_full is False


def test_an_empty_period_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="must end after it starts"):
        score_supplier(BUYER, SELLER, SupplyRecord(), date(2026, 10, 1), date(2026, 10, 1), AS_OF)


def test_lead_time_statistics_are_the_sample_mean_and_standard_deviation() -> None:
    assert duration_stats([5, 7, 9]) == DurationStats(3, 7.0, 2.0)
    assert duration_stats([4]) == DurationStats(1, 4.0, None)
    assert duration_stats([]) == DurationStats(0, None, None)
    assert ratio(0, 0) is None


# ---------------------------------------------------------------- cash-to-cash

GREEN, BLEND = 11, 12
UNIT_VALUES = {GREEN: 4.0, BLEND: 12.5}
SITE, STORE = 21, 22
WINDOW = Window(date(2026, 9, 30), 90)  # [2026-07-03, 2026-10-01)


def moved(
    item: int, kind: MovementKind, quantity: str, when: datetime, site: int = SITE, owner: int = 1
) -> StockMovement:
    return StockMovement(0, 1, owner, site, item, kind, q(quantity), when)


def stock_ledger() -> list[StockMovement]:
    """Green beans: 2,000 kg (8,000.00) before the window; 21,000 received and 20,000 issued
    (80,000.00) in it, 3,000 kg (12,000.00) at its end. Blend: 800 kg received and consumed
    (10,000.00). A transfer between own sites, an issue at the window's end and another
    member's stock do not count."""
    return [
        moved(GREEN, MovementKind.RECEIPT, "2000", at(1, month=6)),
        moved(GREEN, MovementKind.RECEIPT, "21000", at(1, month=8)),
        moved(GREEN, MovementKind.ISSUE, "-20000", at(1, month=9)),
        moved(GREEN, MovementKind.TRANSFER_OUT, "-100", at(2, month=9)),
        moved(GREEN, MovementKind.TRANSFER_IN, "100", at(2, month=9), STORE),
        moved(BLEND, MovementKind.RECEIPT, "800", at(10, month=7)),
        moved(BLEND, MovementKind.CONSUMPTION, "-800", at(15, month=9)),
        moved(GREEN, MovementKind.ISSUE, "-1000", datetime(2026, 10, 1, tzinfo=UTC)),
        moved(GREEN, MovementKind.RECEIPT, "9999", at(1, month=8), owner=2),
    ]


def money_ledger() -> tuple[list[JournalEntry], list[Posting]]:
    """Member 1 sells: 2,000.00 invoiced and paid before the window; 10,000.00 invoiced, 1,000.00
    credited and 3,000.00 paid in it (revenue 9,000.00, receivables 6,000.00 at the end). It buys
    4,500.00 and pays 3,000.00 (payables 1,500.00). An invoice at the window's end and the
    buyer's postings do not count."""
    dated = [
        (at(1, month=6), 1, Account.RECEIVABLES, Account.REVENUE, 200_000),
        (at(20, month=6), 1, Account.CASH, Account.RECEIVABLES, 200_000),
        (at(1, month=8), 1, Account.RECEIVABLES, Account.REVENUE, 1_000_000),
        (at(1, month=8), 2, Account.PURCHASES, Account.PAYABLES, 1_000_000),
        (at(10, month=9), 1, Account.REVENUE, Account.RECEIVABLES, 100_000),
        (at(20, month=9), 1, Account.CASH, Account.RECEIVABLES, 300_000),
        (at(15, month=8), 1, Account.PURCHASES, Account.PAYABLES, 450_000),
        (at(25, month=9), 1, Account.PAYABLES, Account.CASH, 300_000),
        (datetime(2026, 10, 1, tzinfo=UTC), 1, Account.RECEIVABLES, Account.REVENUE, 99_900),
    ]
    entries, postings = [], []
    for n, (when, member, debit, credit, amount) in enumerate(dated, start=1):
        entries.append(JournalEntry(n, 1, when, "test", f"entry:{n}"))
        postings.append(Posting(2 * n - 1, n, member, debit, debit_minor=amount))
        postings.append(Posting(2 * n, n, member, credit, credit_minor=amount))
    return entries, postings


def test_cash_to_cash_from_the_stock_and_money_ledgers() -> None:
    entries, postings = money_ledger()

    found = cash_to_cash(1, WINDOW, stock_ledger(), UNIT_VALUES, entries, postings)

    assert (found.start, found.end) == (
        datetime(2026, 7, 3, tzinfo=UTC),
        datetime(2026, 10, 1, tzinfo=UTC),
    )
    assert (found.opening_inventory_minor, found.closing_inventory_minor) == (800_000, 1_200_000)
    assert (found.average_inventory_minor, found.cogs_minor) == (1_000_000.0, 9_000_000)
    assert (found.revenue_minor, found.receivables_minor) == (900_000, 600_000)
    assert (found.purchases_minor, found.payables_minor) == (450_000, 150_000)
    assert (found.dio, found.dso, found.dpo) == (
        DaysMetric(10.0),
        DaysMetric(60.0),
        DaysMetric(30.0),
    )
    assert found.ccc == DaysMetric(40.0)


def test_each_days_metric_says_why_it_is_missing() -> None:
    entries, postings = money_ledger()
    credit = [
        Posting(101, 3, 3, Account.REVENUE, debit_minor=500),
        Posting(102, 3, 3, Account.RECEIVABLES, credit_minor=500),
    ]

    found = cash_to_cash(3, WINDOW, stock_ledger(), UNIT_VALUES, entries, [*postings, *credit])

    assert (found.opening_inventory_minor, found.average_inventory_minor) == (0, 0.0)
    assert found.dio == DaysMetric(None, "no cost of goods sold in the 90-day window")
    assert found.dso == DaysMetric(None, "revenue in the 90-day window is negative (-500)")
    assert found.dpo == DaysMetric(None, "no purchases in the 90-day window")
    assert found.ccc == DaysMetric(None, "DIO, DSO, DPO cannot be computed")


def test_a_window_runs_whole_utc_days_up_to_the_end_of_as_of() -> None:
    window = Window(date(2026, 11, 21), 1)

    assert (window.start, window.end) == (
        datetime(2026, 11, 21, tzinfo=UTC),
        datetime(2026, 11, 22, tzinfo=UTC),
    )
    with pytest.raises(ValidationFailed, match="1 to 3660 days"):
        Window(date(2026, 11, 21), 0)
