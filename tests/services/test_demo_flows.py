"""Months of flows between the demo network's members, generated through the services.

The demo network is loaded on the in-memory twins with five months of demand history (the
full two years only slow the twin down: every unit of work copies every table), then 90 days
of flows are generated once for the module; a few tests generate shorter periods of their own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from tandem.adapters.memory import (
    FixedClock,
    InMemoryStore,
    PlainPasswordHasher,
    in_memory_uow_factory,
)
from tandem.domain.errors import Conflict, NotFound
from tandem.domain.finance import AgeingAmounts, AgeingBucket, AgeingSide, dunning_level
from tandem.domain.finance import PartyRole as Side
from tandem.domain.identity import Principal
from tandem.domain.orders import ChangeStatus, PurchaseOrder
from tandem.services import (
    agreements,
    customer_orders,
    customers,
    finance,
    identity,
    inventory,
    invoices,
    payments,
    purchase_orders,
    receipts,
    shipments,
    transfer,
)
from tandem.services.agreements import PartyRole
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.demo_flows import (
    DEFAULT_SEED,
    FlowSummary,
    SimulatedClock,
    generate_demo_flows,
)
from tandem.services.demo_flows.rates import history_day
from tandem.services.demo_network import build_demo_snapshot

HISTORY_START = date(2026, 5, 4)
HISTORY_DAYS = 150  # to 2026-09-30
END = date(2026, 10, 1)
DAYS = 90
START = END - timedelta(days=DAYS)
ALL = PageRequest(limit=1000)


@dataclass(frozen=True)
class Flows:
    ctx: ServiceContext
    summary: FlowSummary
    members: dict[str, Principal]


def _demo(days: int = DAYS, seed: int = DEFAULT_SEED) -> Flows:
    ctx = ServiceContext(
        in_memory_uow_factory(InMemoryStore()),
        FixedClock(datetime(2026, 10, 1, 9, tzinfo=UTC)),
        PlainPasswordHasher(),
    )
    snapshot = build_demo_snapshot(start=HISTORY_START, days=HISTORY_DAYS)
    transfer.import_snapshot(ctx, snapshot)
    summary = generate_demo_flows(ctx, "ELBE-COFFEE", days=days, end=END, seed=seed)
    members = {
        user.member: identity.authenticate_token(
            ctx, identity.login(ctx, user.email, user.password or "").token
        )
        for user in snapshot.users
    }
    return Flows(ctx, summary, members)


@pytest.fixture(scope="module")
def demo() -> Flows:
    return _demo()


def _orders(demo: Flows) -> list[PurchaseOrder]:
    return [
        order
        for principal in demo.members.values()
        for order in purchase_orders.list_orders(demo.ctx, principal, ALL, PartyRole.BUYER).items
    ]


def _buyer_of(demo: Flows, order: PurchaseOrder) -> Principal:
    return next(p for p in demo.members.values() if p.member_id == order.buyer_member_id)


def test_summary_of_the_fixed_seed_is_pinned(demo: Flows) -> None:
    assert demo.summary == FlowSummary(
        START,
        END,
        purchase_orders=105,
        change_requests=5,
        cancelled_orders=2,
        shipments=105,
        receipts=104,
        discrepancies=8,
        invoices=104,
        blocked_invoices=8,
        credit_notes=5,
        payments=75,
        dunning_notices=25,
        customer_orders=39,
        customer_shipments=38,
        stock_movements=2612,
        invoiced_minor=57_654_386,
        paid_minor=34_191_642,
    )
    assert demo.summary.days == DAYS


def test_every_member_has_orders_as_buyer_or_seller(demo: Flows) -> None:
    bought = {
        code: purchase_orders.list_orders(demo.ctx, p, ALL, PartyRole.BUYER).total
        for code, p in demo.members.items()
    }
    sold = {
        code: purchase_orders.list_orders(demo.ctx, p, ALL, PartyRole.SELLER).total
        for code, p in demo.members.items()
    }

    assert bought == {
        "VERDE": 0,
        "ALPENMILCH": 0,
        "CUPWORKS": 0,
        "ELBE": 8,
        "NORDLOG": 40,
        "HANSA": 3,
        "BOHNE": 54,
    }
    assert sold == {
        "VERDE": 5,
        "ALPENMILCH": 12,
        "CUPWORKS": 13,
        "ELBE": 18,
        "NORDLOG": 57,
        "HANSA": 0,
        "BOHNE": 0,
    }
    assert all(bought[code] + sold[code] > 0 for code in demo.members)
    assert sum(bought.values()) == sum(sold.values()) == demo.summary.purchase_orders


def test_orders_by_status_are_pinned(demo: Flows) -> None:
    assert Counter(order.status.value for order in _orders(demo)) == {
        "closed": 62,
        "received": 31,
        "shipped": 4,
        "acknowledged": 3,
        "submitted": 2,
        "cancelled": 2,
        "partially_shipped": 1,
    }


def test_every_order_history_runs_from_version_one_without_gaps(demo: Flows) -> None:
    for order in _orders(demo):
        history = purchase_orders.order_history(demo.ctx, _buyer_of(demo, order), order.id)

        assert [event.version for event in history] == list(range(1, order.version + 1))
        assert [event.at for event in history] == sorted(event.at for event in history)


def test_documents_are_dated_inside_the_period(demo: Flows) -> None:
    orders = _orders(demo)
    nordlog = demo.members["NORDLOG"]
    shipped = shipments.list_shipments(demo.ctx, nordlog, ALL).items
    billed = invoices.list_invoices(demo.ctx, nordlog, ALL).items
    paid = payments.list_payments(demo.ctx, nordlog, ALL).items
    moments = (
        [o.created_at for o in orders]
        + [s.shipped_at for s in shipped]
        + [i.issued_at for i in billed]
        + [p.paid_at for p in paid]
    )

    assert {m.date() for m in moments} <= {START + timedelta(days=d) for d in range(DAYS)}
    assert min(m.date() for m in moments) == START
    assert all(s.expected_arrival > s.shipped_at.date() for s in shipped)
    assert all(i.due_date > i.issued_at.date() for i in billed)


def test_money_ledger_balances_for_every_member_and_in_total(demo: Flows) -> None:
    debits = credits = 0
    for principal in demo.members.values():
        balance = finance.trial_balance(demo.ctx, principal)
        debits += balance.debit_minor
        credits += balance.credit_minor

        assert finance.verify_money_ledger(demo.ctx, principal).problems == ()
        assert balance.debit_minor == balance.credit_minor

    assert debits == credits > 0


def test_invoiced_and_paid_amounts_match_the_summary(demo: Flows) -> None:
    sellers = [demo.members[c] for c in ("VERDE", "ALPENMILCH", "CUPWORKS", "ELBE", "NORDLOG")]
    issued = [
        i for p in sellers for i in invoices.list_invoices(demo.ctx, p, ALL, role=Side.SELLER).items
    ]
    received = [
        x for p in sellers for x in payments.list_payments(demo.ctx, p, ALL, role=Side.SELLER).items
    ]

    assert len(issued) == demo.summary.invoices
    assert sum(i.total_minor for i in issued) == demo.summary.invoiced_minor
    assert len(received) == demo.summary.payments
    assert sum(x.amount_minor for x in received) == demo.summary.paid_minor


def test_inventory_ledger_conserves_stock_and_keeps_it_non_negative(demo: Flows) -> None:
    for principal in demo.members.values():
        check = inventory.verify_ledger(demo.ctx, principal)
        positions = inventory.list_positions(demo.ctx, principal, ALL).items

        assert check.mismatches == ()
        assert all(p.on_hand >= 0 and p.available >= 0 for p in positions)

    assert inventory.list_movements(demo.ctx, demo.members["BOHNE"], ALL).total == 2578


def test_blocked_invoices_discrepancies_and_change_requests_exist(demo: Flows) -> None:
    bought = [
        i
        for p in demo.members.values()
        for i in invoices.list_invoices(demo.ctx, p, ALL, role=Side.BUYER).items
    ]
    found = {
        (row.receipt_id, row.shipment_line_id): row.kind.value
        for p in demo.members.values()
        for row in receipts.list_discrepancies(demo.ctx, p, ALL).items
    }
    changes = Counter(
        change.status
        for order in _orders(demo)
        for change in purchase_orders.list_change_requests(
            demo.ctx, _buyer_of(demo, order), order.id
        )
    )

    assert Counter(i.match_status.value for i in bought) == {
        "matched": 96,
        "released": 5,
        "blocked": 3,
    }
    assert Counter(found.values()) == {"damaged": 5, "short": 3}
    assert changes == {ChangeStatus.ACCEPTED: 2, ChangeStatus.REJECTED: 3}
    assert changes[ChangeStatus.ACCEPTED] > 0 and changes[ChangeStatus.REJECTED] > 0


def test_overdue_receivables_fall_in_several_ageing_buckets(demo: Flows) -> None:
    totals = AgeingAmounts()
    for principal in demo.members.values():
        report = finance.ageing_report(demo.ctx, principal, AgeingSide.RECEIVABLE, as_of=END)
        totals = totals + report.totals
    overdue = [b for b in AgeingBucket if b is not AgeingBucket.CURRENT]

    assert {b.value: getattr(totals, b.value) for b in AgeingBucket} == {
        "current": 19_041_588,
        "days_1_30": 2_024_916,
        "days_31_60": 2_287_790,
        "days_61_90": 0,
        "days_over_90": 0,
    }
    assert sum(getattr(totals, b.value) > 0 for b in overdue) >= 2


def test_dunning_reminds_the_buyers_of_overdue_invoices(demo: Flows) -> None:
    nordlog = demo.members["NORDLOG"]
    dunned = [
        i for i in invoices.list_invoices(demo.ctx, nordlog, ALL).items if i.dunning_level > 0
    ]

    notices = [
        n for i in dunned for n in invoices.get_invoice(demo.ctx, nordlog, i.id).dunning_notices
    ]

    assert Counter(i.dunning_level for i in dunned) == {1: 10, 2: 6}
    assert all(n.level == dunning_level(n.days_overdue) for n in notices)
    assert {n.issued_at.weekday() for n in notices} == {0}  # the Monday run


def test_customers_order_every_week_and_are_shipped_from_promises(demo: Flows) -> None:
    nordlog = demo.members["NORDLOG"]
    signed = customers.list_customers(demo.ctx, nordlog, ALL).items
    orders = customer_orders.list_orders(demo.ctx, nordlog, ALL).items

    assert [c.code for c in signed] == [
        "DC-N-HOTEL",
        "DC-N-OFFICE",
        "DC-W-HOTEL",
        "DC-W-OFFICE",
        "DC-S-HOTEL",
        "DC-S-OFFICE",
    ]
    assert len(orders) == demo.summary.customer_orders
    assert Counter(o.status.value for o in orders) == {"shipped": 37, "cancelled": 1, "promised": 1}


def test_the_roaster_calls_off_green_coffee_against_a_blanket_agreement(demo: Flows) -> None:
    (agreement,) = agreements.list_agreements(demo.ctx, demo.members["ELBE"], ALL).items
    call_offs = [o for o in _orders(demo) if o.agreement_id == agreement.id]

    assert agreement.seller_member_id == demo.members["VERDE"].member_id
    assert len(call_offs) == 2
    assert (agreement.called_off_quantity, agreement.total_quantity) == (
        Decimal("10920.000"),
        Decimal("17280.000"),
    )


def test_the_carrier_buys_supplies_for_its_own_use(demo: Flows) -> None:
    hansa = demo.members["HANSA"]
    orders = purchase_orders.list_orders(demo.ctx, hansa, ALL, PartyRole.BUYER).items

    movements = inventory.list_movements(demo.ctx, hansa, ALL).items

    assert {o.seller_member_id for o in orders} == {demo.members["NORDLOG"].member_id}
    assert Counter(m.kind.value for m in movements) == {"receipt": 15, "consumption": 42}


def test_generation_is_deterministic_and_the_seed_matters() -> None:
    first, second = _demo(days=14), _demo(days=14)
    other = _demo(days=14, seed=7)

    assert first.summary == second.summary
    assert other.summary != first.summary


def test_a_network_with_flows_is_refused_before_anything_is_written(demo: Flows) -> None:
    orders = len(_orders(demo))

    with pytest.raises(Conflict, match="already has purchase orders"):
        generate_demo_flows(demo.ctx, "ELBE-COFFEE", days=7, end=END)
    assert len(_orders(demo)) == orders


def test_unknown_network_is_not_found(ctx: ServiceContext) -> None:
    with pytest.raises(NotFound):
        generate_demo_flows(ctx, "NO-SUCH-NETWORK", end=END)


def test_a_period_needs_at_least_one_day(ctx: ServiceContext) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate_demo_flows(ctx, "ELBE-COFFEE", days=0, end=END)


def test_the_simulated_clock_keeps_the_steps_of_a_phase_in_order() -> None:
    clock = SimulatedClock(date(2026, 1, 5))
    clock.set(date(2026, 1, 6), 9)
    readings = [clock.now() for _ in range(3)]

    assert readings == [datetime(2026, 1, 6, 9, m, tzinfo=UTC) for m in (0, 1, 2)]
    assert clock.today() == date(2026, 1, 6)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 10), date(2026, 3, 10)),  # inside the history
        (date(2027, 3, 10), date(2026, 3, 11)),  # 52 weeks back: same weekday
        (date(2024, 3, 12), date(2025, 3, 11)),  # 52 weeks on
    ],
)
def test_days_outside_the_history_stand_in_by_whole_years_of_weeks(
    day: date, expected: date
) -> None:
    first, last = date(2024, 11, 1), date(2026, 10, 31)

    assert history_day(day, first, last) == expected
    assert expected.weekday() == day.weekday()
