"""Use cases of invoices: the seller invoices shipped quantities of a purchase order, the buyer's
three-way match checks them against order and receipt, and the buyer releases a blocked invoice.

An invoice, its lines, payments and credit notes are seen by its two parties only; anybody else
gets 404 ``not_found``. Issuing writes the invoice, the order lines' invoiced quantities, an
``invoiced`` order event and the journal entry in one transaction, or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from tandem.domain.errors import (
    Forbidden,
    InvalidTransition,
    InvoiceExceedsShipped,
    NotFound,
    ValidationFailed,
    Violation,
)
from tandem.domain.finance import (
    CreditNote,
    DunningNotice,
    EntryKind,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    MatchLine,
    MatchStatus,
    PartyRole,
    Payment,
    three_way_match,
)
from tandem.domain.identity import Principal, Scope
from tandem.domain.orders import (
    OrderEvent,
    OrderEventKind,
    PurchaseOrder,
    PurchaseOrderLine,
    TradeTerms,
)
from tandem.domain.quantities import ZERO, money, to_quantity
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.documents import add_numbered, require_party
from tandem.services.finance import post_entry
from tandem.services.ports import UnitOfWork

INVOICE_PARTIES = ("seller_member_id", "buyer_member_id")


@dataclass(frozen=True)
class InvoiceLineInput:
    """One line to invoice; without a price, the order line's price applies."""

    order_line_id: int
    quantity: Decimal
    unit_price_minor: int | None = None


@dataclass(frozen=True)
class IssueInvoice:
    order_id: int
    lines: tuple[InvoiceLineInput, ...]


@dataclass(frozen=True)
class InvoiceDetail:
    invoice: Invoice
    lines: tuple[InvoiceLine, ...]
    payments: tuple[Payment, ...] = ()
    credit_notes: tuple[CreditNote, ...] = ()
    dunning_notices: tuple[DunningNotice, ...] = ()


# ---------------------------------------------------------------- parties


def party_invoice(
    uow: UnitOfWork, principal: Principal, invoice_id: int, *, lock: bool = True
) -> Invoice:
    """The invoice if the caller is its seller or buyer; 404 otherwise. Locked until the
    transaction ends unless ``lock`` is false, so concurrent payments queue on PostgreSQL."""
    invoice = uow.invoices.get_for_update(invoice_id) if lock else uow.invoices.get(invoice_id)
    return require_party(principal, invoice, INVOICE_PARTIES, "invoice", invoice_id)


def require_role(principal: Principal, invoice: Invoice, role: PartyRole, action: str) -> None:
    """Refuse (403) a party of ``invoice`` that is not its ``role``."""
    member = invoice.seller_member_id if role is PartyRole.SELLER else invoice.buyer_member_id
    if principal.member_id != member:
        raise Forbidden(f"only the {role.value} may {action} invoice {invoice.number}")


# ---------------------------------------------------------------- issue


def issue_invoice(
    ctx: ServiceContext, principal: Principal, command: IssueInvoice
) -> InvoiceDetail:
    """The seller invoices shipped, not yet invoiced quantities of one of its orders; the
    buyer's three-way match runs at once. Refused as a whole, writing nothing, when a line
    exceeds what is invoiceable (``invoice_exceeds_shipped``)."""
    principal.require(Scope.DATA_WRITE)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        order = _order_of_seller(uow, principal, command.order_id)
        drafts = _draft_lines(uow, order, command.lines)
        invoice = _store_invoice(uow, order, drafts, now)
        lines = tuple(uow.invoice_lines.add(replace(d, invoice_id=invoice.id)) for d in drafts)
        _record_invoiced(uow, principal, order, invoice, lines, now)
        post_entry(
            uow, invoice, EntryKind.INVOICE, f"invoice:{invoice.id}", invoice.total_minor, now
        )
        invoice = _matched(uow, invoice, lines)
        uow.invoices.update(invoice)
        uow.commit()
    return InvoiceDetail(invoice, lines)


def _order_of_seller(uow: UnitOfWork, principal: Principal, order_id: int) -> PurchaseOrder:
    order = require_party(
        principal,
        uow.purchase_orders.get_for_update(order_id),
        INVOICE_PARTIES,
        "order",
        order_id,
    )
    if order.seller_member_id != principal.member_id:
        raise Forbidden(f"only the seller may invoice order {order.number}")
    return order


def _quantity(value: Decimal) -> Decimal | None:
    try:
        quantity = to_quantity(value)
    except ValueError:
        return None
    return quantity if quantity > ZERO else None


