"""Purchase orders between members through the services: one document, two views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from tests.support import World

from tandem.adapters.memory import InMemoryStore
from tandem.domain.errors import (
    ChangePending,
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    StaleVersion,
    ValidationFailed,
    Violation,
)
from tandem.domain.orders import (
    ChangeKind,
    ChangeStatus,
    LineChange,
    OrderEventKind,
    OrderStatus,
    PurchaseOrder,
)
from tandem.domain.quantities import to_quantity
from tandem.services import agreements
from tandem.services import purchase_orders as po
from tandem.services.agreements import PartyRole, TermsFields
from tandem.services.context import PageRequest
from tandem.services.purchase_orders import (
    AcknowledgeOrder,
    AwaitedAction,
    CreatePurchaseOrder,
    LineConfirmation,
    OrderLineInput,
    RequestChange,
)

ALL = PageRequest(0, 1000)
DEC_1 = date(2026, 12, 1)
DEC_3 = date(2026, 12, 3)


@dataclass(frozen=True)
class Ids:
    sites: dict[str, int]
    items: dict[str, int]


@pytest.fixture
def ids(world: World) -> Ids:
    with world.ctx.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=world.network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=world.network_id)}
    return Ids(sites, items)


def blend(ids: Ids, quantity: str = "10", price: int = 1200, day: date = DEC_1) -> OrderLineInput:
    return OrderLineInput(ids.items["BLEND"], Decimal(quantity), price, day)


def cafe_order(world: World, ids: Ids, *lines: OrderLineInput, **fields: Any) -> po.OrderView:
    """A draft of the café (buyer) to the roaster (seller), shipped to CAFE-1."""
    command = CreatePurchaseOrder(
        world.roaster.member_id,
        ids.sites["CAFE-1"],
        lines or (blend(ids), blend(ids, "2.5", 1150, DEC_3)),
        **fields,
    )
    return po.create_order(world.ctx, world.cafe, command)


def acknowledged(world: World, ids: Ids) -> PurchaseOrder:
    order = cafe_order(world, ids).order
    po.submit_order(world.ctx, world.cafe, order.id)
    ack = AcknowledgeOrder((LineConfirmation(1, Decimal("8"), DEC_3),), ids.sites["PLANT"])
    return po.acknowledge_order(world.ctx, world.roaster, order.id, ack).order


def fulfil(
    world: World, order_id: int, shipped: str, received: str = "0", line_no: int = 1
) -> PurchaseOrder:
    """What the shipments context does: store a line's quantities, then record the step."""
    with world.ctx.uow() as uow:
        line = uow.purchase_order_lines.find(order_id=order_id, line_no=line_no)[0]
        uow.purchase_order_lines.update(
            replace(
                line, shipped_quantity=to_quantity(shipped), received_quantity=to_quantity(received)
            )
        )
        order = uow.purchase_orders.get(order_id)
        assert order is not None
        kind = OrderEventKind.RECEIVED if received != "0" else OrderEventKind.SHIPPED
        moved = po.record_fulfilment(
            uow, order, kind, world.roaster.member_id, None, world.ctx.clock.now(), {"n": 1}
        )
        uow.commit()
    return moved


def changes(*lines: LineChange, reason: str = "") -> RequestChange:
    return RequestChange(ChangeKind.CHANGE, lines, reason)


CANCELLATION = RequestChange(ChangeKind.CANCEL, reason="no longer needed")


# ---------------------------------------------------------------- drafting


def test_buyer_drafts_an_order_numbered_from_its_id_with_default_terms(
    world: World, ids: Ids
) -> None:
    view = cafe_order(world, ids, buyer_reference="CAFE-REQ-7")

    order = view.order
    assert (order.number, order.status, order.version) == ("PO-000001", OrderStatus.DRAFT, 1)
    assert (order.buyer_member_id, order.seller_member_id) == (
        world.cafe.member_id,
        world.roaster.member_id,
    )
    assert (order.payment_terms_days, order.buyer_reference) == (30, "CAFE-REQ-7")
    assert [(x.line_no, x.quantity, x.unit_price_minor, x.requested_date) for x in view.lines] == [
        (1, Decimal("10.000"), 1200, DEC_1),
        (2, Decimal("2.500"), 1150, DEC_3),
    ]
    assert view.pending_change is None


