"""The supplier scorecard: how one seller served one buyer over a period, from the orders,
receipts and invoices they share (see :mod:`tandem.domain.performance` for the sources)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tandem.domain.finance import Invoice, InvoiceLine, MatchStatus
from tandem.domain.orders import OrderStatus, PurchaseOrder, PurchaseOrderLine
from tandem.domain.performance.measures import (
    DurationStats,
    check_period,
    duration_stats,
    midnight,
    ratio,
    utc_day,
)
from tandem.domain.quantities import ZERO, money
from tandem.domain.shipments import Discrepancy, Receipt, ReceiptLine, ShipmentLine

NOT_MEASURED = frozenset({OrderStatus.DRAFT, OrderStatus.CANCELLED})
"""Orders whose lines are never due: not sent, or called off."""


@dataclass(frozen=True)
class SupplyRecord:
    """Everything one buyer and one seller recorded: orders and their lines, the shipment lines
    (which tie receipt lines to order lines), receipts and invoices with their lines."""

    orders: tuple[PurchaseOrder, ...] = ()
    lines: tuple[PurchaseOrderLine, ...] = ()
    shipment_lines: tuple[ShipmentLine, ...] = ()
    receipts: tuple[Receipt, ...] = ()
    receipt_lines: tuple[ReceiptLine, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    invoice_lines: tuple[InvoiceLine, ...] = ()


@dataclass(frozen=True)
class LineOutcome:
    """How one order line due in the period was delivered.

    ``due`` is the confirmed date, or the requested date if the seller confirmed none;
    ``committed`` the confirmed quantity, or the ordered quantity. ``received`` is the accepted
    quantity (received minus damaged) of every receipt up to the time of measurement;
    ``completed_on`` the UTC date of the receipt that brought the cumulative accepted quantity
    to ``committed`` (``None`` while short).
    """

    line: PurchaseOrderLine
    ordered_on: date
    due: date
    committed: Decimal
    received: Decimal
    completed_on: date | None

    @property
    def on_time_in_full(self) -> bool:
        """In full (accepted >= committed, tolerance 0) and on time (completed on or before
        ``due``)."""
        return self.completed_on is not None and self.completed_on <= self.due

    @property
    def filled(self) -> Decimal:
        """The received quantity that counts towards fill rate: at most the ordered quantity, so
        an over-delivery of one line cannot hide a shortage of another."""
        return min(self.received, self.line.quantity)


def deliveries(record: SupplyRecord, before: datetime) -> dict[int, list[tuple[datetime, Decimal]]]:
    """Accepted quantities received before ``before``, per order line id, in time order."""
    receipts = {r.id: r for r in record.receipts if r.received_at < before}
    shipment_lines = {s.id: s for s in record.shipment_lines}
    found: dict[int, list[tuple[datetime, Decimal]]] = defaultdict(list)
    for receipt_line in record.receipt_lines:
        receipt = receipts.get(receipt_line.receipt_id)
        shipment_line = shipment_lines.get(receipt_line.shipment_line_id)
        if receipt is not None and shipment_line is not None:
            found[shipment_line.order_line_id].append(
                (receipt.received_at, receipt_line.accepted_quantity)
            )
    return {line_id: sorted(rows, key=lambda row: row[0]) for line_id, rows in found.items()}


def _outcome(
    line: PurchaseOrderLine, ordered_at: datetime, arrivals: list[tuple[datetime, Decimal]]
) -> LineOutcome:
    committed = line.quantity if line.confirmed_quantity is None else line.confirmed_quantity
    due = line.requested_date if line.confirmed_date is None else line.confirmed_date
    received, completed_on = ZERO, None
    for at, quantity in arrivals:
        received += quantity
        if completed_on is None and received >= committed:
            completed_on = utc_day(at)
    return LineOutcome(line, utc_day(ordered_at), due, committed, received, completed_on)


def line_outcomes(
    record: SupplyRecord, since: date, until: date, as_of: datetime
) -> tuple[LineOutcome, ...]:
    """Outcomes of the lines due in ``[since, until)`` whose due date has passed at ``as_of``
    (a line due today is not yet late). Lines of draft or cancelled orders, cancelled lines and
    lines committed at zero are not measured."""
    orders = {o.id: o for o in record.orders if o.status not in NOT_MEASURED}
    arrivals = deliveries(record, as_of)
    last_day = min(until, utc_day(as_of))
    found = []
    for line in sorted(record.lines, key=lambda row: row.id):
        order = orders.get(line.order_id)
        if order is None or line.cancelled:
            continue
        outcome = _outcome(line, order.created_at, arrivals.get(line.id, []))
        if since <= outcome.due < last_day and outcome.committed > 0:
            found.append(outcome)
    return tuple(found)


@dataclass(frozen=True)
class DeliveryScore:
    """Order lines due in the period (see :class:`LineOutcome`).

    * ``otif_rate`` = lines on time in full / lines due.
    * ``fill_rate`` = filled quantity / ordered quantity, summed over the lines due
      (quantity-weighted; per line the filled quantity is capped at the ordered one).
    * ``promised_lead_time``: confirmed date - order creation date, over lines with a confirmed
      date.
    * ``actual_lead_time``: completion date - order creation date, over completed lines. Its
      mean and standard deviation are the lead time and lead-time uncertainty that inventory
      planning uses for this supplier.
    """

    lines_due: int
    lines_on_time_in_full: int
    otif_rate: float | None
    ordered_quantity: Decimal
    filled_quantity: Decimal
    fill_rate: float | None
    promised_lead_time: DurationStats
    actual_lead_time: DurationStats


@dataclass(frozen=True)
class ReceivingScore:
    """Receipts received in the period: ``discrepancy_rate`` = receipt lines with a discrepancy
    (short, over or damaged) / receipt lines."""

    receipt_lines: int
    receipt_lines_with_discrepancy: int
    discrepancy_rate: float | None


@dataclass(frozen=True)
class InvoicingScore:
    """Invoices issued in the period.

    * ``match_rate`` = invoices whose three-way match passes (``match_status == matched``) /
      invoices. A ``released`` invoice (blocked, then let through by the buyer) does not count;
      one that passed when re-matched after a late receipt does, since no match history is kept.
    * ``price_variance_minor`` (purchase price variance) = invoiced amount - order price x
      invoiced quantity, summed over the invoice lines (positive: charged more than agreed);
      ``price_variance_pct`` = that / ``value_at_order_price_minor`` x 100.
    """

    invoices: int
    invoices_matched: int
    match_rate: float | None
    invoiced_minor: int
    value_at_order_price_minor: int
    price_variance_minor: int | None
    price_variance_pct: float | None


@dataclass(frozen=True)
class SupplierScorecard:
    """How one seller served one buyer over the period ``[since, until)`` of UTC days."""

    buyer_member_id: int
    seller_member_id: int
    since: date
    until: date
    delivery: DeliveryScore
    receiving: ReceivingScore
    invoicing: InvoicingScore


def _in_period(at: datetime, since: date, until: date) -> bool:
    return midnight(since) <= at < midnight(until)


def delivery_score(outcomes: Sequence[LineOutcome]) -> DeliveryScore:
    """OTIF, fill rate and lead times of the measured lines (see :class:`DeliveryScore`)."""
    on_time = sum(1 for o in outcomes if o.on_time_in_full)
    ordered = sum((o.line.quantity for o in outcomes), ZERO)
    filled = sum((o.filled for o in outcomes), ZERO)
    promised = [
        (o.line.confirmed_date - o.ordered_on).days for o in outcomes if o.line.confirmed_date
    ]
    actual = [(o.completed_on - o.ordered_on).days for o in outcomes if o.completed_on]
    return DeliveryScore(
        len(outcomes),
        on_time,
        ratio(on_time, len(outcomes)),
        ordered,
        filled,
        ratio(filled, ordered),
        duration_stats(promised),
        duration_stats(actual),
    )


def receiving_score(record: SupplyRecord, since: date, until: date) -> ReceivingScore:
    """Discrepancies of the receipts received in ``[since, until)``."""
    receipts = {r.id for r in record.receipts if _in_period(r.received_at, since, until)}
    lines = [row for row in record.receipt_lines if row.receipt_id in receipts]
    flagged = sum(1 for row in lines if row.discrepancy is not Discrepancy.NONE)
    return ReceivingScore(len(lines), flagged, ratio(flagged, len(lines)))


def invoicing_score(record: SupplyRecord, since: date, until: date) -> InvoicingScore:
    """First-pass match rate and price variance of the invoices issued in ``[since, until)``."""
    invoices = [i for i in record.invoices if _in_period(i.issued_at, since, until)]
    matched = sum(1 for i in invoices if i.match_status is MatchStatus.MATCHED)
    ids = {i.id for i in invoices}
    prices = {line.id: line.unit_price_minor for line in record.lines}
    lines = [row for row in record.invoice_lines if row.invoice_id in ids]
    invoiced = sum(row.amount_minor for row in lines)
    agreed = sum(money(row.quantity, prices[row.order_line_id]) for row in lines)
    variance = invoiced - agreed if lines else None
    return InvoicingScore(
        len(invoices),
        matched,
        ratio(matched, len(invoices)),
        invoiced,
        agreed,
        variance,
        None if variance is None else ratio(variance * 100, agreed),
    )


def score_supplier(
    buyer_member_id: int,
    seller_member_id: int,
    record: SupplyRecord,
    since: date,
    until: date,
    as_of: datetime,
) -> SupplierScorecard:
    """The scorecard of ``seller_member_id`` as ``buyer_member_id``'s supplier; ``record`` holds
    only their documents, ``as_of`` is the time of measurement."""
    check_period(since, until)
    return SupplierScorecard(
        buyer_member_id,
        seller_member_id,
        since,
        until,
        delivery_score(line_outcomes(record, since, until, as_of)),
        receiving_score(record, since, until),
        invoicing_score(record, since, until),
    )
