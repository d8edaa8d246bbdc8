"""The pure money rules: postings per event, the three-way match, ageing buckets, dunning levels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.finance import (
    Account,
    AccountBalance,
    AgeingAmounts,
    AgeingBucket,
    EntryKind,
    InvoiceStatus,
    MatchLine,
    MatchResult,
    MatchStatus,
    Posting,
    account_balances,
    aged,
    ageing_bucket,
    dunning_level,
    postings_for,
    settlement_status,
    three_way_match,
    unbalanced,
)

SELLER, BUYER = 1, 2


def rows(postings: list[Posting]) -> list[tuple[int, str, int, int]]:
    return [(p.member_id, p.account.value, p.debit_minor, p.credit_minor) for p in postings]


def test_invoice_posts_receivables_and_revenue_for_seller_purchases_and_payables_for_buyer() -> (
    None
):
    assert rows(postings_for(EntryKind.INVOICE, SELLER, BUYER, 75000)) == [
        (SELLER, "receivables", 75000, 0),
        (SELLER, "revenue", 0, 75000),
        (BUYER, "purchases", 75000, 0),
        (BUYER, "payables", 0, 75000),
    ]


def test_payment_posts_cash_against_receivables_and_payables() -> None:
    assert rows(postings_for(EntryKind.PAYMENT, SELLER, BUYER, 30000)) == [
        (SELLER, "cash", 30000, 0),
        (SELLER, "receivables", 0, 30000),
        (BUYER, "payables", 30000, 0),
        (BUYER, "cash", 0, 30000),
    ]


def test_credit_note_reverses_revenue_and_purchases() -> None:
    assert rows(postings_for(EntryKind.CREDIT_NOTE, SELLER, BUYER, 500)) == [
        (SELLER, "revenue", 500, 0),
        (SELLER, "receivables", 0, 500),
        (BUYER, "payables", 500, 0),
        (BUYER, "purchases", 0, 500),
    ]


@pytest.mark.parametrize("amount", [0, -1])
def test_money_event_without_a_positive_amount_is_a_programming_error(amount: int) -> None:
    with pytest.raises(ValueError, match="positive amount"):
        postings_for(EntryKind.INVOICE, SELLER, BUYER, amount)


@given(
    st.lists(
        st.tuples(st.sampled_from(list(EntryKind)), st.integers(1, 10**12)),
        min_size=1,
        max_size=20,
    )
)
def test_every_event_balances_in_total_and_per_member(events: list[tuple[EntryKind, int]]) -> None:
    postings = [
        Posting(0, entry_id, p.member_id, p.account, p.debit_minor, p.credit_minor)
        for entry_id, (kind, amount) in enumerate(events, start=1)
        for p in postings_for(kind, SELLER, BUYER, amount)
    ]

    assert unbalanced(postings) == []
    for member in (SELLER, BUYER):
        own = [p for p in postings if p.member_id == member]
        assert sum(b.balance_minor for b in account_balances(own)) == 0


def test_unbalanced_names_entry_and_member() -> None:
    postings = [
        Posting(0, 7, SELLER, Account.CASH, debit_minor=100),
        Posting(0, 7, BUYER, Account.CASH, credit_minor=90),
    ]

    assert unbalanced(postings) == [
        "entry 7: debits - credits = 10",
        "entry 7 member 1: debits - credits = 100",
        "entry 7 member 2: debits - credits = -90",
    ]


def test_account_balances_list_every_account_in_order() -> None:
    postings = postings_for(EntryKind.INVOICE, SELLER, BUYER, 100)[:2]

    assert account_balances(postings) == (
        AccountBalance(Account.CASH, 0, 0),
        AccountBalance(Account.RECEIVABLES, 100, 0),
        AccountBalance(Account.PAYABLES, 0, 0),
        AccountBalance(Account.REVENUE, 0, 100),
        AccountBalance(Account.PURCHASES, 0, 0),
    )
    assert account_balances(postings)[3].balance_minor == -100


@pytest.mark.parametrize(
    ("paid", "credited", "status"),
    [
        (0, 0, InvoiceStatus.OPEN),
        (1, 0, InvoiceStatus.PARTIALLY_PAID),
        (0, 99, InvoiceStatus.OPEN),
        (50, 49, InvoiceStatus.PARTIALLY_PAID),
        (100, 0, InvoiceStatus.PAID),
        (60, 40, InvoiceStatus.PAID),
        (0, 100, InvoiceStatus.CREDITED),
    ],
)
def test_settlement_status(paid: int, credited: int, status: InvoiceStatus) -> None:
    assert settlement_status(100, paid, credited) is status


def line(
    invoiced: str,
    received: str,
    price: int = 1250,
    earlier: str = "0",
    ordered_price: int = 1250,
) -> MatchLine:
    return MatchLine(
        1, Decimal(invoiced), price, ordered_price, Decimal(received), Decimal(earlier)
    )


def test_invoice_above_received_is_blocked_naming_line_quantities_and_tolerance() -> None:
    assert three_way_match([line("80.000", "60.000")], 0.0, 2.0) == MatchResult(
        MatchStatus.BLOCKED, "line 1: invoiced 80.000 > received 60.000 (+0%)"
    )


def test_earlier_invoices_count_against_the_received_quantity() -> None:
    assert three_way_match([line("20.000", "60.000", earlier="50.000")], 0.0, 2.0) == (
        MatchResult(MatchStatus.BLOCKED, "line 1: invoiced 70.000 > received 60.000 (+0%)")
    )
    assert three_way_match([line("10.000", "60.000", earlier="50.000")], 0.0, 2.0) == (
        MatchResult(MatchStatus.MATCHED)
    )


@pytest.mark.parametrize(
    ("invoiced", "price", "status"),
    [
        ("63.000", 1275, MatchStatus.MATCHED),  # exactly at both tolerances
        ("63.001", 1275, MatchStatus.BLOCKED),
        ("63.000", 1276, MatchStatus.BLOCKED),
    ],
)
def test_tolerances_are_inclusive(invoiced: str, price: int, status: MatchStatus) -> None:
    assert three_way_match([line(invoiced, "60.000", price)], 5.0, 2.0).status is status


def test_price_and_quantity_reasons_of_several_lines_are_joined() -> None:
    lines = [
        line("61.000", "60.000", price=1300),
        MatchLine(2, Decimal("5.000"), 100, 100, Decimal("5.000"), Decimal("0")),
        MatchLine(3, Decimal("5.000"), 103, 100, Decimal("5.000"), Decimal("0")),
    ]

    assert three_way_match(lines, 1.5, 2.5).reason == (
        "line 1: invoiced 61.000 > received 60.000 (+1.5%); "
        "line 1: price 1300 > ordered 1250 (+2.5%); "
        "line 3: price 103 > ordered 100 (+2.5%)"
    )


def test_lower_price_and_quantity_match() -> None:
    assert three_way_match([line("1.000", "60.000", price=1)], 0.0, 0.0) == MatchResult(
        MatchStatus.MATCHED
    )


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-10, AgeingBucket.CURRENT),
        (0, AgeingBucket.CURRENT),
        (1, AgeingBucket.DAYS_1_30),
        (30, AgeingBucket.DAYS_1_30),
        (31, AgeingBucket.DAYS_31_60),
        (60, AgeingBucket.DAYS_31_60),
        (61, AgeingBucket.DAYS_61_90),
        (90, AgeingBucket.DAYS_61_90),
        (91, AgeingBucket.DAYS_OVER_90),
    ],
)
def test_ageing_bucket_boundaries(days: int, bucket: AgeingBucket) -> None:
    assert ageing_bucket(days) is bucket


@pytest.mark.parametrize(
    ("days", "level"), [(-1, 0), (0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (365, 3)]
)
def test_dunning_level(days: int, level: int) -> None:
    assert dunning_level(days) == level


def test_aged_sums_open_amounts_per_bucket() -> None:
    as_of = date(2027, 3, 1)
    items = [(date(2027, 3, 1), 5), (date(2027, 2, 28), 7), (date(2027, 1, 29), 11)]

    amounts = aged(items, as_of)

    assert amounts == AgeingAmounts(current=5, days_1_30=7, days_31_60=11)
    assert amounts.total == 23
    assert amounts + AgeingAmounts(days_over_90=1) == AgeingAmounts(5, 7, 11, 0, 1)