def test_payment_terms_follow_the_pairs_trade_terms(world: World, ids: Ids) -> None:
    terms = TermsFields(world.cafe.member_id, world.roaster.member_id, payment_terms_days=45)
    agreements.set_trade_terms(world.ctx, world.roaster, terms)

    assert cafe_order(world, ids).order.payment_terms_days == 45


def test_invalid_order_names_every_violation_and_writes_nothing(
    world: World, ids: Ids, store: InMemoryStore
) -> None:
    command = CreatePurchaseOrder(
        world.cafe.member_id,
        ids.sites["PLANT"],
        (
            OrderLineInput(999, Decimal("0"), 100, DEC_1),
            OrderLineInput(ids.items["BLEND"], Decimal("1.2345"), -1, DEC_1),
        ),
    )

    with pytest.raises(ValidationFailed) as refused:
        po.create_order(world.ctx, world.cafe, command)

    cafe, where = world.cafe.member_id, "purchase_order"
    assert refused.value.violations == [
        Violation(where, "the seller must be another member", "seller_member_id"),
        Violation(
            where, f"site {ids.sites['PLANT']} is not a site of member {cafe}", "ship_to_site_id"
        ),
        Violation("lines[0]", "item 999 does not exist", "item_id"),
        Violation("lines[0]", "must be greater than 0", "quantity"),
        Violation("lines[1]", "Decimal('1.2345') has more than three decimals", "quantity"),
        Violation("lines[1]", "must not be negative", "unit_price_minor"),
    ]
    assert (store.purchase_orders.rows, store.order_events.rows) == ({}, {})


def test_order_without_lines_is_refused(world: World, ids: Ids) -> None:
    command = CreatePurchaseOrder(world.roaster.member_id, ids.sites["CAFE-1"], ())

    with pytest.raises(ValidationFailed) as refused:
        po.create_order(world.ctx, world.cafe, command)

    assert refused.value.violations == [
        Violation("purchase_order", "an order needs at least one line", "lines")
    ]


def test_buyer_replaces_the_lines_of_a_draft_renumbering_them(world: World, ids: Ids) -> None:
    order = cafe_order(world, ids).order

    edited = po.replace_lines(world.ctx, world.cafe, order.id, [blend(ids, "4", 1100)], 1)

    assert edited.order.version == 2
    assert [(x.line_no, x.quantity, x.unit_price_minor) for x in edited.lines] == [
        (1, Decimal("4.000"), 1100)
    ]
    event = po.order_history(world.ctx, world.cafe, order.id)[-1]
    assert (event.kind, event.version) == (OrderEventKind.EDITED, 2)
    assert [x["quantity"] for x in event.detail["before"]] == ["10.000", "2.500"]
    assert [x["quantity"] for x in event.detail["after"]] == ["4.000"]


# ---------------------------------------------------------------- the lifecycle


def test_seller_acknowledges_confirming_a_different_quantity_and_date(
    world: World, ids: Ids
) -> None:
    order = cafe_order(world, ids).order
    submitted = po.submit_order(world.ctx, world.cafe, order.id)
    ack = AcknowledgeOrder((LineConfirmation(1, Decimal("8"), DEC_3),), ids.sites["PLANT"], 2)

    view = po.acknowledge_order(world.ctx, world.roaster, order.id, ack)

    assert (submitted.order.status, submitted.order.version) == (OrderStatus.SUBMITTED, 2)
    assert (view.order.status, view.order.version) == (OrderStatus.ACKNOWLEDGED, 3)
    assert view.order.ship_from_site_id == ids.sites["PLANT"]
    assert [(x.confirmed_quantity, x.confirmed_date) for x in view.lines] == [
        (Decimal("8.000"), DEC_3),
        (Decimal("2.500"), DEC_3),
    ]
    assert po.order_history(world.ctx, world.cafe, order.id)[-1].detail == {
        "lines": [
            {
                "line_no": 1,
                "confirmed_quantity": [None, "8.000"],
                "confirmed_date": [None, "2026-12-03"],
            },
            {
                "line_no": 2,
                "confirmed_quantity": [None, "2.500"],
                "confirmed_date": [None, "2026-12-03"],
            },
        ],
        "ship_from_site_id": ids.sites["PLANT"],
        "status": ["submitted", "acknowledged"],
    }


