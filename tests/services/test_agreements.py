"""Blanket agreements, their call-offs, and the trade terms of a pair."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tests.services.test_purchase_orders import Ids, blend, cafe_order
from tests.support import World

from tandem.adapters.memory import InMemoryStore
from tandem.domain.errors import (
    AgreementExhausted,
    Forbidden,
    NotFound,
    ValidationFailed,
    Violation,
)
from tandem.domain.orders import (
    Agreement,
    AgreementStatus,
    ChangeKind,
    LineChange,
    OrderStatus,
    TradeTerms,
)
from tandem.services import agreements
from tandem.services import purchase_orders as po
from tandem.services.agreements import AgreementFields, PartyRole, TermsFields
from tandem.services.context import PageRequest

ALL = PageRequest(0, 1000)


@pytest.fixture
def ids(world: World) -> Ids:
    with world.ctx.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=world.network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=world.network_id)}
    return Ids(sites, items)


@pytest.fixture
def blanket(world: World, ids: Ids) -> Agreement:
    """The café agrees 20 kg of the house blend at 12.00 with the roaster for December."""
    fields = AgreementFields(
        world.roaster.member_id,
        ids.items["BLEND"],
        1200,
        Decimal("20"),
        date(2026, 12, 1),
        date(2026, 12, 31),
    )
    return agreements.create_agreement(world.ctx, world.cafe, fields)


def call_off(world: World, ids: Ids, blanket: Agreement, quantity: str) -> int:
    view = cafe_order(world, ids, blend(ids, quantity), agreement_id=blanket.id)
    return view.order.id


def remaining(world: World, blanket: Agreement) -> tuple[Decimal, AgreementStatus]:
    current = agreements.get_agreement(world.ctx, world.roaster, blanket.id)
    return current.remaining_quantity, current.status


def test_buyer_creates_a_numbered_agreement_both_parties_see(
    world: World, blanket: Agreement
) -> None:
    assert (blanket.number, blanket.status, blanket.total_quantity) == (
        "BA-000001",
        AgreementStatus.ACTIVE,
        Decimal("20.000"),
    )
    assert agreements.get_agreement(world.ctx, world.roaster, blanket.id) == blanket
    assert agreements.list_agreements(world.ctx, world.roaster, ALL, PartyRole.SELLER).items == (
        blanket,
    )
    assert agreements.list_agreements(world.ctx, world.roaster, ALL, PartyRole.BUYER).total == 0
    with pytest.raises(NotFound):
        agreements.get_agreement(world.ctx, world.beans, blanket.id)
    assert agreements.list_agreements(world.ctx, world.beans, ALL).total == 0


def test_invalid_agreement_is_refused(world: World, ids: Ids, store: InMemoryStore) -> None:
    fields = AgreementFields(
        world.cafe.member_id, 999, -5, Decimal("0"), date(2026, 12, 2), date(2026, 12, 1)
    )

    with pytest.raises(ValidationFailed) as refused:
        agreements.create_agreement(world.ctx, world.cafe, fields)

    where = "agreement"
    assert refused.value.violations == [
        Violation(where, "the seller must be another member", "seller_member_id"),
        Violation(where, "item 999 does not exist", "item_id"),
        Violation(where, "must be greater than 0", "total_quantity"),
        Violation(where, "must not be negative", "unit_price_minor"),
        Violation(where, "must not be before valid_from", "valid_to"),
    ]
    assert store.agreements.rows == {}


def test_submitting_a_call_off_reserves_its_quantity_until_exhausted(
    world: World, ids: Ids, blanket: Agreement
) -> None:
    first = call_off(world, ids, blanket, "12.5")
    second = call_off(world, ids, blanket, "7.5")
    assert remaining(world, blanket) == (Decimal("20.000"), AgreementStatus.ACTIVE)

    po.submit_order(world.ctx, world.cafe, first)
    assert remaining(world, blanket) == (Decimal("7.500"), AgreementStatus.ACTIVE)
    po.submit_order(world.ctx, world.cafe, second)
    assert remaining(world, blanket) == (Decimal("0.000"), AgreementStatus.EXHAUSTED)


def test_a_call_off_beyond_what_remains_is_refused_and_writes_nothing(
    world: World, ids: Ids, blanket: Agreement
) -> None:
    po.submit_order(world.ctx, world.cafe, call_off(world, ids, blanket, "15"))
    over = call_off(world, ids, blanket, "5.001")

    with pytest.raises(AgreementExhausted) as refused:
        po.submit_order(world.ctx, world.cafe, over)

    assert (refused.value.code, refused.value.detail) == (
        "agreement_exhausted",
        "agreement BA-000001 has 5.000 left, the call-off needs 5.001",
    )
    assert po.get_order(world.ctx, world.cafe, over).order.status == OrderStatus.DRAFT
    assert remaining(world, blanket) == (Decimal("5.000"), AgreementStatus.ACTIVE)


def test_cancelling_a_call_off_releases_its_quantity(
    world: World, ids: Ids, blanket: Agreement
) -> None:
    order = call_off(world, ids, blanket, "20")
    po.submit_order(world.ctx, world.cafe, order)
    assert remaining(world, blanket) == (Decimal("0.000"), AgreementStatus.EXHAUSTED)

    po.cancel_order(world.ctx, world.cafe, order)

    assert remaining(world, blanket) == (Decimal("20.000"), AgreementStatus.ACTIVE)


def test_accepted_changes_and_a_short_close_move_the_reservation(
    world: World, ids: Ids, blanket: Agreement
) -> None:
    order = call_off(world, ids, blanket, "10")
    po.submit_order(world.ctx, world.cafe, order)
    po.acknowledge_order(world.ctx, world.roaster, order, po.AcknowledgeOrder())
    request = po.RequestChange(ChangeKind.CHANGE, (LineChange(1, Decimal("14")),))
    change = po.request_change(world.ctx, world.cafe, order, request).change

    po.accept_change(world.ctx, world.roaster, order, change.id)
    assert remaining(world, blanket) == (Decimal("6.000"), AgreementStatus.ACTIVE)
    po.close_order(world.ctx, world.cafe, order)
    assert remaining(world, blanket) == (Decimal("20.000"), AgreementStatus.ACTIVE)


def test_a_call_off_must_follow_the_agreements_item_price_and_period(
    world: World, ids: Ids, blanket: Agreement
) -> None:
    wrong = po.OrderLineInput(ids.items["GREEN"], Decimal("1"), 1100, date(2027, 1, 4))

    with pytest.raises(ValidationFailed) as refused:
        cafe_order(world, ids, wrong, agreement_id=blanket.id)
    with pytest.raises(ValidationFailed) as foreign:
        po.create_order(
            world.ctx,
            world.beans,
            po.CreatePurchaseOrder(
                world.roaster.member_id,
                ids.sites["PORT"],
                (blend(ids, "1"),),
                agreement_id=blanket.id,
            ),
        )

    assert refused.value.violations == [
        Violation("lines[0]", f"the agreement is for item {ids.items['BLEND']}", "item_id"),
        Violation("lines[0]", "the agreement's price is 1200", "unit_price_minor"),
        Violation("lines[0]", "outside the agreement's 2026-12-01..2026-12-31", "requested_date"),
    ]
    assert foreign.value.violations == [
        Violation("purchase_order", f"agreement {blanket.id} does not exist", "agreement_id")
    ]


# ---------------------------------------------------------------- trade terms


def test_terms_default_until_either_party_sets_them(world: World) -> None:
    cafe, roaster = world.cafe.member_id, world.roaster.member_id

    defaults = agreements.get_trade_terms(world.ctx, world.roaster, cafe, roaster)
    stored = agreements.set_trade_terms(
        world.ctx, world.cafe, TermsFields(cafe, roaster, 14, 1.0, 0.5, False, True)
    )
    replaced = agreements.set_trade_terms(world.ctx, world.roaster, TermsFields(cafe, roaster, 21))

    assert defaults == TradeTerms(0, world.network_id, cafe, roaster)
    assert stored == TradeTerms(
        stored.id, world.network_id, cafe, roaster, 14, 1.0, 0.5, False, True
    )
    assert replaced.id == stored.id
    assert agreements.get_trade_terms(world.ctx, world.cafe, cafe, roaster) == replaced


def test_a_third_member_neither_reads_nor_sets_the_terms_of_a_pair(world: World) -> None:
    cafe, roaster = world.cafe.member_id, world.roaster.member_id

    with pytest.raises(Forbidden):
        agreements.get_trade_terms(world.ctx, world.beans, cafe, roaster)
    with pytest.raises(Forbidden):
        agreements.set_trade_terms(world.ctx, world.beans, TermsFields(cafe, roaster))


def test_invalid_terms_are_refused(world: World, store: InMemoryStore) -> None:
    cafe = world.cafe.member_id
    fields = TermsFields(cafe, cafe, -1, 101.0)

    with pytest.raises(ValidationFailed) as refused:
        agreements.set_trade_terms(world.ctx, world.cafe, fields)

    where = "trade_terms"
    assert refused.value.violations == [
        Violation(where, "buyer and seller must differ", "seller_member_id"),
        Violation(where, "must lie in [0, 365]", "payment_terms_days"),
        Violation(where, "must lie in [0, 100]", "quantity_tolerance_pct"),
    ]
    assert store.trade_terms.rows == {}
