"""Capital flow: invoices, the buyer's three-way match, payments, credit notes and the balanced
money ledger. Amounts are integers of minor units in the network's one currency."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
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


class PartyRole(StrEnum):
    """The side a member takes on an invoice."""

    SELLER = "seller"
    BUYER = "buyer"


class AgeingSide(StrEnum):
    """Receivables (what customers owe the caller) or payables (what the caller owes)."""

    RECEIVABLE = "receivable"
    PAYABLE = "payable"


# ---------------------------------------------------------------- rules of the money ledger


class EntryKind(StrEnum):
    """The business events that move money; the ``kind`` of a :class:`JournalEntry`."""

    INVOICE = "invoice"
    PAYMENT = "payment"
    CREDIT_NOTE = "credit_note"


# Per event: (debit, credit) of the seller, then (debit, credit) of the buyer (docs/flows.md).
POSTING_TABLE: dict[EntryKind, tuple[tuple[Account, Account], tuple[Account, Account]]] = {
    EntryKind.INVOICE: (
        (Account.RECEIVABLES, Account.REVENUE),
        (Account.PURCHASES, Account.PAYABLES),
    ),
    EntryKind.PAYMENT: (
        (Account.CASH, Account.RECEIVABLES),
        (Account.PAYABLES, Account.CASH),
    ),
    EntryKind.CREDIT_NOTE: (
        (Account.REVENUE, Account.RECEIVABLES),
        (Account.PAYABLES, Account.PURCHASES),
    ),
}


def postings_for(
    kind: EntryKind, seller_member_id: int, buyer_member_id: int, amount_minor: int
) -> list[Posting]:
    """The four postings of a money event of ``amount_minor`` (> 0), not yet tied to an entry
    (``id`` and ``entry_id`` are 0); they balance in total and per member.

    >>> [(p.member_id, p.account.value, p.debit_minor, p.credit_minor)
    ...  for p in postings_for(EntryKind.PAYMENT, 1, 2, 500)]
    [(1, 'cash', 500, 0), (1, 'receivables', 0, 500), (2, 'payables', 500, 0), (2, 'cash', 0, 500)]
    """
    if amount_minor <= 0:
        raise ValueError(f"a money event needs a positive amount, not {amount_minor}")
    seller, buyer = POSTING_TABLE[kind]
    postings: list[Posting] = []
    for member_id, (debit, credit) in ((seller_member_id, seller), (buyer_member_id, buyer)):
        postings.append(Posting(0, 0, member_id, debit, debit_minor=amount_minor))
        postings.append(Posting(0, 0, member_id, credit, credit_minor=amount_minor))
    return postings


def unbalanced(postings: Iterable[Posting]) -> list[str]:
    """What breaks double entry in ``postings`` (one entry, or a whole ledger): per entry and
    member, and per entry in total, debits must equal credits. Empty when all balance."""
    per_member: dict[tuple[int, int], int] = defaultdict(int)
    per_entry: dict[int, int] = defaultdict(int)
    for p in postings:
        per_member[(p.entry_id, p.member_id)] += p.debit_minor - p.credit_minor
        per_entry[p.entry_id] += p.debit_minor - p.credit_minor
    problems = [
        f"entry {e}: debits - credits = {d}" for e, d in sorted(per_entry.items()) if d != 0
    ]
    problems += [
        f"entry {e} member {m}: debits - credits = {d}"
        for (e, m), d in sorted(per_member.items())
        if d != 0
    ]
    return problems


@dataclass(frozen=True)
class AccountBalance:
    """One line of a trial balance; ``balance_minor`` is debits minus credits."""

    account: Account
    debit_minor: int
    credit_minor: int

    @property
    def balance_minor(self) -> int:
        return self.debit_minor - self.credit_minor


def account_balances(postings: Iterable[Posting]) -> tuple[AccountBalance, ...]:
    """Debits and credits per account over ``postings`` (one member's), every account listed."""
    debits: dict[Account, int] = defaultdict(int)
    credits: dict[Account, int] = defaultdict(int)
    for p in postings:
        debits[p.account] += p.debit_minor
        credits[p.account] += p.credit_minor
    return tuple(AccountBalance(a, debits[a], credits[a]) for a in Account)


def settlement_status(total_minor: int, paid_minor: int, credited_minor: int) -> InvoiceStatus:
    """An invoice's status from what was paid and credited against it.

    >>> settlement_status(100, 0, 100), settlement_status(100, 60, 40), settlement_status(100, 1, 0)
    (<InvoiceStatus.CREDITED: 'credited'>, <InvoiceStatus.PAID: 'paid'>, \
<InvoiceStatus.PARTIALLY_PAID: 'partially_paid'>)
    """
    if paid_minor + credited_minor >= total_minor:
        return InvoiceStatus.PAID if paid_minor > 0 else InvoiceStatus.CREDITED
    return InvoiceStatus.PARTIALLY_PAID if paid_minor > 0 else InvoiceStatus.OPEN


# ---------------------------------------------------------------- three-way match


@dataclass(frozen=True)
class MatchLine:
    """One invoice line beside its order line and what was received against it.

    ``earlier_invoiced`` is the quantity of the order line on invoices issued before this one."""

    line_no: int
    invoiced: Decimal
    unit_price_minor: int
    ordered_price_minor: int
    received: Decimal
    earlier_invoiced: Decimal


@dataclass(frozen=True)
class MatchResult:
    status: MatchStatus
    reason: str = ""


def _pct(value: float) -> str:
    return f"+{Decimal(str(value)).normalize():f}%"


def _limit(base: Decimal | int, tolerance_pct: float) -> Decimal:
    return Decimal(base) * (1 + Decimal(str(tolerance_pct)) / 100)


def three_way_match(
    lines: Iterable[MatchLine], quantity_tolerance_pct: float, price_tolerance_pct: float
) -> MatchResult:
    """Order, receipt and invoice compared: per line, the cumulative invoiced quantity may exceed
    the received one, and the invoiced price the ordered one, by at most the tolerance.

    >>> line = MatchLine(1, Decimal("80.000"), 1250, 1250, Decimal("60.000"), Decimal("0.000"))
    >>> three_way_match([line], 0.0, 2.0).reason
    'line 1: invoiced 80.000 > received 60.000 (+0%)'
    """
    reasons: list[str] = []
    for line in lines:
        invoiced = line.earlier_invoiced + line.invoiced
        if invoiced > _limit(line.received, quantity_tolerance_pct):
            reasons.append(
                f"line {line.line_no}: invoiced {invoiced} > received {line.received} "
                f"({_pct(quantity_tolerance_pct)})"
            )
        if line.unit_price_minor > _limit(line.ordered_price_minor, price_tolerance_pct):
            reasons.append(
                f"line {line.line_no}: price {line.unit_price_minor} > ordered "
                f"{line.ordered_price_minor} ({_pct(price_tolerance_pct)})"
            )
    if reasons:
        return MatchResult(MatchStatus.BLOCKED, "; ".join(reasons))
    return MatchResult(MatchStatus.MATCHED)


# ---------------------------------------------------------------- ageing and dunning


class AgeingBucket(StrEnum):
    """Open amounts by days past due; the values name the fields of :class:`AgeingAmounts`."""

    CURRENT = "current"
    DAYS_1_30 = "days_1_30"
    DAYS_31_60 = "days_31_60"
    DAYS_61_90 = "days_61_90"
    DAYS_OVER_90 = "days_over_90"


def days_overdue(due_date: date, as_of: date) -> int:
    """Days past ``due_date`` on ``as_of``; zero or less while not yet overdue."""
    return (as_of - due_date).days


def ageing_bucket(days_overdue: int) -> AgeingBucket:
    """The bucket of an open amount ``days_overdue`` past due (not yet due: current).

    >>> [ageing_bucket(d).value for d in (0, 1, 30, 31, 60, 61, 90, 91)]
    ['current', 'days_1_30', 'days_1_30', 'days_31_60', 'days_31_60', 'days_61_90', \
'days_61_90', 'days_over_90']
    """
    if days_overdue <= 0:
        return AgeingBucket.CURRENT
    if days_overdue <= 30:
        return AgeingBucket.DAYS_1_30
    if days_overdue <= 60:
        return AgeingBucket.DAYS_31_60
    if days_overdue <= 90:
        return AgeingBucket.DAYS_61_90
    return AgeingBucket.DAYS_OVER_90


@dataclass(frozen=True)
class AgeingAmounts:
    """Open amounts (minor units) per ageing bucket."""

    current: int = 0
    days_1_30: int = 0
    days_31_60: int = 0
    days_61_90: int = 0
    days_over_90: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, b.value) for b in AgeingBucket)

    def plus(self, bucket: AgeingBucket, amount_minor: int) -> AgeingAmounts:
        return replace(self, **{bucket.value: getattr(self, bucket.value) + amount_minor})

    def __add__(self, other: AgeingAmounts) -> AgeingAmounts:
        return AgeingAmounts(
            *(getattr(self, b.value) + getattr(other, b.value) for b in AgeingBucket)
        )


def aged(open_items: Iterable[tuple[date, int]], as_of: date) -> AgeingAmounts:
    """``(due_date, open_minor)`` items summed into their buckets on ``as_of``."""
    amounts = AgeingAmounts()
    for due_date, open_minor in open_items:
        amounts = amounts.plus(ageing_bucket(days_overdue(due_date, as_of)), open_minor)
    return amounts


def dunning_level(days_overdue: int) -> int:
    """0 while not overdue; 1 from the first day overdue, 2 from day 31, 3 from day 61.

    >>> [dunning_level(d) for d in (0, 1, 30, 31, 60, 61, 400)]
    [0, 1, 1, 2, 2, 3, 3]
    """
    if days_overdue <= 0:
        return 0
    if days_overdue <= 30:
        return 1
    if days_overdue <= 60:
        return 2
    return 3
