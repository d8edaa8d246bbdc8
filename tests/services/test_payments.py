"""Payments by the buyer (partial allowed) and credit notes by the seller reduce the open amount
of an invoice; a refused request writes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from tests.finance_support import OrderLineRow, seed_order
from tests.support import World

from tandem.domain.errors import (
    CreditExceedsOpenAmount,
    Forbidden,
    InvoiceBlocked,
    NotFound,
    PaymentExceedsOpenAmount,
    ValidationFailed,
)
from tandem.domain.finance import CreditNote, Invoice, InvoiceStatus, PartyRole, Payment
from tandem.domain.identity import Scope
from tandem.services import invoices, payments
from tandem.services.context import PageRequest
from tandem.services.invoices import InvoiceLineInput, IssueInvoice
from tandem.services.payments import IssueCreditNote, PayInvoice

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def issued(world: World, quantity: str = "60", received: str = "60") -> Invoice:
    """ROAST invoices CAFE ``quantity`` kg BLEND at 12.50 (80 shipped)."""
    order = seed_order(
        world.ctx,
        world.network_id,
        "CAFE",
        "ROAST",
        "CAFE-1",
        [OrderLineRow("BLEND", "100", 1250, shipped="80", received=received)],
    )
    line = (InvoiceLineInput(order.line_ids[0], Decimal(quantity)),)
    return invoices.issue_invoice(world.ctx, world.roaster, IssueInvoice(order.id, line)).invoice


def current(world: World, invoice_id: int) -> Invoice:
    return invoices.get_invoice(world.ctx, world.cafe, invoice_id).invoice


def pay(world: World, invoice: Invoice, amount: int, reference: str = "") -> Payment:
    return payments.pay_invoice(world.ctx, world.cafe, PayInvoice(invoice.id, amount, reference))


def credit(world: World, invoice: Invoice, amount: int, reason: str = "damaged") -> CreditNote:
    return payments.issue_credit_note(
        world.ctx, world.roaster, IssueCreditNote(invoice.id, amount, reason)
    )


def written(world: World) -> tuple[int, ...]:
    with world.ctx.uow() as uow:
        return (
            uow.payments.count(),
            uow.credit_notes.count(),
            uow.journal_entries.count(),
            uow.postings.count(),
        )


def test_partial_payments_settle_the_invoice(world: World) -> None:
    invoice = issued(world)

    first = pay(world, invoice, 30000, "bank 1")
    after_first = current(world, invoice.id)
    second = pay(world, invoice, 45000)
    after_second = current(world, invoice.id)

    assert first == Payment(
        first.id,
        world.network_id,
        invoice.id,
        world.cafe.member_id,
        world.roaster.member_id,
        30000,
        NOW,
        "bank 1",
    )
    assert (after_first.status, after_first.paid_minor, after_first.open_minor) == (
        InvoiceStatus.PARTIALLY_PAID,
        30000,
        45000,
    )
    assert (after_second.status, after_second.paid_minor, after_second.open_minor) == (
        InvoiceStatus.PAID,
        75000,
        0,
    )
    detail = invoices.get_invoice(world.ctx, world.roaster, invoice.id)
    assert detail.payments == (first, second)


def test_overpayment_is_refused_with_its_code_and_writes_nothing(world: World) -> None:
    invoice = issued(world)
    pay(world, invoice, 30000)
    before = (written(world), current(world, invoice.id))

    with pytest.raises(PaymentExceedsOpenAmount) as refused:
        pay(world, invoice, 45001)

    assert refused.value.code == "payment_exceeds_open_amount"
    assert str(refused.value) == "payment 45001 exceeds the open amount 45000 of invoice INV-000001"
    assert (written(world), current(world, invoice.id)) == before


def test_paid_invoice_takes_no_further_payment(world: World) -> None:
    invoice = issued(world)
    pay(world, invoice, 75000)

    with pytest.raises(PaymentExceedsOpenAmount):
        pay(world, invoice, 1)


@pytest.mark.parametrize("amount", [0, -5])
def test_payment_needs_a_positive_amount(world: World, amount: int) -> None:
    invoice = issued(world)

    with pytest.raises(ValidationFailed) as refused:
        pay(world, invoice, amount)

    assert [str(v) for v in refused.value.violations] == ["payment.amount_minor: must be positive"]


def test_blocked_invoice_is_paid_only_after_release(world: World) -> None:
    invoice = issued(world, quantity="80")
    before = written(world)

    with pytest.raises(InvoiceBlocked) as refused:
        pay(world, invoice, 100)
    assert written(world) == before
    invoices.release_invoice(world.ctx, world.cafe, invoice.id, "accepted")
    pay(world, invoice, 100000)

    assert refused.value.code == "invoice_blocked"
    assert str(refused.value) == (
        "invoice INV-000001 is blocked by the three-way match: "
        "line 1: invoiced 80.000 > received 60.000 (+0%)"
    )
    assert current(world, invoice.id).status is InvoiceStatus.PAID


def test_only_the_buyer_pays_and_a_third_member_sees_no_invoice(world: World) -> None:
    invoice = issued(world)

    with pytest.raises(Forbidden, match="only the buyer may pay invoice INV-000001"):
        payments.pay_invoice(world.ctx, world.roaster, PayInvoice(invoice.id, 1))
    with pytest.raises(NotFound, match=f"invoice {invoice.id} not found"):
        payments.pay_invoice(world.ctx, world.beans, PayInvoice(invoice.id, 1))
    reader = replace(world.cafe, scopes=frozenset({Scope.DATA_READ}))
    with pytest.raises(Forbidden, match="data:write"):
        payments.pay_invoice(world.ctx, reader, PayInvoice(invoice.id, 1))
    assert written(world)[0] == 0


def test_credit_note_reduces_the_open_amount_and_is_numbered(world: World) -> None:
    invoice = issued(world)

    note = credit(world, invoice, 15000, " 12 kg damaged ")

    assert note == CreditNote(
        note.id, world.network_id, "CN-000001", invoice.id, 15000, "12 kg damaged", NOW
    )
    after = current(world, invoice.id)
    assert (after.status, after.credited_minor, after.open_minor) == (
        InvoiceStatus.OPEN,
        15000,
        60000,
    )
    with pytest.raises(PaymentExceedsOpenAmount):
        pay(world, invoice, 60001)
    pay(world, invoice, 60000)
    assert current(world, invoice.id).status is InvoiceStatus.PAID


def test_fully_credited_invoice_is_credited(world: World) -> None:
    invoice = issued(world)
    credit(world, invoice, 75000)

    assert current(world, invoice.id).status is InvoiceStatus.CREDITED
    assert invoices.get_invoice(world.ctx, world.cafe, invoice.id).credit_notes[0].number == (
        "CN-000001"
    )


def test_credit_above_the_open_amount_is_refused_and_writes_nothing(world: World) -> None:
    invoice = issued(world)
    pay(world, invoice, 70000)
    before = (written(world), current(world, invoice.id))

    with pytest.raises(CreditExceedsOpenAmount) as refused:
        credit(world, invoice, 5001)

    assert refused.value.code == "credit_exceeds_open_amount"
    assert (written(world), current(world, invoice.id)) == before


def test_credit_note_needs_the_seller_a_reason_and_a_positive_amount(world: World) -> None:
    invoice = issued(world)

    with pytest.raises(Forbidden, match="only the seller may credit invoice INV-000001"):
        payments.issue_credit_note(world.ctx, world.cafe, IssueCreditNote(invoice.id, 1, "x"))
    with pytest.raises(NotFound):
        payments.issue_credit_note(world.ctx, world.beans, IssueCreditNote(invoice.id, 1, "x"))
    with pytest.raises(ValidationFailed, match="a credit note needs a reason"):
        credit(world, invoice, 1, " ")
    with pytest.raises(ValidationFailed, match="a credit note needs a positive amount"):
        credit(world, invoice, 0)
    assert written(world)[1] == 0


def test_blocked_invoice_can_be_credited(world: World) -> None:
    invoice = issued(world, quantity="80")

    credit(world, invoice, 25000, "20 kg not received")

    assert current(world, invoice.id).open_minor == 75000


def test_parties_list_and_read_payments(world: World) -> None:
    invoice = issued(world)
    first, second = pay(world, invoice, 100), pay(world, invoice, 200)
    page = PageRequest()

    received = payments.list_payments(world.ctx, world.roaster, page, PartyRole.SELLER)
    made = payments.list_payments(world.ctx, world.cafe, page, PartyRole.BUYER, invoice.id)
    none_made = payments.list_payments(world.ctx, world.roaster, page, PartyRole.BUYER)
    third = payments.list_payments(world.ctx, world.beans, page)
    second_page = payments.list_payments(world.ctx, world.cafe, PageRequest(1, 1))

    assert received.items == made.items == (first, second)
    assert (none_made.total, third.total) == (0, 0)
    assert (second_page.items, second_page.total) == ((second,), 2)
    assert payments.get_payment(world.ctx, world.roaster, first.id) == first
    with pytest.raises(NotFound, match=f"payment {first.id} not found"):
        payments.get_payment(world.ctx, world.beans, first.id)
