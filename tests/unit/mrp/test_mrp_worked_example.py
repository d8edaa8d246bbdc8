"""A three-level MRP worked by hand, record by record (the layout of Vollmann et al. 2005, ch. 6).

Weekly buckets from Monday 2026-01-05 (ISO week W02), six weeks of five working days.

    A (end item)   on hand 20, safety stock 5, lead time 5 days (1 week), lot-for-lot
      ├─ 2 x B     on hand 40, lead time 10 days (2 weeks), fixed order quantity 100
      │    └─ 1 x C
      └─ 1 x C     on hand 30, lead time 5 days, lot-for-lot, PO-1 of 50 due in week 1

Low-level codes: A 0, B 1, C 2 (C is also a level-1 component of A, but nets after B).

A, customer orders SO-1..SO-5; floor = safety stock 5 from the lead-time fence (week 1) on:

    week                 0    1    2    3    4    5
    gross                0   10   15   20   10   25
    projected w/o plan  20   10   -5  -25  -35  -60
    net requirements     0    0   10   20   10   25
    planned receipts     0    0   10   20   10   25
    projected avail.    20   10    5    5    5    5
    planned releases     0   10   20   10   25    0

B, gross = 2 x A releases; FOQ 100 ordered when projected goes negative:

    gross                0   20   40   20   50    0
    projected w/o plan  40   20  -20
    planned receipts     0    0  100    0    0    0
    projected avail.    40   20   80   60   10   10
    planned releases   100    0    0    0    0    0

C, gross = A releases + B releases = (0,10,20,10,25,0) + (100,0,0,0,0,0):

    gross              100   10   20   10   25    0
    scheduled receipts   0   50    0    0    0    0
    projected w/o plan -70  -30  -50  -60  -85  -85
    planned receipts    70    0    0    0   15    0
    projected avail.     0   40   20   10    0    0
    planned releases     -    0    0   15    0    0   (+ 70 past due: week 0 minus 5 days)

Exceptions: C's first planned order is released past due (5 working days before W02); PO-1
(due week 1) is needed in week 0, where projected available without it is 30 - 100 = -70:
expedite from W03 to W02.

Pegging, first-in first-out (supplies: on hand, then by due week):
A: on hand 20 -> SO-1 10, SO-2 10; A#1 10 -> SO-2 5, SO-3 5; A#2 20 -> SO-3 15, SO-4 5;
A#3 10 -> SO-4 5, SO-5 5; A#4 25 -> SO-5 20 and 5 of safety stock.
B: on hand 40 -> A#1 20, A#2 20; B#1 100 -> A#2 20, A#3 20, A#4 50, 10 unpegged.
End pegging of B#1 (component units, in proportion to each parent order's pegs):
A#2 20 -> SO-3 15, SO-4 5; A#3 20 -> SO-4 10, SO-5 10; A#4 50 -> SO-5 40, 10 unpegged; plus 10:
SO-3 15, SO-4 15, SO-5 50, unpegged 20. C: on hand 30 -> B#1; C#1 70 -> B#1; PO-1 50 -> A#1 10,
A#2 20, A#3 10, A#4 10; C#2 15 -> A#4. End pegging of C#1 = 0.7 x B#1's: SO-3 10.5, SO-4 10.5,
SO-5 35, unpegged 14; of C#2 = 15/25 x A#4's: SO-5 12, unpegged 3.
"""

from __future__ import annotations

from datetime import date

import pytest

from tandem.planning.mrp import (
    BOMLine,
    Demand,
    DemandKind,
    ExceptionCode,
    ItemSite,
    ItemSiteKey,
    LotSizing,
    LotSizingRule,
    MRPPlan,
    MRPProblem,
    Peg,
    PlanningCalendar,
    ScheduledReceipt,
    SupplyKind,
    plan,
)

A, B, C = (ItemSiteKey(i, "P") for i in "ABC")


def _problem() -> MRPProblem:
    calendar = PlanningCalendar.weekly(date(2026, 1, 5), 6)
    sites = (
        ItemSite("A", "P", on_hand=20, safety_stock=5, lead_time=5),
        ItemSite(
            "B",
            "P",
            on_hand=40,
            lead_time=10,
            lot_sizing=LotSizing(LotSizingRule.FIXED_ORDER_QUANTITY, quantity=100),
        ),
        ItemSite("C", "P", on_hand=30, lead_time=5),
    )
    bom = (BOMLine(A, B, 2.0), BOMLine(A, C, 1.0), BOMLine(B, C, 1.0))
    orders = (10, 15, 20, 10, 25)
    demands = tuple(
        Demand(f"SO-{n}", DemandKind.CUSTOMER_ORDER, A, n, q) for n, q in enumerate(orders, 1)
    )
    receipts = (ScheduledReceipt("PO-1", SupplyKind.PURCHASE, C, 1, 50.0),)
    return MRPProblem(calendar, sites, bom, (), demands, receipts)


@pytest.fixture(scope="module")
def worked() -> MRPPlan:
    return plan(_problem())


def _row(values: object) -> list[float]:
    return [float(v) for v in values]  # type: ignore[attr-defined]


