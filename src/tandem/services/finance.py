"""Use cases of the money ledger: journal entries of money events, each member's trial balance and
journal, the ageing of open invoices and the seller's dunning run.

Every money event (invoice, payment, credit note) is written by :func:`post_entry` in the
caller's transaction, with the postings of ``domain.finance.postings_for``: they balance per
member and in total. A member sees only its own postings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from tandem.domain.errors import NotFound
from tandem.domain.finance import (
    Account,
    AccountBalance,
    AgeingAmounts,
    AgeingSide,
    DunningNotice,
    EntryKind,
    Invoice,
    JournalEntry,
    Posting,
    account_balances,
    aged,
    days_overdue,
    dunning_level,
    postings_for,
    unbalanced,
)
from tandem.domain.identity import Principal, Scope
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.ports import UnitOfWork


@dataclass(frozen=True)
class TrialBalance:
    """The caller's accounts; total debits equal total credits."""

    member_id: int
    currency: str
    accounts: tuple[AccountBalance, ...]

    @property
    def debit_minor(self) -> int:
        return sum(a.debit_minor for a in self.accounts)

    @property
    def credit_minor(self) -> int:
        return sum(a.credit_minor for a in self.accounts)


@dataclass(frozen=True)
class MemberJournalEntry:
    """A journal entry with the caller's own postings only."""

    id: int
    at: datetime
    kind: str
    reference: str
    postings: tuple[Posting, ...]


@dataclass(frozen=True)
class AgeingRow:
    counterparty_member_id: int
    counterparty_code: str
    amounts: AgeingAmounts


@dataclass(frozen=True)
class AgeingReport:
    side: AgeingSide
    as_of: date
    currency: str
    rows: tuple[AgeingRow, ...]
    totals: AgeingAmounts


@dataclass(frozen=True)
class DunningRun:
    as_of: date
    notices: tuple[DunningNotice, ...]


@dataclass(frozen=True)
class MoneyLedgerCheck:
    """Problems of the caller's ledger; ``problems`` is empty when it is sound."""

    postings: int
    problems: tuple[str, ...]

    @property
    def is_sound(self) -> bool:
        return not self.problems


def post_entry(
    uow: UnitOfWork,
    invoice: Invoice,
    kind: EntryKind,
    reference: str,
    amount_minor: int,
    at: datetime,
) -> JournalEntry:
    """Write the journal entry of a money event on ``invoice``, in the caller's transaction."""
    entry = uow.journal_entries.add(JournalEntry(0, invoice.network_id, at, kind.value, reference))
    postings = postings_for(kind, invoice.seller_member_id, invoice.buyer_member_id, amount_minor)
    uow.postings.add_many([replace(p, entry_id=entry.id) for p in postings])
    return entry


def _currency(uow: UnitOfWork, principal: Principal) -> str:
    network = uow.networks.get(principal.network_id)
    if network is None:
        raise NotFound("network not found")
    return network.currency


def trial_balance(ctx: ServiceContext, principal: Principal) -> TrialBalance:
    """Debits, credits and balance of each of the caller's accounts."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        postings = uow.postings.find(member_id=principal.member_id)
        currency = _currency(uow, principal)
    return TrialBalance(principal.member_id, currency, account_balances(postings))


def journal(
    ctx: ServiceContext, principal: Principal, page: PageRequest
) -> Page[MemberJournalEntry]:
    """The caller's journal, oldest entry first, each with the caller's postings."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        by_entry: dict[int, list[Posting]] = defaultdict(list)
        for posting in uow.postings.find(member_id=principal.member_id):
            by_entry[posting.entry_id].append(posting)
        ids = sorted(by_entry)
        chosen = [uow.journal_entries.get(i) for i in ids[page.offset : page.offset + page.limit]]
    items = tuple(
        MemberJournalEntry(e.id, e.at, e.kind, e.reference, tuple(by_entry[e.id]))
        for e in chosen
        if e is not None
    )
    return Page(items, len(ids), page.offset, page.limit)


def _open_invoices(uow: UnitOfWork, principal: Principal, side: AgeingSide) -> list[Invoice]:
    mine = "seller_member_id" if side is AgeingSide.RECEIVABLE else "buyer_member_id"
    filters: dict[str, Any] = {"network_id": principal.network_id, mine: principal.member_id}
    found = uow.invoices.find(**filters)
    return [i for i in found if i.open_minor > 0]


def ageing_report(
    ctx: ServiceContext, principal: Principal, side: AgeingSide, as_of: date | None = None
) -> AgeingReport:
    """Open amounts of the caller's receivables or payables, per counterparty and bucket of days
    past due on ``as_of`` (default: today)."""
    principal.require(Scope.DATA_READ)
    day = as_of or ctx.clock.now().date()
    with ctx.uow() as uow:
        invoices = _open_invoices(uow, principal, side)
        currency = _currency(uow, principal)
        codes = {m.id: m.code for m in uow.members.find(network_id=principal.network_id)}
    by_counterparty: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for invoice in invoices:
        other = (
            invoice.buyer_member_id if side is AgeingSide.RECEIVABLE else invoice.seller_member_id
        )
        by_counterparty[other].append((invoice.due_date, invoice.open_minor))
    rows = tuple(
        AgeingRow(member_id, codes.get(member_id, ""), aged(items, day))
        for member_id, items in sorted(by_counterparty.items())
    )
    totals = sum((r.amounts for r in rows), AgeingAmounts())
    return AgeingReport(side, day, currency, rows, totals)


def run_dunning(ctx: ServiceContext, principal: Principal, as_of: date | None = None) -> DunningRun:
    """The seller's dunning run on ``as_of`` (default: today): each open invoice whose level by
    days overdue exceeds the level it was dunned at gets one notice at the new level. Running
    twice on one day issues nothing new."""
    principal.require(Scope.DATA_WRITE)
    day = as_of or ctx.clock.now().date()
    now = ctx.clock.now()
    with ctx.uow() as uow:
        notices: list[DunningNotice] = []
        for candidate in _open_invoices(uow, principal, AgeingSide.RECEIVABLE):
            invoice = uow.invoices.get_for_update(candidate.id) or candidate
            overdue = days_overdue(invoice.due_date, day)
            level = dunning_level(overdue)
            if invoice.open_minor > 0 and level > invoice.dunning_level:
                notices.append(
                    uow.dunning_notices.add(DunningNotice(0, invoice.id, level, now, overdue))
                )
                uow.invoices.update(replace(invoice, dunning_level=level))
        uow.commit()
    return DunningRun(day, tuple(notices))


def verify_money_ledger(ctx: ServiceContext, principal: Principal) -> MoneyLedgerCheck:
    """The caller's ledger against its invoices: every entry balances for the caller, and the
    receivables (payables) balance equals the open amount of the invoices it sold (bought)."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        postings = uow.postings.find(member_id=principal.member_id)
        receivable = _open_invoices(uow, principal, AgeingSide.RECEIVABLE)
        payable = _open_invoices(uow, principal, AgeingSide.PAYABLE)
    problems = unbalanced(postings)
    balances = {b.account: b.balance_minor for b in account_balances(postings)}
    expected = {
        Account.RECEIVABLES: sum(i.open_minor for i in receivable),
        Account.PAYABLES: -sum(i.open_minor for i in payable),
    }
    for account, amount in expected.items():
        if balances[account] != amount:
            problems.append(f"{account.value}: ledger {balances[account]} vs invoices {amount}")
    return MoneyLedgerCheck(len(postings), tuple(problems))
