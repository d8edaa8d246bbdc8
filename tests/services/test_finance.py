"""The money ledger: trial balances, the member's journal, ageing of open amounts, dunning runs,
and a stateful property: whatever members do, the ledger balances and no amount is lost."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from tests.finance_support import OrderLineRow, SeededOrder, seed_order, set_received
from tests.support import PASSWORD, World, small_snapshot

from tandem.adapters.memory import (
    FixedClock,
    InMemoryStore,
    PlainPasswordHasher,
    in_memory_uow_factory,
)
from tandem.domain.errors import (
    CreditExceedsOpenAmount,
    InvoiceBlocked,
    InvoiceExceedsShipped,
    PaymentExceedsOpenAmount,
)
from tandem.domain.finance import (
    Account,
    AccountBalance,
    AgeingAmounts,
    AgeingSide,
    DunningNotice,
    Invoice,
    MatchStatus,
    settlement_status,
    unbalanced,
)
from tandem.domain.identity import Principal
from tandem.domain.orders import PurchaseOrderLine
from tandem.domain.quantities import money
from tandem.services import finance, identity, invoices, payments, transfer
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.finance import AgeingRow
from tandem.services.invoices import InvoiceLineInput, IssueInvoice
from tandem.services.payments import IssueCreditNote, PayInvoice

START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def sale(world: World, buyer: str = "CAFE", ship_to: str = "CAFE-1") -> SeededOrder:
    """ROAST sells 100 kg BLEND at 12.50; all shipped and received."""
    row = OrderLineRow("BLEND", "100", 1250, shipped="100", received="100")
    return seed_order(world.ctx, world.network_id, buyer, "ROAST", ship_to, [row])


def invoice(world: World, order: SeededOrder, quantity: str, price: int | None = None) -> Invoice:
    line = (InvoiceLineInput(order.line_ids[0], Decimal(quantity), price),)
    return invoices.issue_invoice(world.ctx, world.roaster, IssueInvoice(order.id, line)).invoice


def move(clock: FixedClock, when: datetime) -> None:
    clock.advance(when - clock.now())


def test_trial_balances_of_seller_and_buyer_after_invoice_payment_and_credit_note(
    world: World,
) -> None:
    sold = invoice(world, sale(world), "60")
    payments.pay_invoice(world.ctx, world.cafe, PayInvoice(sold.id, 30000))
    payments.issue_credit_note(world.ctx, world.roaster, IssueCreditNote(sold.id, 15000, "dented"))

    seller = finance.trial_balance(world.ctx, world.roaster)
    buyer = finance.trial_balance(world.ctx, world.cafe)

    assert seller.accounts == (
        AccountBalance(Account.CASH, 30000, 0),
        AccountBalance(Account.RECEIVABLES, 75000, 45000),
        AccountBalance(Account.PAYABLES, 0, 0),
        AccountBalance(Account.REVENUE, 15000, 75000),
        AccountBalance(Account.PURCHASES, 0, 0),
    )
    assert buyer.accounts == (
        AccountBalance(Account.CASH, 0, 30000),
        AccountBalance(Account.RECEIVABLES, 0, 0),
        AccountBalance(Account.PAYABLES, 45000, 75000),
        AccountBalance(Account.REVENUE, 0, 0),
        AccountBalance(Account.PURCHASES, 75000, 15000),
    )
    assert (seller.debit_minor, seller.credit_minor, seller.currency) == (120000, 120000, "EUR")
    assert (buyer.debit_minor, buyer.credit_minor) == (120000, 120000)
    assert [b.balance_minor for b in seller.accounts] == [30000, 30000, 0, -60000, 0]
    assert finance.trial_balance(world.ctx, world.beans).debit_minor == 0
    for who in (world.roaster, world.cafe, world.beans):
        assert finance.verify_money_ledger(world.ctx, who).is_sound


def test_journal_shows_each_entry_with_the_callers_postings_only(world: World) -> None:
    sold = invoice(world, sale(world), "60")
    payment = payments.pay_invoice(world.ctx, world.cafe, PayInvoice(sold.id, 30000))

    page = finance.journal(world.ctx, world.cafe, PageRequest())
    second = finance.journal(world.ctx, world.roaster, PageRequest(1, 1))

    assert page.total == 2
    assert [(e.kind, e.reference, e.at) for e in page.items] == [
        ("invoice", f"invoice:{sold.id}", START),
        ("payment", f"payment:{payment.id}", START),
    ]
    assert [
        [(p.member_id, p.account, p.debit_minor, p.credit_minor) for p in e.postings]
        for e in page.items
    ] == [
        [
            (world.cafe.member_id, Account.PURCHASES, 75000, 0),
            (world.cafe.member_id, Account.PAYABLES, 0, 75000),
        ],
        [
            (world.cafe.member_id, Account.PAYABLES, 30000, 0),
            (world.cafe.member_id, Account.CASH, 0, 30000),
        ],
    ]
    assert ([e.kind for e in second.items], second.total) == (["payment"], 2)
    assert finance.journal(world.ctx, world.beans, PageRequest()).total == 0


# ---------------------------------------------------------------- ageing

# Days past due on AS_OF of invoices of 1 kg at these prices: bucket boundaries on both sides.
AGES = [(91, 1), (90, 2), (61, 4), (60, 8), (31, 16), (30, 32), (1, 64), (0, 128), (-5, 256)]
AS_OF = START.date() + timedelta(days=30 + 91)  # 2027-03-22


def aged_invoices(world: World, clock: FixedClock) -> None:
    order = sale(world)
    issued_at = START
    for days, price in AGES:
        move(clock, issued_at + timedelta(days=91 - days))
        invoice(world, order, "1", price)
    paid = invoice(world, order, "1", 512)
    payments.pay_invoice(world.ctx, world.cafe, PayInvoice(paid.id, 512))
    move(clock, START)
    beans = invoice(world, sale(world, "BEANS", "PORT"), "1", 1000)
    payments.pay_invoice(world.ctx, world.beans, PayInvoice(beans.id, 400))


def test_ageing_buckets_open_amounts_by_days_past_due_per_counterparty(
    world: World, clock: FixedClock
) -> None:
    aged_invoices(world, clock)

    receivable = finance.ageing_report(world.ctx, world.roaster, AgeingSide.RECEIVABLE, AS_OF)

    cafe = AgeingAmounts(current=384, days_1_30=96, days_31_60=24, days_61_90=6, days_over_90=1)
    beans = AgeingAmounts(days_over_90=600)
    assert receivable.rows == (
        AgeingRow(world.cafe.member_id, "CAFE", cafe),
        AgeingRow(world.beans.member_id, "BEANS", beans),
    )
    assert (receivable.totals, receivable.totals.total) == (cafe + beans, 1111)
    assert (receivable.as_of, receivable.currency) == (AS_OF, "EUR")


def test_payables_mirror_the_sellers_receivables(world: World, clock: FixedClock) -> None:
    aged_invoices(world, clock)

    payable = finance.ageing_report(world.ctx, world.cafe, AgeingSide.PAYABLE, AS_OF)
    roaster_payable = finance.ageing_report(world.ctx, world.roaster, AgeingSide.PAYABLE, AS_OF)

    assert [(r.counterparty_code, r.amounts.total) for r in payable.rows] == [("ROAST", 511)]
    assert payable.rows[0].amounts.days_31_60 == 24
    assert (roaster_payable.rows, roaster_payable.totals) == ((), AgeingAmounts())


def test_ageing_defaults_to_today(world: World) -> None:
    invoice(world, sale(world), "1")

    report = finance.ageing_report(world.ctx, world.roaster, AgeingSide.RECEIVABLE)

    assert (report.as_of, report.totals.current) == (START.date(), 1250)


# ---------------------------------------------------------------- dunning


def test_dunning_raises_each_overdue_invoice_to_its_level_once(
    world: World, clock: FixedClock
) -> None:
    order = sale(world)
    by_age = {}
    for days in (61, 31, 1, 0):
        move(clock, START + timedelta(days=61 - days))
        by_age[days] = invoice(world, order, "1")
    settled = invoice(world, order, "1")
    payments.pay_invoice(world.ctx, world.cafe, PayInvoice(settled.id, 1250))
    move(clock, START + timedelta(days=200))
    as_of = START.date() + timedelta(days=30 + 61)

    first = finance.run_dunning(world.ctx, world.roaster, as_of)
    again = finance.run_dunning(world.ctx, world.roaster, as_of)
    month_later = finance.run_dunning(world.ctx, world.roaster, as_of + timedelta(days=30))

    now = START + timedelta(days=200)
    assert [(n.invoice_id, n.level, n.days_overdue, n.issued_at) for n in first.notices] == [
        (by_age[61].id, 3, 61, now),
        (by_age[31].id, 2, 31, now),
        (by_age[1].id, 1, 1, now),
    ]
    assert (first.as_of, again.notices) == (as_of, ())
    assert [(n.invoice_id, n.level, n.days_overdue) for n in month_later.notices] == [
        (by_age[31].id, 3, 61),
        (by_age[1].id, 2, 31),
        (by_age[0].id, 1, 30),
    ]
    levels = {
        days: invoices.get_invoice(world.ctx, world.cafe, i.id).invoice.dunning_level
        for days, i in by_age.items()
    }
    assert levels == {61: 3, 31: 3, 1: 2, 0: 1}
    notices = invoices.get_invoice(world.ctx, world.cafe, by_age[1].id).dunning_notices
    assert [(n.level, n.days_overdue) for n in notices] == [(1, 1), (2, 31)]
    assert isinstance(notices[0], DunningNotice)


def test_buyer_and_third_member_dun_nothing(world: World) -> None:
    invoice(world, sale(world), "1")
    late = START.date() + timedelta(days=100)

    assert finance.run_dunning(world.ctx, world.cafe, late).notices == ()
    assert finance.run_dunning(world.ctx, world.beans, late).notices == ()


@pytest.mark.parametrize("who", ["roaster", "cafe", "beans"])
def test_ledger_of_an_empty_network_is_sound(world: World, who: str) -> None:
    principal: Principal = getattr(world, who)

    check = finance.verify_money_ledger(world.ctx, principal)

    assert (check.postings, check.problems, check.is_sound) == (0, (), True)


def test_ledger_check_names_a_receivable_that_invoices_do_not_explain(world: World) -> None:
    sold = invoice(world, sale(world), "1")
    with world.ctx.uow() as uow:
        uow.invoices.update(replace(sold, paid_minor=250))
        uow.commit()

    check = finance.verify_money_ledger(world.ctx, world.roaster)

    assert check.problems == ("receivables: ledger 1250 vs invoices 1000",)


# ---------------------------------------------------------------- stateful property

EMAILS = ("roaster@example.com", "cafe@example.com", "beans@example.com")
MONEY_REPOSITORIES = (
    "invoices",
    "invoice_lines",
    "payments",
    "credit_notes",
    "journal_entries",
    "postings",
    "dunning_notices",
    "purchase_order_lines",
    "order_events",
)


@dataclass
class Expected:
    """The naive reference model of one invoice."""

    seller: Principal
    buyer: Principal
    total: int
    open: int
    blocked: bool


class MoneyMachine(RuleBasedStateMachine):
    """Random invoices, payments, partial payments, credit notes, releases, late receipts and
    dunning runs, refused ones included, between ROAST → CAFE and BEANS → ROAST."""

    def __init__(self) -> None:
        super().__init__()
        self.store = InMemoryStore()
        self.clock = FixedClock()
        self.ctx = ServiceContext(
            in_memory_uow_factory(self.store), self.clock, PlainPasswordHasher()
        )
        network_id = transfer.import_snapshot(self.ctx, small_snapshot()).network_id
        roaster, cafe, beans = (self._sign_in(email) for email in EMAILS)
        self.members = (roaster, cafe, beans)
        self.pairs = [
            (roaster, cafe, self._order(network_id, "CAFE", "ROAST", "CAFE-1", "BLEND")),
            (beans, roaster, self._order(network_id, "ROAST", "BEANS", "PLANT", "GREEN")),
        ]
        self.expected: dict[int, Expected] = {}

    def _sign_in(self, email: str) -> Principal:
        token = identity.login(self.ctx, email, PASSWORD).token
        return identity.authenticate_token(self.ctx, token)

    def _order(self, network_id: int, buyer: str, seller: str, to: str, sku: str) -> SeededOrder:
        row = OrderLineRow(sku, "1000", 1250, shipped="600", received="300")
        return seed_order(self.ctx, network_id, buyer, seller, to, [row])

    def _state(self) -> dict[str, dict[int, Any]]:
        return {name: dict(getattr(self.store, name).rows) for name in MONEY_REPOSITORIES}

    def _refused(self, error: type[Exception], action: Callable[[], object]) -> None:
        before = self._state()
        with pytest.raises(error):
            action()
        assert self._state() == before

    def _line(self, pair: int) -> PurchaseOrderLine:
        with self.ctx.uow() as uow:
            line = uow.purchase_order_lines.get(self.pairs[pair][2].line_ids[0])
        assert line is not None
        return line

    @rule(
        pair=st.integers(0, 1),
        quantity=st.decimals(Decimal("0.001"), Decimal("250"), places=3),
        price=st.sampled_from([None, 1000, 1250, 1275, 1300]),
    )
    def issue(self, pair: int, quantity: Decimal, price: int | None) -> None:
        seller, buyer, order = self.pairs[pair]
        line = self._line(pair)
        command = IssueInvoice(order.id, (InvoiceLineInput(line.id, quantity, price),))
        if quantity > line.shipped_quantity - line.invoiced_quantity:
            self._refused(
                InvoiceExceedsShipped, lambda: invoices.issue_invoice(self.ctx, seller, command)
            )
            return
        issued = invoices.issue_invoice(self.ctx, seller, command).invoice
        total = money(quantity, 1250 if price is None else price)
        blocked = line.invoiced_quantity + quantity > line.received_quantity or (price or 0) > 1275
        assert (issued.total_minor, issued.match_status is MatchStatus.BLOCKED) == (total, blocked)
        self.expected[issued.id] = Expected(seller, buyer, total, total, blocked)

    @precondition(lambda self: bool(self.expected))
    @rule(data=st.data())
    def pay(self, data: st.DataObject) -> None:
        invoice_id = data.draw(st.sampled_from(sorted(self.expected)))
        model = self.expected[invoice_id]
        amount = data.draw(st.integers(1, model.open + 100))
        command = PayInvoice(invoice_id, amount)
        if model.blocked or amount > model.open:
            error = InvoiceBlocked if model.blocked else PaymentExceedsOpenAmount
            self._refused(error, lambda: payments.pay_invoice(self.ctx, model.buyer, command))
            return
        payments.pay_invoice(self.ctx, model.buyer, command)
        model.open -= amount

    @precondition(lambda self: bool(self.expected))
    @rule(data=st.data())
    def credit(self, data: st.DataObject) -> None:
        invoice_id = data.draw(st.sampled_from(sorted(self.expected)))
        model = self.expected[invoice_id]
        amount = data.draw(st.integers(1, model.open + 100))
        command = IssueCreditNote(invoice_id, amount, "goodwill")
        if amount > model.open:
            self._refused(
                CreditExceedsOpenAmount,
                lambda: payments.issue_credit_note(self.ctx, model.seller, command),
            )
            return
        payments.issue_credit_note(self.ctx, model.seller, command)
        model.open -= amount

    @precondition(lambda self: any(m.blocked for m in self.expected.values()))
    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        blocked = sorted(i for i, m in self.expected.items() if m.blocked)
        invoice_id = data.draw(st.sampled_from(blocked))
        model = self.expected[invoice_id]
        invoices.release_invoice(self.ctx, model.buyer, invoice_id, "agreed by phone")
        model.blocked = False

    @rule(pair=st.integers(0, 1), more=st.integers(1, 150))
    def late_receipt_and_rematch(self, pair: int, more: int) -> None:
        line = self._line(pair)
        received = min(line.shipped_quantity, line.received_quantity + more)
        set_received(self.ctx, line.id, str(received))
        seller, buyer, _ = self.pairs[pair]
        for invoice_id, model in self.expected.items():
            if model.blocked and model.seller == seller:
                rematched = invoices.rematch_invoice(self.ctx, buyer, invoice_id)
                model.blocked = rematched.match_status is MatchStatus.BLOCKED

    @rule(days=st.integers(0, 120))
    def dunning_run(self, days: int) -> None:
        for seller, _, _ in self.pairs:
            finance.run_dunning(self.ctx, seller, self.clock.now().date() + timedelta(days))

    @invariant()
    def ledger_balances_in_total_and_per_member(self) -> None:
        assert unbalanced(self.store.postings.rows.values()) == []
        for member in self.members:
            assert finance.verify_money_ledger(self.ctx, member).problems == ()
            balances = finance.trial_balance(self.ctx, member).accounts
            assert sum(b.balance_minor for b in balances) == 0

    @invariant()
    def receivables_of_seller_equal_open_amounts_and_payables_of_buyer(self) -> None:
        for seller, buyer, _ in self.pairs:
            receivables = _balance(self.ctx, seller, Account.RECEIVABLES)
            payables = _balance(self.ctx, buyer, Account.PAYABLES)
            open_amount = sum(m.open for m in self.expected.values() if m.seller == seller)
            assert receivables == open_amount == -payables

    @invariant()
    def no_amount_is_created_or_lost(self) -> None:
        paid: dict[int, int] = defaultdict(int)
        credited: dict[int, int] = defaultdict(int)
        for payment in self.store.payments.rows.values():
            paid[payment.invoice_id] += payment.amount_minor
        for note in self.store.credit_notes.rows.values():
            credited[note.invoice_id] += note.amount_minor
        for stored in self.store.invoices.rows.values():
            model = self.expected[stored.id]
            assert (stored.total_minor, stored.open_minor) == (model.total, model.open)
            assert paid[stored.id] + credited[stored.id] + stored.open_minor == model.total
            assert (stored.paid_minor, stored.credited_minor) == (
                paid[stored.id],
                credited[stored.id],
            )
            assert stored.status is settlement_status(
                model.total, paid[stored.id], credited[stored.id]
            )
            assert (stored.match_status is MatchStatus.BLOCKED) == model.blocked


def _balance(ctx: ServiceContext, principal: Principal, account: Account) -> int:
    balances = finance.trial_balance(ctx, principal).accounts
    return next(b.balance_minor for b in balances if b.account is account)


def test_money_ledger_balances_whatever_members_do() -> None:
    run_state_machine_as_test(
        MoneyMachine,
        settings=settings(max_examples=40, stateful_step_count=25, deadline=None),
    )