def test_acknowledgement_refuses_unknown_lines_negative_quantities_and_foreign_sites(
    world: World, ids: Ids, store: InMemoryStore
) -> None:
    order = cafe_order(world, ids).order
    po.submit_order(world.ctx, world.cafe, order.id)
    ack = AcknowledgeOrder(
        (LineConfirmation(3, Decimal("1"), DEC_1), LineConfirmation(1, Decimal("-1"), DEC_1)),
        ids.sites["CAFE-1"],
    )

    with pytest.raises(ValidationFailed) as refused:
        po.acknowledge_order(world.ctx, world.roaster, order.id, ack)

    roaster = world.roaster.member_id
    assert refused.value.violations == [
        Violation("lines[0]", "line 3 is unknown or confirmed twice", "line_no"),
        Violation("lines[1]", "must not be negative", "confirmed_quantity"),
        Violation(
            "purchase_order",
            f"site {ids.sites['CAFE-1']} is not a site of member {roaster}",
            "ship_from_site_id",
        ),
    ]
    assert store.purchase_orders.rows[order.id].status == OrderStatus.SUBMITTED
    assert store.purchase_order_lines.find(order_id=order.id)[0].confirmed_quantity is None


def test_buyer_cancels_a_submitted_order_at_once(world: World, ids: Ids) -> None:
    order = cafe_order(world, ids).order
    po.submit_order(world.ctx, world.cafe, order.id)

    view = po.cancel_order(world.ctx, world.cafe, order.id, "ordered twice")

    assert (view.order.status, view.order.version) == (OrderStatus.CANCELLED, 3)
    assert po.order_history(world.ctx, world.roaster, order.id)[-1].detail == {
        "reason": "ordered twice",
        "status": ["submitted", "cancelled"],
    }


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            lambda w, o: po.cancel_order(w.ctx, w.cafe, o),
            "cannot cancel a purchase order that is acknowledged",
        ),
        (
            lambda w, o: po.submit_order(w.ctx, w.cafe, o),
            "cannot submit a purchase order that is acknowledged",
        ),
        (
            lambda w, o: po.acknowledge_order(w.ctx, w.roaster, o, AcknowledgeOrder()),
            "cannot acknowledge a purchase order that is acknowledged",
        ),
        (
            lambda w, o: po.replace_lines(w.ctx, w.cafe, o, []),
            "cannot edit a purchase order that is acknowledged",
        ),
    ],
)
def test_steps_out_of_order_are_invalid_transitions_naming_the_status(
    world: World, ids: Ids, step: Callable[[World, int], object], message: str
) -> None:
    order = acknowledged(world, ids)

    with pytest.raises(InvalidTransition) as refused:
        step(world, order.id)

    assert (refused.value.code, refused.value.detail) == ("invalid_state_transition", message)


def test_a_draft_is_the_buyers_alone_and_the_buyer_cannot_acknowledge(
    world: World, ids: Ids
) -> None:
    order = cafe_order(world, ids).order

    with pytest.raises(NotFound) as draft:
        po.acknowledge_order(world.ctx, world.roaster, order.id, AcknowledgeOrder())
    with pytest.raises(NotFound) as read:
        po.get_order(world.ctx, world.roaster, order.id)
    with pytest.raises(Forbidden) as buyer:
        po.acknowledge_order(world.ctx, world.cafe, order.id, AcknowledgeOrder())

    assert draft.value.detail == read.value.detail == f"purchase order {order.id} not found"
    assert buyer.value.detail == f"only the seller may acknowledge purchase order {order.number}"


