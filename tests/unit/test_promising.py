"""Order promising by cumulative ATP with look-ahead: hand-checked cases and a brute force."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.promising import (
    DatedQuantity,
    Promise,
    PromiseRequest,
    Source,
    SupplyPlan,
    atp_profile,
    promise,
)

TODAY = date(2026, 3, 1)
ON_HAND = Source.ON_HAND
RECEIPT = Source.SCHEDULED_RECEIPT


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


def q(value: str | int) -> Decimal:
    return Decimal(value)


def at(n: int, quantity: str | int) -> DatedQuantity:
    return DatedQuantity(day(n), q(quantity))


def promised(
    plan: SupplyPlan, quantity: str | int, requested: int
) -> list[tuple[int, str, Source]]:
    (line,) = promise(plan, [PromiseRequest(1, q(quantity), day(requested))]).lines
    return [((p.promised_date - TODAY).days, str(p.quantity), p.source) for p in line.promises]


# ---------------------------------------------------------------- hand-checked cases


def test_line_within_on_hand_is_promised_on_its_date_from_stock() -> None:
    plan = SupplyPlan(TODAY, q(10))

    assert promised(plan, 4, 3) == [(3, "4", ON_HAND)]


def test_remainder_after_on_hand_waits_for_the_next_receipt() -> None:
    plan = SupplyPlan(TODAY, q(10), receipts=(at(5, 20),))

    assert promised(plan, 12, 2) == [(2, "10", ON_HAND), (5, "2", RECEIPT)]


def test_on_hand_needed_by_an_earlier_commitment_is_not_promised_again() -> None:
    # on hand 10, receipts 20 on day 5, committed 15 on day 3: N = 10, -5, 15.
    # The commitment on day 3 needs all 10 on hand (and is itself 5 short until day 5),
    # so a new line of 12 on day 2 gets nothing before day 5, then all 12.
    plan = SupplyPlan(TODAY, q(10), receipts=(at(5, 20),), committed=(at(3, 15),))

    assert promised(plan, 12, 2) == [(5, "12", RECEIPT)]
    assert [(b.day, b.supply, b.committed, b.atp, b.cumulative_atp) for b in atp_profile(plan)] == [
        (day(0), q(10), q(0), q(0), q(0)),
        (day(3), q(0), q(15), q(0), q(0)),
        (day(5), q(20), q(0), q(15), q(15)),
    ]


def test_look_ahead_protects_a_later_commitment() -> None:
    # on hand 10, commitment of 6 on day 4 and no receipts: only 4 are free today.
    plan = SupplyPlan(TODAY, q(10), receipts=(at(8, 5),), committed=(at(4, 6),))

    assert promised(plan, 7, 1) == [(1, "4", ON_HAND), (8, "3", RECEIPT)]


def test_line_is_split_over_several_receipts_and_the_rest_is_short() -> None:
    plan = SupplyPlan(TODAY, q("1.5"), receipts=(at(2, "2.25"), at(6, 3)))

    result = promise(plan, [PromiseRequest(9, q(10), day(1))])

    (line,) = result.lines
    assert line.promises == (
        Promise(q("1.5"), day(1), ON_HAND),
        Promise(q("2.25"), day(2), RECEIPT),
        Promise(q(3), day(6), RECEIPT),
    )
    assert (line.key, line.promised, line.short) == (9, q("6.75"), q("3.25"))


def test_receipt_before_the_requested_date_is_promised_on_the_requested_date() -> None:
    plan = SupplyPlan(TODAY, q(2), receipts=(at(1, 5),))

    assert promised(plan, 6, 4) == [(4, "2", ON_HAND), (4, "4", RECEIPT)]


def test_lines_are_promised_in_order_of_requested_date_not_of_arrival() -> None:
    plan = SupplyPlan(TODAY, q(5), receipts=(at(6, 5),))
    late = PromiseRequest(1, q(5), day(7))
    early = PromiseRequest(2, q(5), day(2))

    result = promise(plan, [late, early])

    assert [line.key for line in result.lines] == [1, 2]
    assert result.lines[1].promises == (Promise(q(5), day(2), ON_HAND),)
    assert result.lines[0].promises == (Promise(q(5), day(7), RECEIPT),)
    assert result.remaining == SupplyPlan(TODAY, q(0), receipts=(at(6, 5),), committed=(at(7, 5),))


def test_overdue_receipts_and_past_requests_count_from_today() -> None:
    plan = SupplyPlan(TODAY, q(0), receipts=(at(-3, 4),))

    assert promised(plan, 3, -10) == [(0, "3", RECEIPT)]


def test_supply_after_the_horizon_is_ignored() -> None:
    plan = SupplyPlan(TODAY, q(1), receipts=(at(3, 5), at(30, 50)), horizon=day(14))

    assert promised(plan, 20, 0) == [(0, "1", ON_HAND), (3, "5", RECEIPT)]
    assert promised(plan, 20, 15) == []


def test_over_commitment_blocks_promises_until_it_is_covered() -> None:
    # N = 5, -3, 7: the 3 missing on day 2 are covered only by the receipt on day 9.
    plan = SupplyPlan(TODAY, q(5), receipts=(at(9, 10),), committed=(at(2, 8),))

    assert promised(plan, 10, 0) == [(9, "7", RECEIPT)]


def test_nothing_available_leaves_the_whole_line_short() -> None:
    (line,) = promise(SupplyPlan(TODAY, q(0)), [PromiseRequest(1, q(3), TODAY)]).lines

    assert (line.promises, line.short) == ((), q(3))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: SupplyPlan(TODAY, q(-1)), "on_hand must not be negative"),
        (lambda: SupplyPlan(TODAY, q(1), horizon=day(-1)), "horizon must not end before today"),
        (lambda: DatedQuantity(TODAY, q(-1)), "quantity must not be negative"),
        (lambda: PromiseRequest(1, q(0), TODAY), "quantity must be positive"),
    ],
)
def test_invalid_inputs_are_refused(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


# ---------------------------------------------------------------- brute force reference

HORIZON = 12


def _feasible(supply: list[int], demand: list[int]) -> bool:
    """Walk the days: stock carried forward never goes negative."""
    stock = 0
    for added, taken in zip(supply, demand, strict=True):
        stock += added - taken
        if stock < 0:
            return False
    return True


def brute_force(
    on_hand: int,
    receipts: list[tuple[int, int]],
    committed: list[tuple[int, int]],
    requests: list[tuple[int, int]],
) -> list[Counter[tuple[int, Source]]]:
    """Unit by unit, day by day: each unit on the earliest day it fits; on its requested day
    from stock (taken on day 0) while stock is free, else from receipts."""
    supply = [0] * HORIZON
    supply[0] = on_hand
    for when, quantity in receipts:
        supply[max(when, 0)] += quantity
    demand = [0] * HORIZON
    for when, quantity in committed:
        demand[max(when, 0)] += quantity
    stock_left = on_hand
    found: list[Counter[tuple[int, Source]]] = [Counter() for _ in requests]
    order = sorted(range(len(requests)), key=lambda i: (requests[i][1], i))
    for index in order:
        quantity, requested = requests[index]
        first = max(requested, 0)
        for _ in range(quantity):
            for when in range(first, HORIZON):
                if when == first and stock_left > 0:
                    demand[0] += 1
                    if _feasible(supply, demand):
                        stock_left -= 1
                        found[index][(when, ON_HAND)] += 1
                        break
                    demand[0] -= 1
                demand[when] += 1
                if _feasible(supply, demand):
                    found[index][(when, RECEIPT)] += 1
                    break
                demand[when] -= 1
    return found


def _feasible_commitments(
    on_hand: int, receipts: list[tuple[int, int]], wanted: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The commitments of ``wanted`` that keep the plan feasible, taken in order."""
    supply = [0] * HORIZON
    supply[0] = on_hand
    for when, quantity in receipts:
        supply[max(when, 0)] += quantity
    demand = [0] * HORIZON
    kept = []
    for when, quantity in wanted:
        demand[max(when, 0)] += quantity
        if _feasible(supply, demand):
            kept.append((when, quantity))
        else:
            demand[max(when, 0)] -= quantity
    return kept


