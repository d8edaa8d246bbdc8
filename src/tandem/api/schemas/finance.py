"""The capital flow: invoices, payments, credit notes, the money ledger, ageing and dunning.

Amounts are integers of minor units (cents) in the network's one currency; quantities are
decimals with at most three places, rendered as strings (``"60.000"``) so none is rounded."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, StringConstraints

from tandem.api.schemas.common import Id, Line120, RequestModel, ResponseModel
from tandem.domain.finance import Account, AgeingSide, InvoiceStatus, MatchStatus
from tandem.services.invoices import InvoiceDetail, InvoiceLineInput, IssueInvoice
from tandem.services.payments import IssueCreditNote, PayInvoice

MAX_MINOR = 10**15
Amount = Annotated[int, Field(gt=0, le=MAX_MINOR, description="Minor units (cents)")]
Price = Annotated[int, Field(ge=0, le=MAX_MINOR, description="Minor units per unit of the item")]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=3)]
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=r"^[^\x00]*$"),
]


class InvoiceLineIn(RequestModel):
    order_line_id: Id
    quantity: Quantity
    unit_price_minor: Price | None = Field(
        default=None, description="Omitted: the order line's price"
    )


class InvoiceIn(RequestModel):
    order_id: Id
    lines: Annotated[list[InvoiceLineIn], Field(min_length=1, max_length=500)]

    def command(self) -> IssueInvoice:
        return IssueInvoice(
            self.order_id,
            tuple(
                InvoiceLineInput(line.order_line_id, line.quantity, line.unit_price_minor)
                for line in self.lines
            ),
        )


class ReleaseIn(RequestModel):
    note: Text


class CreditNoteIn(RequestModel):
    amount_minor: Amount
    reason: Text

    def command(self, invoice_id: int) -> IssueCreditNote:
        return IssueCreditNote(invoice_id, self.amount_minor, self.reason)


class PaymentIn(RequestModel):
    invoice_id: Id
    amount_minor: Amount
    reference: Line120 = ""

    def command(self) -> PayInvoice:
        return PayInvoice(self.invoice_id, self.amount_minor, self.reference)


class InvoiceOut(ResponseModel):
    id: int
    number: str
    order_id: int
    seller_member_id: int
    buyer_member_id: int
    issued_at: datetime
    due_date: date
    currency: str
    total_minor: int
    paid_minor: int
    credited_minor: int
    open_minor: int
    status: InvoiceStatus
    match_status: MatchStatus
    match_reason: str
    dunning_level: int


class InvoiceLineOut(ResponseModel):
    id: int
    order_line_id: int
    item_id: int
    quantity: Decimal
    unit_price_minor: int
    amount_minor: int


class PaymentOut(ResponseModel):
    id: int
    invoice_id: int
    payer_member_id: int
    payee_member_id: int
    amount_minor: int
    paid_at: datetime
    reference: str


class CreditNoteOut(ResponseModel):
    id: int
    number: str
    invoice_id: int
    amount_minor: int
    reason: str
    issued_at: datetime


class DunningNoticeOut(ResponseModel):
    id: int
    invoice_id: int
    level: int
    days_overdue: int
    issued_at: datetime


class InvoiceDetailOut(InvoiceOut):
    lines: list[InvoiceLineOut]
    payments: list[PaymentOut]
    credit_notes: list[CreditNoteOut]
    dunning_notices: list[DunningNoticeOut]

    @classmethod
    def of(cls, detail: InvoiceDetail) -> Self:
        return cls.model_validate(
            {
                **InvoiceOut.model_validate(detail.invoice).model_dump(),
                "lines": detail.lines,
                "payments": detail.payments,
                "credit_notes": detail.credit_notes,
                "dunning_notices": detail.dunning_notices,
            },
            from_attributes=True,
        )


class AccountBalanceOut(ResponseModel):
    account: Account
    debit_minor: int
    credit_minor: int
    balance_minor: int = Field(description="Debits minus credits")


class TrialBalanceOut(ResponseModel):
    member_id: int
    currency: str
    accounts: list[AccountBalanceOut]
    debit_minor: int
    credit_minor: int


class PostingOut(ResponseModel):
    account: Account
    debit_minor: int
    credit_minor: int


class JournalEntryOut(ResponseModel):
    id: int
    at: datetime
    kind: str
    reference: str
    postings: list[PostingOut]


class AgeingAmountsOut(ResponseModel):
    current: int
    days_1_30: int
    days_31_60: int
    days_61_90: int
    days_over_90: int
    total: int


class AgeingRowOut(ResponseModel):
    counterparty_member_id: int
    counterparty_code: str
    amounts: AgeingAmountsOut


class AgeingReportOut(ResponseModel):
    side: AgeingSide
    as_of: date
    currency: str
    rows: list[AgeingRowOut]
    totals: AgeingAmountsOut


class DunningRunOut(ResponseModel):
    as_of: date
    notices: list[DunningNoticeOut]
