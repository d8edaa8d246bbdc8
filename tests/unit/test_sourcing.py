"""Supplier offers: price breaks, MOQ and multiple rounding, ranking, validation."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.sourcing import (
    PriceBreak,
    SupplierOffer,
    best_offer,
    offer_violations,
    round_to_offer,
)

BREAKS = (PriceBreak(0.0, 400), PriceBreak(200.0, 380), PriceBreak(500.0, 350))


def _offer(offer_id: int = 1, **changes: object) -> SupplierOffer:
    base = {"lead_time_days": 7.0, "min_order_quantity": 100.0, "order_multiple": 25.0,
            "price_breaks": BREAKS}  # fmt: skip
    base.update(changes)
    offer = SupplierOffer(offer_id, 1, 2, 3, 9, **base)  # type: ignore[arg-type]
    return offer


def test_price_of_the_highest_break_reached() -> None:
    offer = _offer()
    assert [offer.unit_price_minor(q) for q in (1, 199.999, 200, 499, 500, 10_000)] == [
        400, 400, 380, 380, 350, 350,
    ]  # fmt: skip
    assert _offer(price_breaks=()).unit_price_minor(50) is None


def test_rounding_raises_to_moq_then_to_the_multiple() -> None:
    offer = _offer()
    # 32 -> MOQ 100; 101 -> 125 (5 x 25); 125 stays; 356 -> 375
    assert [round_to_offer(q, offer) for q in (32, 101, 125, 356)] == [100, 125, 125, 375]


@given(st.floats(0.001, 10_000), st.floats(0, 500), st.sampled_from([None, 0.5, 6.0, 25.0]))
def test_rounded_quantity_is_the_smallest_lot_that_fits(
    q: float, moq: float, multiple: float | None
) -> None:
    lot = round_to_offer(q, _offer(min_order_quantity=moq, order_multiple=multiple))
    assert lot >= max(q, moq) - 1e-6
    if multiple:
        count = lot / multiple
        assert math.isclose(count, round(count), abs_tol=1e-6)
        assert lot - multiple < max(q, moq) + 1e-6  # naive: one multiple less would not fit


def test_best_offer_prefers_priority_then_price_then_validity() -> None:
    cheap = _offer(1, priority=2, price_breaks=(PriceBreak(0, 300),))
    preferred = _offer(2, priority=1, price_breaks=(PriceBreak(0, 500),))
    expired = _offer(3, priority=1, price_breaks=(PriceBreak(0, 100),), valid_to=date(2026, 1, 31))
    day = date(2026, 11, 23)
    assert best_offer([cheap, preferred, expired], 9, day) == preferred
    assert best_offer([cheap, expired], 9, day) == cheap
    assert best_offer([cheap], 8, day) is None


def test_offer_violations_name_each_field() -> None:
    bad = _offer(
        lead_time_days=-1.0, order_multiple=0.0, priority=0,
        valid_from=date(2026, 2, 1), valid_to=date(2026, 1, 1),
        price_breaks=(PriceBreak(0, -5), PriceBreak(0, 10)),
    )  # fmt: skip
    bad = replace(bad, supplier_member_id=bad.buyer_member_id)
    assert [str(v) for v in offer_violations(bad)] == [
        "supplier_offer.supplier: the supplier must be another member",
        "supplier_offer.lead_time_days: must be a finite number >= 0",
        "supplier_offer.order_multiple: must be a positive number",
        "supplier_offer.priority: must be at least 1",
        "supplier_offer.valid_to: must not lie before valid_from",
        "supplier_offer.price_breaks[0].unit_price_minor: must not be negative",
        "supplier_offer.price_breaks[1].min_quantity: two breaks start at the same quantity",
    ]