def test_history_lists_every_step_with_versions_one_to_n_for_both_parties(
    world: World, ids: Ids
) -> None:
    order = acknowledged(world, ids)
    change = po.request_change(
        world.ctx, world.cafe, order.id, changes(LineChange(2, requested_date=DEC_1))
    )
    po.reject_change(world.ctx, world.roaster, order.id, change.change.id, "van is full")

    seen_by_buyer = po.order_history(world.ctx, world.cafe, order.id)

    assert [(e.version, e.kind, e.actor_member_id) for e in seen_by_buyer] == [
        (1, OrderEventKind.CREATED, world.cafe.member_id),
        (2, OrderEventKind.SUBMITTED, world.cafe.member_id),
        (3, OrderEventKind.ACKNOWLEDGED, world.roaster.member_id),
        (4, OrderEventKind.CHANGE_REQUESTED, world.cafe.member_id),
        (5, OrderEventKind.CHANGE_REJECTED, world.roaster.member_id),
    ]
    assert po.order_history(world.ctx, world.roaster, order.id) == seen_by_buyer
    assert po.get_order(world.ctx, world.roaster, order.id).order.version == 5


def test_a_stale_expected_version_is_refused_and_writes_nothing(
    world: World, ids: Ids, store: InMemoryStore
) -> None:
    order = cafe_order(world, ids).order
    po.replace_lines(world.ctx, world.cafe, order.id, [blend(ids, "3")])

    with pytest.raises(StaleVersion) as refused:
        po.submit_order(world.ctx, world.cafe, order.id, expected_version=1)

    assert (refused.value.code, refused.value.detail) == (
        "stale_version",
        "purchase order PO-000001 is at version 2, not 1",
    )
    assert (store.purchase_orders.rows[order.id].status, store.order_events.count()) == (
        OrderStatus.DRAFT,
        2,
    )


# ---------------------------------------------------------------- changes after acknowledgement


def test_accepted_change_updates_the_lines_and_resets_their_confirmation(
    world: World, ids: Ids
) -> None:
    order = acknowledged(world, ids)
    proposal = changes(LineChange(1, Decimal("6"), DEC_1), LineChange(2, cancel=True), reason="x")

    requested = po.request_change(world.ctx, world.roaster, order.id, proposal)
    accepted = po.accept_change(
        world.ctx, world.cafe, order.id, requested.change.id, "fine", expected_version=4
    )

    assert requested.change.status == ChangeStatus.PENDING
    assert requested.view.pending_change == requested.change
    assert (accepted.change.status, accepted.change.decided_by_member_id) == (
        ChangeStatus.ACCEPTED,
        world.cafe.member_id,
    )
    view = accepted.view
    assert (view.order.status, view.order.version, view.pending_change) == (
        OrderStatus.ACKNOWLEDGED,
        5,
        None,
    )
    assert [
        (x.quantity, x.confirmed_quantity, x.confirmed_date, x.cancelled) for x in view.lines
    ] == [
        (Decimal("6.000"), Decimal("6.000"), DEC_1, False),
        (Decimal("2.500"), Decimal("2.500"), DEC_3, True),
    ]
    assert po.order_history(world.ctx, world.cafe, order.id)[-1].detail == {
        "change_request_id": requested.change.id,
        "kind": "change",
        "lines": [
            {
                "line_no": 1,
                "quantity": ["10.000", "6.000"],
                "confirmed_quantity": ["8.000", "6.000"],
                "confirmed_date": ["2026-12-03", "2026-12-01"],
            },
            {"line_no": 2, "cancelled": [False, True]},
        ],
        "note": "fine",
    }


def test_rejected_change_keeps_the_order_as_it_was(world: World, ids: Ids) -> None:
    order = acknowledged(world, ids)
    before = po.get_order(world.ctx, world.cafe, order.id).lines
    requested = po.request_change(
        world.ctx, world.cafe, order.id, changes(LineChange(1, unit_price_minor=1000))
    )

    rejected = po.reject_change(world.ctx, world.roaster, order.id, requested.change.id, "no")

    assert (rejected.change.status, rejected.change.decision_note) == (ChangeStatus.REJECTED, "no")
    assert (rejected.view.lines, rejected.view.order.version) == (before, 5)