def test_netting_order_follows_low_level_codes(worked: MRPPlan) -> None:
    assert [(p.key.item, p.low_level_code) for p in worked.item_sites] == [
        ("A", 0),
        ("B", 1),
        ("C", 2),
    ]
    assert [p.supply_kind for p in worked.item_sites] == [
        SupplyKind.PRODUCTION,
        SupplyKind.PRODUCTION,
        SupplyKind.PURCHASE,
    ]


def test_end_item_record_matches_the_hand_calculation(worked: MRPPlan) -> None:
    record = worked.item_site(A).record
    assert _row(record.gross_requirements) == [0, 10, 15, 20, 10, 25]
    assert _row(record.net_requirements) == [0, 0, 10, 20, 10, 25]
    assert _row(record.planned_receipts) == [0, 0, 10, 20, 10, 25]
    assert _row(record.projected_available) == [20, 10, 5, 5, 5, 5]
    assert _row(record.planned_releases) == [0, 10, 20, 10, 25, 0]
    assert _row(record.safety_stock) == [5] * 6


def test_fixed_order_quantity_component_record(worked: MRPPlan) -> None:
    record = worked.item_site(B).record
    assert _row(record.gross_requirements) == [0, 20, 40, 20, 50, 0]
    assert _row(record.planned_receipts) == [0, 0, 100, 0, 0, 0]
    assert _row(record.projected_available) == [40, 20, 80, 60, 10, 10]
    assert _row(record.planned_releases) == [100, 0, 0, 0, 0, 0]


def test_common_component_record_with_a_past_due_release(worked: MRPPlan) -> None:
    record = worked.item_site(C).record
    assert _row(record.gross_requirements) == [100, 10, 20, 10, 25, 0]
    assert _row(record.scheduled_receipts) == [0, 50, 0, 0, 0, 0]
    assert _row(record.planned_receipts) == [70, 0, 0, 0, 15, 0]
    assert _row(record.projected_available) == [0, 40, 20, 10, 0, 0]
    assert _row(record.planned_releases) == [0, 0, 0, 15, 0, 0]
    assert record.past_due_release == 70.0
    orders = worked.item_site(C).planned_orders
    assert [(o.id, o.release_bucket, o.due_bucket, o.quantity) for o in orders] == [
        ("C@P#1", -1, 0, 70.0),
        ("C@P#2", 3, 4, 15.0),
    ]


def test_exception_messages_explain_the_numbers(worked: MRPPlan) -> None:
    assert [(e.code, e.item_site, e.bucket, e.supply_id) for e in worked.exceptions] == [
        (ExceptionCode.RELEASE_PAST_DUE, C, -1, "C@P#1"),
        (ExceptionCode.EXPEDITE, C, 0, "PO-1"),
    ]
    past_due, expedite = (e.message for e in worked.exceptions)
    assert past_due == (
        "Release planned purchase order C@P#1 of 70 for C@P now: due in 2026-W02 with a lead "
        "time of 5 working days, it should have been released 5 working days before 2026-W02."
    )
    assert expedite == (
        "Expedite purchase order PO-1 of 50 for C@P: move it from 2026-W03 to 2026-W02, where it "
        "is first needed (projected available without it: -70 against a safety stock of 0)."
    )


def test_one_level_pegging_is_first_in_first_out(worked: MRPPlan) -> None:
    a = worked.item_site(A)
    assert a.supply_pegging[0].supply_id == "A@P#on-hand"
    assert a.supply_pegging[0].pegging == (Peg(10.0, "SO-1"), Peg(10.0, "SO-2"))
    assert [o.pegging for o in a.planned_orders] == [
        (Peg(5.0, "SO-2"), Peg(5.0, "SO-3")),
        (Peg(15.0, "SO-3"), Peg(5.0, "SO-4")),
        (Peg(5.0, "SO-4"), Peg(5.0, "SO-5")),
        (Peg(20.0, "SO-5"), Peg(5.0)),
    ]
    (b1,) = worked.item_site(B).planned_orders
    assert [(p.quantity, p.parent_order, p.parent_quantity) for p in b1.pegging] == [
        (20.0, "A@P#2", 10.0),
        (20.0, "A@P#3", 10.0),
        (50.0, "A@P#4", 25.0),
        (10.0, None, 0.0),
    ]


def test_full_pegging_reaches_the_customer_orders(worked: MRPPlan) -> None:
    assert worked.end_pegging("B@P#1") == (
        Peg(15.0, "SO-3"),
        Peg(15.0, "SO-4"),
        Peg(50.0, "SO-5"),
        Peg(20.0),
    )
    c1 = worked.end_pegging("C@P#1")
    assert [p.demand_id for p in c1] == ["SO-3", "SO-4", "SO-5", None]
    assert [p.quantity for p in c1] == pytest.approx([10.5, 10.5, 35.0, 14.0])
    assert worked.end_pegging("C@P#2") == (Peg(12.0, "SO-5"), Peg(3.0))
    # PO-1: A#1 10 (SO-2 5, SO-3 5) + A#2 20 (SO-3 15, SO-4 5) + A#3 10 (SO-4 5, SO-5 5)
    # + 10/25 of A#4 (SO-5 8, 2 unpegged)
    po = worked.end_pegging("PO-1")
    assert [p.demand_id for p in po] == ["SO-2", "SO-3", "SO-4", "SO-5", None]
    assert [p.quantity for p in po] == pytest.approx([5.0, 20.0, 10.0, 13.0, 2.0])
