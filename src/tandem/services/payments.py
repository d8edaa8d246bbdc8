"""Use cases of settling invoices: the buyer's payments (partial allowed) and the seller's credit
notes. Each reduces the invoice's open amount and writes its balanced journal entry, in one
transaction; a refused request writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from tandem.domain.errors import (
    CreditExceedsOpenAmount,
    InvoiceBlocked,
    PaymentExceedsOpenAmount,
    ValidationFailed,
    Violation,
)
from tandem.domain.finance import (
    CreditNote,
    EntryKind,
    Invoice,
    MatchStatus,
    PartyRole,
    Payment,
    settlement_status,
)
from tandem.domain.identity import Principal, Scope
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.documents import add_numbered, require_party
from tandem.services.finance import post_entry
from tandem.services.invoices import party_invoice, require_role

PAYMENT_PARTIES = ("payer_member_id", "payee_member_id")
ROLE_FIELD = {PartyRole.BUYER: "payer_member_id", PartyRole.SELLER: "payee_member_id"}


@dataclass(frozen=True)
class PayInvoice:
    invoice_id: int
    amount_minor: int
    reference: str = ""


@dataclass(frozen=True)
class IssueCreditNote:
    invoice_id: int
    amount_minor: int
    reason: str


def _require_positive(amount_minor: int, what: str) -> None:
    if amount_minor <= 0:
        raise ValidationFailed(
            f"a {what.replace('_', ' ')} needs a positive amount",
            violations=[Violation(what, "must be positive", "amount_minor")],
        )


def _settled(invoice: Invoice, paid_minor: int = 0, credited_minor: int = 0) -> Invoice:
    paid = invoice.paid_minor + paid_minor
    credited = invoice.credited_minor + credited_minor
    status = settlement_status(invoice.total_minor, paid, credited)
    return replace(invoice, paid_minor=paid, credited_minor=credited, status=status)


def pay_invoice(ctx: ServiceContext, principal: Principal, command: PayInvoice) -> Payment:
    """The buyer pays all or part of the open amount of a matched or released invoice."""
    principal.require(Scope.DATA_WRITE)
    _require_positive(command.amount_minor, "payment")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        invoice = party_invoice(uow, principal, command.invoice_id)
        require_role(principal, invoice, PartyRole.BUYER, "pay")
        if invoice.match_status is MatchStatus.BLOCKED:
            raise InvoiceBlocked(
                f"invoice {invoice.number} is blocked by the three-way match: "
                f"{invoice.match_reason}"
            )
        if command.amount_minor > invoice.open_minor:
            raise PaymentExceedsOpenAmount(
                f"payment {command.amount_minor} exceeds the open amount {invoice.open_minor} "
                f"of invoice {invoice.number}"
            )
        payment = uow.payments.add(
            Payment(
                0,
                invoice.network_id,
                invoice.id,
                invoice.buyer_member_id,
                invoice.seller_member_id,
                command.amount_minor,
                now,
                command.reference,
            )
        )
        uow.invoices.update(_settled(invoice, paid_minor=command.amount_minor))
        post_entry(
            uow, invoice, EntryKind.PAYMENT, f"payment:{payment.id}", payment.amount_minor, now
        )
        uow.commit()
    return payment


def issue_credit_note(
    ctx: ServiceContext, principal: Principal, command: IssueCreditNote
) -> CreditNote:
    """The seller credits all or part of the open amount of one of its invoices."""
    principal.require(Scope.DATA_WRITE)
    _require_positive(command.amount_minor, "credit_note")
    if not command.reason.strip():
        raise ValidationFailed(
            "a credit note needs a reason",
            violations=[Violation("credit_note", "required", "reason")],
        )
    now = ctx.clock.now()
    with ctx.uow() as uow:
        invoice = party_invoice(uow, principal, command.invoice_id)
        require_role(principal, invoice, PartyRole.SELLER, "credit")
        if command.amount_minor > invoice.open_minor:
            raise CreditExceedsOpenAmount(
                f"credit note {command.amount_minor} exceeds the open amount "
                f"{invoice.open_minor} of invoice {invoice.number}"
            )
        note = add_numbered(
            uow.credit_notes,
            CreditNote(
                0,
                invoice.network_id,
                "",
                invoice.id,
                command.amount_minor,
                command.reason.strip(),
                now,
            ),
            "CN",
        )
        uow.invoices.update(_settled(invoice, credited_minor=command.amount_minor))
        post_entry(
            uow, invoice, EntryKind.CREDIT_NOTE, f"credit_note:{note.id}", note.amount_minor, now
        )
        uow.commit()
    return note


def list_payments(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    role: PartyRole | None = None,
    invoice_id: int | None = None,
) -> Page[Payment]:
    """Payments the caller made (role buyer), received (seller) or either, oldest first."""
    principal.require(Scope.DATA_READ)
    filters: dict[str, Any] = {"network_id": principal.network_id}
    if invoice_id is not None:
        filters["invoice_id"] = invoice_id
    fields = [ROLE_FIELD[role]] if role is not None else list(ROLE_FIELD.values())
    with ctx.uow() as uow:
        found = [
            p for f in fields for p in uow.payments.find(**{**filters, f: principal.member_id})
        ]
    ordered = sorted({p.id: p for p in found}.values(), key=lambda p: p.id)
    chosen = ordered[page.offset : page.offset + page.limit]
    return Page(tuple(chosen), len(ordered), page.offset, page.limit)


def get_payment(ctx: ServiceContext, principal: Principal, payment_id: int) -> Payment:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        payment = uow.payments.get(payment_id)
        return require_party(principal, payment, PAYMENT_PARTIES, "payment", payment_id)