def test_rejection_needs_a_note(world: World, ids: Ids) -> None:
    order = acknowledged(world, ids)
    requested = po.request_change(world.ctx, world.cafe, order.id, CANCELLATION)

    with pytest.raises(ValidationFailed) as refused:
        po.reject_change(world.ctx, world.roaster, order.id, requested.change.id, " ")

    assert refused.value.violations == [Violation("change_request", "must not be empty", "note")]


def test_only_the_other_party_decides_and_only_the_requester_withdraws(
    world: World, ids: Ids
) -> None:
    order = acknowledged(world, ids)
    change = po.request_change(world.ctx, world.cafe, order.id, CANCELLATION).change

    with pytest.raises(Forbidden) as own:
        po.accept_change(world.ctx, world.cafe, order.id, change.id)
    with pytest.raises(Forbidden) as other:
        po.withdraw_change(world.ctx, world.roaster, order.id, change.id)
    withdrawn = po.withdraw_change(world.ctx, world.cafe, order.id, change.id)
    with pytest.raises(InvalidTransition) as again:
        po.accept_change(world.ctx, world.roaster, order.id, change.id)

    assert own.value.detail == "the other party decides a change request"
    assert other.value.detail == "only the requester withdraws a change request"
    assert (withdrawn.change.status, withdrawn.view.order.status) == (
        ChangeStatus.WITHDRAWN,
        OrderStatus.ACKNOWLEDGED,
    )
    assert again.value.detail == f"change request {change.id} is withdrawn, not pending"


def test_a_second_pending_request_is_refused_with_change_pending(world: World, ids: Ids) -> None:
    order = acknowledged(world, ids)
    po.request_change(world.ctx, world.cafe, order.id, changes(LineChange(1, Decimal("9"))))

    with pytest.raises(ChangePending) as refused:
        po.request_change(world.ctx, world.roaster, order.id, CANCELLATION)

    assert (refused.value.code, refused.value.detail) == (
        "change_pending",
        "purchase order PO-000001 has a pending change request",
    )
    assert po.get_order(world.ctx, world.cafe, order.id).order.version == 4


def test_accepted_cancellation_request_cancels_the_acknowledged_order(
    world: World, ids: Ids
) -> None:
    order = acknowledged(world, ids)
    change = po.request_change(world.ctx, world.roaster, order.id, CANCELLATION).change

    accepted = po.accept_change(world.ctx, world.cafe, order.id, change.id)

    assert (accepted.view.order.status, accepted.view.order.version) == (
        OrderStatus.CANCELLED,
        5,
    )
    assert po.order_history(world.ctx, world.cafe, order.id)[-1].detail["status"] == [
        "acknowledged",
        "cancelled",
    ]


def test_requests_apply_at_once_when_the_terms_ask_no_acceptance(world: World, ids: Ids) -> None:
    terms = TermsFields(
        world.cafe.member_id,
        world.roaster.member_id,
        changes_need_acceptance=False,
        cancellation_needs_acceptance=False,
    )
    agreements.set_trade_terms(world.ctx, world.cafe, terms)
    order = acknowledged(world, ids)

    changed = po.request_change(
        world.ctx, world.cafe, order.id, changes(LineChange(1, Decimal("5")))
    )
    cancelled = po.request_change(world.ctx, world.roaster, order.id, CANCELLATION)

    assert (changed.change.status, changed.change.decided_by_member_id) == (
        ChangeStatus.ACCEPTED,
        None,
    )
    assert changed.change.decision_note == "applied at once: the trade terms ask no acceptance"
    assert changed.view.lines[0].quantity == Decimal("5.000")
    assert (cancelled.view.order.status, cancelled.view.order.version) == (
        OrderStatus.CANCELLED,
        7,
    )
    kinds = [e.kind for e in po.order_history(world.ctx, world.cafe, order.id)][3:]
    assert kinds == [
        OrderEventKind.CHANGE_REQUESTED,
        OrderEventKind.CHANGE_ACCEPTED,
        OrderEventKind.CHANGE_REQUESTED,
        OrderEventKind.CHANGE_ACCEPTED,
    ]