def _draft_lines(
    uow: UnitOfWork, order: PurchaseOrder, inputs: tuple[InvoiceLineInput, ...]
) -> list[InvoiceLine]:
    """Invoice lines (not yet stored) of ``inputs``; raises ``ValidationFailed`` for malformed
    lines and ``InvoiceExceedsShipped`` for lines above the shipped, not invoiced quantity."""
    if not inputs:
        raise ValidationFailed("an invoice needs lines", violations=[Violation("lines", "empty")])
    order_lines = {line.id: line for line in uow.purchase_order_lines.find(order_id=order.id)}
    malformed: list[Violation] = []
    seen: set[int] = set()
    for index, given in enumerate(inputs):
        malformed += _line_violations(f"lines[{index}]", given, order_lines, seen, order.number)
        seen.add(given.order_line_id)
    if malformed:
        raise ValidationFailed("invalid invoice lines", violations=malformed)
    drafts = [_draft(given, order_lines[given.order_line_id]) for given in inputs]
    _check_invoiceable(order_lines, drafts)
    if sum(d.amount_minor for d in drafts) <= 0:
        raise ValidationFailed(
            "an invoice needs a positive total",
            violations=[Violation("lines", "total is zero", "unit_price_minor")],
        )
    return drafts


def _line_violations(
    where: str,
    given: InvoiceLineInput,
    order_lines: dict[int, PurchaseOrderLine],
    seen: set[int],
    order_number: str,
) -> list[Violation]:
    found: list[Violation] = []
    if given.order_line_id not in order_lines:
        message = f"order line {given.order_line_id} is not a line of order {order_number}"
        found.append(Violation(where, message, "order_line_id"))
    elif given.order_line_id in seen:
        found.append(Violation(where, "order line invoiced twice", "order_line_id"))
    if _quantity(given.quantity) is None:
        message = "must be positive, with at most three decimals"
        found.append(Violation(where, message, "quantity"))
    if given.unit_price_minor is not None and given.unit_price_minor < 0:
        found.append(Violation(where, "must not be negative", "unit_price_minor"))
    return found


def _draft(given: InvoiceLineInput, line: PurchaseOrderLine) -> InvoiceLine:
    quantity = to_quantity(given.quantity)
    price = line.unit_price_minor if given.unit_price_minor is None else given.unit_price_minor
    return InvoiceLine(0, 0, line.id, line.item_id, quantity, price, money(quantity, price))


def _check_invoiceable(
    order_lines: dict[int, PurchaseOrderLine], drafts: list[InvoiceLine]
) -> None:
    exceeding: list[Violation] = []
    for index, draft in enumerate(drafts):
        line = order_lines[draft.order_line_id]
        invoiceable = line.shipped_quantity - line.invoiced_quantity
        if draft.quantity > invoiceable:
            exceeding.append(
                Violation(
                    f"lines[{index}]",
                    f"line {line.line_no}: invoiced {draft.quantity} > shipped and not yet "
                    f"invoiced {invoiceable} (shipped {line.shipped_quantity}, invoiced "
                    f"{line.invoiced_quantity})",
                    "quantity",
                )
            )
    if exceeding:
        raise InvoiceExceedsShipped(
            "the invoice exceeds the quantity shipped and not yet invoiced", violations=exceeding
        )


def _store_invoice(
    uow: UnitOfWork, order: PurchaseOrder, drafts: list[InvoiceLine], now: datetime
) -> Invoice:
    network = uow.networks.get(order.network_id)
    if network is None:
        raise NotFound(f"network {order.network_id} not found")
    invoice = Invoice(
        0,
        order.network_id,
        "",
        order.id,
        order.seller_member_id,
        order.buyer_member_id,
        now,
        now.date() + timedelta(days=order.payment_terms_days),
        network.currency,
        sum(d.amount_minor for d in drafts),
        InvoiceStatus.OPEN,
        MatchStatus.BLOCKED,
        "not matched yet",
    )
    return add_numbered(uow.invoices, invoice, "INV")


def _record_invoiced(
    uow: UnitOfWork,
    principal: Principal,
    order: PurchaseOrder,
    invoice: Invoice,
    lines: tuple[InvoiceLine, ...],
    now: datetime,
) -> None:
    """Add the invoiced quantities to the order lines; append an ``invoiced`` order event."""
    changed = []
    for line in lines:
        order_line = uow.purchase_order_lines.get(line.order_line_id)
        assert order_line is not None
        total = order_line.invoiced_quantity + line.quantity
        changed.append(replace(order_line, invoiced_quantity=total))
    uow.purchase_order_lines.update_many(changed)
    version = order.version + 1
    detail: dict[str, Any] = {"invoice_id": invoice.id, "number": invoice.number}
    detail["total_minor"] = invoice.total_minor
    kind = OrderEventKind.INVOICED
    uow.order_events.add(
        OrderEvent(0, order.id, version, kind, now, principal.member_id, detail, principal.user_id)
    )
    uow.purchase_orders.update(replace(order, version=version))


# ---------------------------------------------------------------- the buyer's three-way match


