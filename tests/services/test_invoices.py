"""Invoices: the seller invoices shipped quantities, the buyer's three-way match blocks what was
not received (within the trade terms' tolerances), and the buyer rematches or releases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from tests.finance_support import OrderLineRow, SeededOrder, seed_order, set_received
from tests.support import World

from tandem.domain.errors import (
    Forbidden,
    InvalidTransition,
    InvoiceExceedsShipped,
    NotFound,
    ValidationFailed,
    Violation,
)
from tandem.domain.finance import (
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    MatchStatus,
    PartyRole,
)
from tandem.domain.identity import Principal, Scope
from tandem.domain.orders import OrderEventKind, TradeTerms
from tandem.services import invoices
from tandem.services.context import PageRequest
from tandem.services.invoices import InvoiceLineInput, IssueInvoice

PAGE = PageRequest()
ISSUED_AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def order(world: World) -> SeededOrder:
    """CAFE buys 100 kg BLEND at 12.50/kg from ROAST; 80 shipped, 60 received."""
    return seed_order(
        world.ctx,
        world.network_id,
        "CAFE",
        "ROAST",
        "CAFE-1",
        [OrderLineRow("BLEND", "100", 1250, shipped="80", received="60")],
    )


def invoice_of(
    world: World, order: SeededOrder, quantity: str, price: int | None = None
) -> invoices.InvoiceDetail:
    line = InvoiceLineInput(order.line_ids[0], Decimal(quantity), price)
    return invoices.issue_invoice(world.ctx, world.roaster, IssueInvoice(order.id, (line,)))


def counts(world: World) -> tuple[int, ...]:
    with world.ctx.uow() as uow:
        return (
            uow.invoices.count(),
            uow.invoice_lines.count(),
            uow.journal_entries.count(),
            uow.postings.count(),
            uow.order_events.count(),
        )


def test_invoice_of_the_received_quantity_matches_and_is_due_after_the_payment_terms(
    world: World, order: SeededOrder
) -> None:
    detail = invoice_of(world, order, "60")

    invoice = detail.invoice
    assert invoice == Invoice(
        invoice.id,
        world.network_id,
        "INV-000001",
        order.id,
        world.roaster.member_id,
        world.cafe.member_id,
        ISSUED_AT,
        date(2026, 12, 21),
        "EUR",
        75000,
        InvoiceStatus.OPEN,
        MatchStatus.MATCHED,
    )
    assert detail.lines == (
        InvoiceLine(
            detail.lines[0].id,
            invoice.id,
            order.line_ids[0],
            detail.lines[0].item_id,
            Decimal("60.000"),
            1250,
            75000,
        ),
    )
    assert invoice.open_minor == 75000


def test_issuing_records_invoiced_quantity_and_an_order_event(
    world: World, order: SeededOrder
) -> None:
    invoice = invoice_of(world, order, "60").invoice

    with world.ctx.uow() as uow:
        line = uow.purchase_order_lines.get(order.line_ids[0])
        stored_order = uow.purchase_orders.get(order.id)
        events = uow.order_events.find(order_id=order.id)
    assert line is not None and line.invoiced_quantity == Decimal("60.000")
    assert stored_order is not None and stored_order.version == 2
    assert [(e.kind, e.version, e.actor_member_id, e.detail) for e in events] == [
        (
            OrderEventKind.INVOICED,
            2,
            world.roaster.member_id,
            {"invoice_id": invoice.id, "number": "INV-000001", "total_minor": 75000},
        )
    ]


def test_invoice_above_the_received_quantity_is_blocked_with_a_reason(
    world: World, order: SeededOrder
) -> None:
    invoice = invoice_of(world, order, "80").invoice

    assert (invoice.match_status, invoice.match_reason, invoice.total_minor) == (
        MatchStatus.BLOCKED,
        "line 1: invoiced 80.000 > received 60.000 (+0%)",
        100000,
    )


def test_invoice_above_the_shipped_quantity_is_refused_and_writes_nothing(
    world: World, order: SeededOrder
) -> None:
    before = counts(world)

    with pytest.raises(InvoiceExceedsShipped) as refused:
        invoice_of(world, order, "80.001")

    assert refused.value.code == "invoice_exceeds_shipped"
    assert refused.value.violations == [
        Violation(
            "lines[0]",
            "line 1: invoiced 80.001 > shipped and not yet invoiced 80.000 "
            "(shipped 80.000, invoiced 0.000)",
            "quantity",
        )
    ]
    assert counts(world) == before
    with world.ctx.uow() as uow:
        line = uow.purchase_order_lines.get(order.line_ids[0])
    assert line is not None and line.invoiced_quantity == Decimal("0.000")


def test_second_invoice_may_only_take_what_is_shipped_and_not_yet_invoiced(
    world: World, order: SeededOrder
) -> None:
    invoice_of(world, order, "60")

    with pytest.raises(InvoiceExceedsShipped) as refused:
        invoice_of(world, order, "21")
    second = invoice_of(world, order, "20").invoice

    assert refused.value.violations[0].message == (
        "line 1: invoiced 21.000 > shipped and not yet invoiced 20.000 "
        "(shipped 80.000, invoiced 60.000)"
    )
    assert (second.number, second.match_status, second.match_reason) == (
        "INV-000002",
        MatchStatus.BLOCKED,
        "line 1: invoiced 80.000 > received 60.000 (+0%)",
    )


def test_malformed_lines_are_refused_with_one_violation_each(
    world: World, order: SeededOrder
) -> None:
    other = seed_order(
        world.ctx, world.network_id, "ROAST", "BEANS", "PLANT", [OrderLineRow("GREEN", "5", 400)]
    )
    lines = (
        InvoiceLineInput(order.line_ids[0], Decimal("0")),
        InvoiceLineInput(other.line_ids[0], Decimal("1")),
        InvoiceLineInput(order.line_ids[0], Decimal("1.0001"), -1),
    )

    with pytest.raises(ValidationFailed) as refused:
        invoices.issue_invoice(world.ctx, world.roaster, IssueInvoice(order.id, lines))

    assert [str(v) for v in refused.value.violations] == [
        "lines[0].quantity: must be positive, with at most three decimals",
        f"lines[1].order_line_id: order line {other.line_ids[0]} is not a line of order "
        f"{order.number}",
        "lines[2].order_line_id: order line invoiced twice",
        "lines[2].quantity: must be positive, with at most three decimals",
        "lines[2].unit_price_minor: must not be negative",
    ]


def test_order_line_twice_and_empty_and_free_invoices_are_refused(
    world: World, order: SeededOrder
) -> None:
    twice = tuple(InvoiceLineInput(order.line_ids[0], Decimal("1")) for _ in range(2))
    free = (InvoiceLineInput(order.line_ids[0], Decimal("1"), 0),)

    for lines, message in [
        (twice, "lines[1].order_line_id: order line invoiced twice"),
        ((), "lines: empty"),
        (free, "lines.unit_price_minor: total is zero"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            invoices.issue_invoice(world.ctx, world.roaster, IssueInvoice(order.id, lines))
        assert [str(v) for v in refused.value.violations] == [message]


def test_only_the_seller_invoices_and_a_third_member_cannot_see_the_order(
    world: World, order: SeededOrder
) -> None:
    line = (InvoiceLineInput(order.line_ids[0], Decimal("1")),)

    with pytest.raises(Forbidden, match="only the seller may invoice order PO-"):
        invoices.issue_invoice(world.ctx, world.cafe, IssueInvoice(order.id, line))
    with pytest.raises(NotFound, match=f"order {order.id} not found"):
        invoices.issue_invoice(world.ctx, world.beans, IssueInvoice(order.id, line))
    with pytest.raises(NotFound):
        invoices.issue_invoice(world.ctx, world.roaster, IssueInvoice(999, line))
    reader = replace(world.roaster, scopes=frozenset({Scope.DATA_READ}))
    with pytest.raises(Forbidden, match="data:write"):
        invoices.issue_invoice(world.ctx, reader, IssueInvoice(order.id, line))


def test_trade_terms_tolerances_apply_inclusively(world: World, order: SeededOrder) -> None:
    with world.ctx.uow() as uow:
        uow.trade_terms.add(
            TradeTerms(
                0,
                world.network_id,
                world.cafe.member_id,
                world.roaster.member_id,
                quantity_tolerance_pct=5.0,
                price_tolerance_pct=1.0,
            )
        )
        uow.commit()

    within = invoice_of(world, order, "63", price=1262).invoice
    over = invoice_of(world, order, "1", price=1263).invoice

    assert (within.match_status, within.total_minor) == (MatchStatus.MATCHED, 79506)
    assert (over.match_status, over.match_reason) == (
        MatchStatus.BLOCKED,
        "line 1: invoiced 64.000 > received 60.000 (+5%); line 1: price 1263 > ordered 1250 (+1%)",
    )


def test_buyer_rematches_a_blocked_invoice_after_a_late_receipt(
    world: World, order: SeededOrder
) -> None:
    blocked = invoice_of(world, order, "80").invoice
    still = invoices.rematch_invoice(world.ctx, world.cafe, blocked.id)
    set_received(world.ctx, order.line_ids[0], "80")

    matched = invoices.rematch_invoice(world.ctx, world.cafe, blocked.id)

    assert still.match_reason == "line 1: invoiced 80.000 > received 60.000 (+0%)"
    assert (matched.match_status, matched.match_reason) == (MatchStatus.MATCHED, "")
    assert invoices.get_invoice(world.ctx, world.roaster, blocked.id).invoice == matched


def test_only_the_buyer_rematches_and_only_a_blocked_invoice(
    world: World, order: SeededOrder
) -> None:
    blocked = invoice_of(world, order, "80").invoice

    with pytest.raises(Forbidden, match="only the buyer may rematch invoice INV-000001"):
        invoices.rematch_invoice(world.ctx, world.roaster, blocked.id)
    with pytest.raises(NotFound, match=f"invoice {blocked.id} not found"):
        invoices.rematch_invoice(world.ctx, world.beans, blocked.id)
    set_received(world.ctx, order.line_ids[0], "80")
    invoices.rematch_invoice(world.ctx, world.cafe, blocked.id)
    with pytest.raises(InvalidTransition, match="is matched; only a blocked invoice can be"):
        invoices.rematch_invoice(world.ctx, world.cafe, blocked.id)


def test_buyer_releases_a_blocked_invoice_with_a_note(world: World, order: SeededOrder) -> None:
    blocked = invoice_of(world, order, "80").invoice

    with pytest.raises(ValidationFailed, match="a release needs a note"):
        invoices.release_invoice(world.ctx, world.cafe, blocked.id, "  ")
    with pytest.raises(Forbidden):
        invoices.release_invoice(world.ctx, world.roaster, blocked.id, "fine")
    released = invoices.release_invoice(world.ctx, world.cafe, blocked.id, " 20 kg on the way ")

    assert (released.match_status, released.match_reason) == (
        MatchStatus.RELEASED,
        "line 1: invoiced 80.000 > received 60.000 (+0%) | released: 20 kg on the way",
    )
    with pytest.raises(InvalidTransition):
        invoices.release_invoice(world.ctx, world.cafe, blocked.id, "again")


def test_parties_list_and_read_invoices_and_a_third_member_sees_nothing(
    world: World, order: SeededOrder
) -> None:
    sold = invoice_of(world, order, "60").invoice
    blocked = invoice_of(world, order, "20").invoice
    bought_order = seed_order(
        world.ctx,
        world.network_id,
        "ROAST",
        "BEANS",
        "PLANT",
        [OrderLineRow("GREEN", "10", 400, shipped="10", received="10")],
    )
    line = (InvoiceLineInput(bought_order.line_ids[0], Decimal("10")),)
    bought = invoices.issue_invoice(
        world.ctx, world.beans, IssueInvoice(bought_order.id, line)
    ).invoice

    def ids(principal: Principal, **filters: Any) -> list[int]:
        return [i.id for i in invoices.list_invoices(world.ctx, principal, PAGE, **filters).items]

    assert ids(world.roaster) == [sold.id, blocked.id, bought.id]
    assert ids(world.roaster, role=PartyRole.SELLER) == [sold.id, blocked.id]
    assert ids(world.roaster, role=PartyRole.BUYER) == [bought.id]
    assert ids(world.roaster, match_status=MatchStatus.BLOCKED) == [blocked.id]
    assert ids(world.cafe, status=InvoiceStatus.OPEN, order_id=order.id) == [sold.id, blocked.id]
    assert ids(world.beans) == [bought.id]
    two = invoices.list_invoices(world.ctx, world.roaster, PageRequest(1, 1))
    assert ([i.id for i in two.items], two.total) == ([blocked.id], 3)
    with pytest.raises(NotFound, match=f"invoice {sold.id} not found"):
        invoices.get_invoice(world.ctx, world.beans, sold.id)
    detail = invoices.get_invoice(world.ctx, world.cafe, sold.id)
    assert (detail.invoice, len(detail.lines), detail.payments, detail.credit_notes) == (
        sold,
        1,
        (),
        (),
    )
