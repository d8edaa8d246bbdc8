"""Capital flow: invoices, the buyer's three-way match, payments, credit notes and the balanced
money ledger. Amounts are integers of minor units in the network's one currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    CREDITED = "credited"


class MatchStatus(StrEnum):
    MATCHED = "matched"
    BLOCKED = "blocked"
    RELEASED = "released"


@dataclass(frozen=True)
class Invoice:
    id: int
    network_id: int
    number: str
    order_id: int
    seller_member_id: int
    buyer_member_id: int
    issued_at: datetime
    due_date: date
    currency: str
    total_minor: int
    status: InvoiceStatus
    match_status: MatchStatus
    match_reason: str = ""
    paid_minor: int = 0
    credited_minor: int = 0
    dunning_level: int = 0

    @property
    def open_minor(self) -> int:
        return self.total_minor - self.paid_minor - self.credited_minor


@dataclass(frozen=True)
class InvoiceLine:
    id: int
    invoice_id: int
    order_line_id: int
    item_id: int
    quantity: Decimal
    unit_price_minor: int
    amount_minor: int


@dataclass(frozen=True)
class Payment:
    id: int
    network_id: int
    invoice_id: int
    payer_member_id: int
    payee_member_id: int
    amount_minor: int
    paid_at: datetime
    reference: str = ""


@dataclass(frozen=True)
class CreditNote:
    id: int
    network_id: int
    number: str
    invoice_id: int
    amount_minor: int
    reason: str
    issued_at: datetime


class Account(StrEnum):
    """Accounts of each member's money ledger."""

    CASH = "cash"
    RECEIVABLES = "receivables"
    PAYABLES = "payables"
    REVENUE = "revenue"
    PURCHASES = "purchases"


@dataclass(frozen=True)
class JournalEntry:
    """One business event in money (invoice, payment, credit note); its postings balance."""

    id: int
    network_id: int
    at: datetime
    kind: str
    reference: str


@dataclass(frozen=True)
class Posting:
    id: int
    entry_id: int
    member_id: int
    account: Account
    debit_minor: int = 0
    credit_minor: int = 0


@dataclass(frozen=True)
class DunningNotice:
    id: int
    invoice_id: int
    level: int
    issued_at: datetime
    days_overdue: int