def test_invalid_change_requests_are_refused_with_their_violations(
    world: World, ids: Ids, store: InMemoryStore
) -> None:
    order = acknowledged(world, ids)
    proposal = changes(LineChange(7, Decimal("1")), LineChange(1), LineChange(2, Decimal("-2")))

    with pytest.raises(ValidationFailed) as refused:
        po.request_change(world.ctx, world.cafe, order.id, proposal)

    assert refused.value.violations == [
        Violation("lines[0]", "line 7 is unknown or named twice", "line_no"),
        Violation("lines[1]", "the change changes nothing", "line_no"),
        Violation("lines[2]", "must be greater than 0", "quantity"),
    ]
    assert (store.change_requests.rows, store.purchase_orders.rows[order.id].version) == ({}, 3)


# ---------------------------------------------------------------- fulfilment and closing


def test_fulfilment_moves_the_status_from_the_lines(world: World, ids: Ids) -> None:
    order = acknowledged(world, ids)

    partly = fulfil(world, order.id, "8")
    shipped = fulfil(world, order.id, "2.5", line_no=2)
    half_received = fulfil(world, order.id, "8", received="8")
    received = fulfil(world, order.id, "2.5", received="2.5", line_no=2)

    assert (partly.status, partly.version) == (OrderStatus.PARTIALLY_SHIPPED, 4)
    assert (shipped.status, shipped.version) == (OrderStatus.SHIPPED, 5)
    assert (half_received.status, half_received.version) == (OrderStatus.SHIPPED, 6)
    assert (received.status, received.version) == (OrderStatus.RECEIVED, 7)
    event = po.order_history(world.ctx, world.cafe, order.id)[3]
    assert (event.kind, event.detail) == (
        OrderEventKind.SHIPPED,
        {"n": 1, "status": ["acknowledged", "partially_shipped"]},
    )


def test_shipping_a_submitted_order_is_an_invalid_transition(world: World, ids: Ids) -> None:
    order = cafe_order(world, ids).order
    po.submit_order(world.ctx, world.cafe, order.id)

    with pytest.raises(InvalidTransition) as refused:
        fulfil(world, order.id, "1")

    assert refused.value.detail == "cannot ship a purchase order that is submitted"


def test_a_change_below_the_shipped_quantity_is_refused(world: World, ids: Ids) -> None:
    order = acknowledged(world, ids)
    fulfil(world, order.id, "5")

    with pytest.raises(Conflict) as below:
        po.request_change(world.ctx, world.cafe, order.id, changes(LineChange(1, Decimal("4"))))
    with pytest.raises(Conflict) as cancel:
        po.request_change(world.ctx, world.cafe, order.id, changes(LineChange(1, cancel=True)))
    down_to_shipped = po.request_change(
        world.ctx,
        world.roaster,
        order.id,
        changes(LineChange(1, Decimal("5")), LineChange(2, cancel=True)),
    )
    accepted = po.accept_change(world.ctx, world.cafe, order.id, down_to_shipped.change.id)

    assert below.value.detail == "line 1 cannot drop to 4.000: 5.000 were already shipped"
    assert cancel.value.detail == "line 1 cannot be cancelled: goods were already shipped"
    assert accepted.view.order.status == OrderStatus.SHIPPED


def test_buyer_closes_short_recording_what_was_not_shipped(world: World, ids: Ids) -> None:
    """The lines keep what was confirmed (supplier scorecards measure against it); the close
    event names what was left unshipped per line."""
    order = acknowledged(world, ids)
    fulfil(world, order.id, "3")

    view = po.close_order(world.ctx, world.cafe, order.id)

    assert (view.order.status, view.order.version) == (OrderStatus.CLOSED, 5)
    assert [(x.confirmed_quantity, x.shipped_quantity, x.cancelled) for x in view.lines] == [
        (Decimal("8.000"), Decimal("3.000"), False),
        (Decimal("2.500"), Decimal("0.000"), False),
    ]
    assert po.order_history(world.ctx, world.roaster, order.id)[-1].detail == {
        "closed_short": [
            {"line_no": 1, "not_shipped": "5.000"},
            {"line_no": 2, "not_shipped": "2.500"},
        ],
        "status": ["partially_shipped", "closed"],
    }