dated = st.tuples(st.integers(-2, HORIZON - 1), st.integers(1, 8))


@settings(max_examples=150, deadline=None)
@given(
    on_hand=st.integers(0, 12),
    receipts=st.lists(dated, max_size=4),
    wanted=st.lists(dated, max_size=3),
    requests=st.lists(
        st.tuples(st.integers(1, 12), st.integers(-2, HORIZON - 1)), min_size=1, max_size=4
    ),
)
def test_engine_matches_a_unit_by_unit_brute_force(
    on_hand: int,
    receipts: list[tuple[int, int]],
    wanted: list[tuple[int, int]],
    requests: list[tuple[int, int]],
) -> None:
    committed = _feasible_commitments(on_hand, receipts, wanted)
    plan = SupplyPlan(
        TODAY,
        q(on_hand),
        receipts=tuple(at(w, n) for w, n in receipts),
        committed=tuple(at(w, n) for w, n in committed),
        horizon=day(HORIZON - 1),
    )

    result = promise(plan, [PromiseRequest(i, q(n), day(r)) for i, (n, r) in enumerate(requests)])

    expected = brute_force(on_hand, receipts, committed, requests)
    for line, reference, (quantity, requested) in zip(
        result.lines, expected, requests, strict=True
    ):
        got = Counter(
            {((p.promised_date - TODAY).days, p.source): int(p.quantity) for p in line.promises}
        )
        assert got == reference
        assert line.promised + line.short == quantity
        assert all(p.promised_date >= max(day(requested), TODAY) for p in line.promises)
        first = max(day(requested), TODAY)
        assert all(p.source is RECEIPT or p.promised_date == first for p in line.promises)
    total_promised = sum(int(line.promised) for line in result.lines)
    assert total_promised <= on_hand + sum(n for _, n in receipts) - sum(n for _, n in committed)
    assert (
        sum(int(p.quantity) for line in result.lines for p in line.promises if p.source is ON_HAND)
        <= on_hand
    )
    assert atp_profile(result.remaining)[-1].cumulative_atp >= 0