def _terms(uow: UnitOfWork, invoice: Invoice) -> TradeTerms:
    found = uow.trade_terms.find(
        buyer_member_id=invoice.buyer_member_id, seller_member_id=invoice.seller_member_id
    )
    if found:
        return found[0]
    return TradeTerms(0, invoice.network_id, invoice.buyer_member_id, invoice.seller_member_id)


def _match_line(uow: UnitOfWork, invoice: Invoice, line: InvoiceLine) -> MatchLine:
    order_line = uow.purchase_order_lines.get(line.order_line_id)
    assert order_line is not None
    earlier = sum(
        (
            other.quantity
            for other in uow.invoice_lines.find(order_line_id=line.order_line_id)
            if other.invoice_id < invoice.id
        ),
        ZERO,
    )
    return MatchLine(
        order_line.line_no,
        line.quantity,
        line.unit_price_minor,
        order_line.unit_price_minor,
        order_line.received_quantity,
        earlier,
    )


def _matched(uow: UnitOfWork, invoice: Invoice, lines: tuple[InvoiceLine, ...]) -> Invoice:
    terms = _terms(uow, invoice)
    result = three_way_match(
        [_match_line(uow, invoice, line) for line in lines],
        terms.quantity_tolerance_pct,
        terms.price_tolerance_pct,
    )
    return replace(invoice, match_status=result.status, match_reason=result.reason)


def _blocked_invoice_of_buyer(
    uow: UnitOfWork, principal: Principal, invoice_id: int, action: str
) -> Invoice:
    invoice = party_invoice(uow, principal, invoice_id)
    require_role(principal, invoice, PartyRole.BUYER, action)
    if invoice.match_status is not MatchStatus.BLOCKED:
        raise InvalidTransition(
            f"invoice {invoice.number} is {invoice.match_status.value}; only a blocked invoice "
            f"can be {action}d"
        )
    return invoice


def rematch_invoice(ctx: ServiceContext, principal: Principal, invoice_id: int) -> Invoice:
    """The buyer runs the three-way match of a blocked invoice again (after a late receipt)."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        invoice = _blocked_invoice_of_buyer(uow, principal, invoice_id, "rematch")
        invoice = _matched(uow, invoice, tuple(uow.invoice_lines.find(invoice_id=invoice.id)))
        uow.invoices.update(invoice)
        uow.commit()
    return invoice


def release_invoice(
    ctx: ServiceContext, principal: Principal, invoice_id: int, note: str
) -> Invoice:
    """The buyer releases a blocked invoice for payment, saying why."""
    principal.require(Scope.DATA_WRITE)
    if not note.strip():
        raise ValidationFailed(
            "a release needs a note", violations=[Violation("release", "required", "note")]
        )
    with ctx.uow() as uow:
        invoice = _blocked_invoice_of_buyer(uow, principal, invoice_id, "release")
        reason = f"{invoice.match_reason} | released: {note.strip()}"
        invoice = replace(invoice, match_status=MatchStatus.RELEASED, match_reason=reason)
        uow.invoices.update(invoice)
        uow.commit()
    return invoice


# ---------------------------------------------------------------- reads


def list_invoices(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    role: PartyRole | None = None,
    status: InvoiceStatus | None = None,
    match_status: MatchStatus | None = None,
    order_id: int | None = None,
) -> Page[Invoice]:
    """The caller's invoices (as seller, buyer or either), oldest first."""
    principal.require(Scope.DATA_READ)
    filters: dict[str, Any] = {"network_id": principal.network_id}
    given = {"status": status, "match_status": match_status, "order_id": order_id}
    filters.update({k: v for k, v in given.items() if v is not None})
    with ctx.uow() as uow:
        if role is not None:
            filters[f"{role.value}_member_id"] = principal.member_id
            rows = uow.invoices.find(offset=page.offset, limit=page.limit, **filters)
            return Page(tuple(rows), uow.invoices.count(**filters), page.offset, page.limit)
        both = [
            invoice
            for field in ("seller_member_id", "buyer_member_id")
            for invoice in uow.invoices.find(**{**filters, field: principal.member_id})
        ]
    ordered = sorted({i.id: i for i in both}.values(), key=lambda i: i.id)
    chosen = ordered[page.offset : page.offset + page.limit]
    return Page(tuple(chosen), len(ordered), page.offset, page.limit)


def get_invoice(ctx: ServiceContext, principal: Principal, invoice_id: int) -> InvoiceDetail:
    """An invoice with its lines, payments, credit notes and dunning notices."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        invoice = party_invoice(uow, principal, invoice_id, lock=False)
        return InvoiceDetail(
            invoice,
            tuple(uow.invoice_lines.find(invoice_id=invoice.id)),
            tuple(uow.payments.find(invoice_id=invoice.id)),
            tuple(uow.credit_notes.find(invoice_id=invoice.id)),
            tuple(uow.dunning_notices.find(invoice_id=invoice.id)),
        )