def test_a_draft_cannot_be_closed_and_the_seller_closes_nothing(world: World, ids: Ids) -> None:
    draft = cafe_order(world, ids).order
    order = acknowledged(world, ids)

    with pytest.raises(InvalidTransition) as refused:
        po.close_order(world.ctx, world.cafe, draft.id)
    with pytest.raises(Forbidden):
        po.close_order(world.ctx, world.roaster, order.id)

    assert refused.value.detail == "cannot close a purchase order that is draft"


# ---------------------------------------------------------------- who sees what


THIRD_PARTY_STEPS: list[Callable[[World, int, int], object]] = [
    lambda w, o, c: po.get_order(w.ctx, w.beans, o),
    lambda w, o, c: po.order_history(w.ctx, w.beans, o),
    lambda w, o, c: po.list_change_requests(w.ctx, w.beans, o),
    lambda w, o, c: po.replace_lines(w.ctx, w.beans, o, []),
    lambda w, o, c: po.submit_order(w.ctx, w.beans, o),
    lambda w, o, c: po.cancel_order(w.ctx, w.beans, o),
    lambda w, o, c: po.acknowledge_order(w.ctx, w.beans, o, AcknowledgeOrder()),
    lambda w, o, c: po.request_change(w.ctx, w.beans, o, CANCELLATION),
    lambda w, o, c: po.accept_change(w.ctx, w.beans, o, c),
    lambda w, o, c: po.reject_change(w.ctx, w.beans, o, c, "no"),
    lambda w, o, c: po.withdraw_change(w.ctx, w.beans, o, c),
    lambda w, o, c: po.close_order(w.ctx, w.beans, o),
]


@pytest.mark.parametrize("step", THIRD_PARTY_STEPS)
def test_a_third_member_gets_not_found_for_every_read_and_write(
    world: World, ids: Ids, step: Callable[[World, int, int], object]
) -> None:
    order = acknowledged(world, ids)
    change = po.request_change(world.ctx, world.cafe, order.id, CANCELLATION).change

    with pytest.raises(NotFound) as hidden:
        step(world, order.id, change.id)

    assert hidden.value.detail == f"purchase order {order.id} not found"


def test_lists_show_the_callers_orders_by_role_and_status(world: World, ids: Ids) -> None:
    first = acknowledged(world, ids)
    second = cafe_order(world, ids).order

    mine = po.list_orders(world.ctx, world.cafe, ALL)
    selling = po.list_orders(world.ctx, world.roaster, ALL, PartyRole.SELLER)
    buying = po.list_orders(world.ctx, world.roaster, ALL, PartyRole.BUYER)
    drafts = po.list_orders(world.ctx, world.cafe, ALL, None, OrderStatus.DRAFT)

    assert [o.id for o in mine.items] == [first.id, second.id]
    # the seller sees the submitted order, not the buyer's draft
    assert (selling.total, buying.total, po.list_orders(world.ctx, world.beans, ALL).total) == (
        1,
        0,
        0,
    )
    assert [o.id for o in drafts.items] == [second.id]
    assert [o.id for o in po.list_orders(world.ctx, world.cafe, PageRequest(1, 1)).items] == [
        second.id
    ]


def test_inbox_lists_what_each_party_must_do(world: World, ids: Ids) -> None:
    draft = cafe_order(world, ids).order
    submitted = cafe_order(world, ids).order
    po.submit_order(world.ctx, world.cafe, submitted.id)
    order = acknowledged(world, ids)
    change = po.request_change(world.ctx, world.roaster, order.id, CANCELLATION).change

    cafe = po.awaiting_action(world.ctx, world.cafe)
    roaster = po.awaiting_action(world.ctx, world.roaster)

    assert [(a.order.id, a.action, a.change_request_id) for a in cafe] == [
        (draft.id, AwaitedAction.SUBMIT, None),
        (order.id, AwaitedAction.DECIDE_CHANGE, change.id),
    ]
    assert [(a.order.id, a.action) for a in roaster] == [(submitted.id, AwaitedAction.ACKNOWLEDGE)]
    assert po.awaiting_action(world.ctx, world.beans) == ()
