"""Calendars, forecast consumption, transfers, safety stock, exceptions and bad input."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.planning.mrp import (
    BOMLine,
    ConsumptionWindow,
    Demand,
    DemandKind,
    ExceptionCode,
    ItemSite,
    ItemSiteKey,
    LotSizing,
    MRPInputError,
    MRPProblem,
    Peg,
    PlanningCalendar,
    ScheduledReceipt,
    SupplyKind,
    TransferLane,
    plan,
)

X = ItemSiteKey("X", "P")
MONDAY = date(2026, 1, 5)


def _weekly(n: int = 6) -> PlanningCalendar:
    return PlanningCalendar.weekly(MONDAY, n)


def _demand(id_: str, bucket: int, qty: float, kind: DemandKind = DemandKind.FORECAST) -> Demand:
    return Demand(id_, kind, X, bucket, qty)


def test_daily_calendar_receives_before_the_weekend_and_offsets_working_days() -> None:
    # Mon 5 .. Mon 12 January: Saturday (bucket 5) cannot receive -> Friday (4); 3 working days
    # before Friday's start is Tuesday (bucket 1): W(4) - W(1) = 4 - 1 = 3
    calendar = PlanningCalendar.daily(MONDAY, 8)
    assert calendar.working_days == (1, 1, 1, 1, 1, 0, 0, 1)
    problem = MRPProblem(
        calendar, (ItemSite("X", "P", lead_time=3),), demands=(_demand("F", 5, 10),)
    )
    (order,) = plan(problem).planned_orders
    assert (order.release_bucket, order.due_bucket, order.quantity) == (1, 4, 10.0)


def test_weekly_holiday_shortens_a_bucket_and_lengthens_the_offset() -> None:
    # week 1 has 4 working days (holiday Wed 14 Jan): W = (0, 5, 9, 14); 7 days before week 3
    # (W = 14) is W <= 7 -> week 1; before week 2 (W = 9) is W <= 2 -> week 0
    calendar = PlanningCalendar.weekly(MONDAY, 4, non_working=[date(2026, 1, 14)])
    offset = calendar.offset(7)
    assert offset.release_bucket.tolist() == [-2, -1, 0, 1]
    assert offset.fence == 2
    assert calendar.label(1) == "2026-W03"
    assert calendar.bucket_of(date(2026, 1, 21)) == 2


def test_release_never_falls_after_the_due_bucket() -> None:
    # regression (found by Hypothesis): bucket 0 is a holiday, so nothing can be released for
    # it even with a zero lead time; it used to be released in bucket 1, after its due bucket
    offset = PlanningCalendar.daily(MONDAY, 3, non_working=[MONDAY]).offset(0)
    assert offset.release_bucket.tolist() == [-1, 1, 2]
    assert offset.fence == 1


def test_customer_orders_consume_forecast_in_their_bucket_only_by_default() -> None:
    # week 2: forecast 50 fully consumed by the order of 70 -> gross 70; week 1 keeps 30
    demands = (
        _demand("F1", 1, 30),
        _demand("F2", 2, 50),
        _demand("SO", 2, 70, DemandKind.CUSTOMER_ORDER),
    )
    record = plan(MRPProblem(_weekly(), (ItemSite("X", "P"),), demands=demands)).item_sites[0]
    assert record.record.gross_requirements.tolist() == [0, 30, 70, 0, 0, 0]


def test_backward_consumption_window_takes_the_rest_from_the_week_before() -> None:
    # the order's remaining 20 consumes week 1's forecast, which keeps 10
    demands = (
        _demand("F1", 1, 30),
        _demand("F2", 2, 50),
        _demand("SO", 2, 70, DemandKind.CUSTOMER_ORDER),
    )
    problem = MRPProblem(
        _weekly(), (ItemSite("X", "P"),), demands=demands, consumption=ConsumptionWindow(1, 0)
    )
    result = plan(problem)
    assert result.item_sites[0].record.gross_requirements.tolist() == [0, 10, 70, 0, 0, 0]
    pegs = [p for o in result.planned_orders for p in o.pegging]
    assert {(p.demand_id, p.quantity) for p in pegs} == {("F1", 10.0), ("SO", 70.0)}


def test_forward_window_consumes_later_forecast() -> None:
    demands = (_demand("F3", 3, 40), _demand("SO", 2, 25, DemandKind.CUSTOMER_ORDER))
    problem = MRPProblem(
        _weekly(), (ItemSite("X", "P"),), demands=demands, consumption=ConsumptionWindow(0, 1)
    )
    assert plan(problem).item_sites[0].record.gross_requirements.tolist() == [0, 0, 25, 15, 0, 0]


def test_transfer_lane_turns_distribution_releases_into_plant_demand() -> None:
    dc, plant = ItemSiteKey("X", "DC"), ItemSiteKey("X", "PLANT")
    problem = MRPProblem(
        _weekly(),
        (ItemSite("X", "DC", on_hand=10), ItemSite("X", "PLANT", lead_time=5)),
        lanes=(TransferLane("X", "PLANT", "DC", 10),),
        demands=(Demand("SO", DemandKind.CUSTOMER_ORDER, dc, 4, 50),),
    )
    result = plan(problem)
    assert [(p.key, p.low_level_code, p.supply_kind) for p in result.item_sites] == [
        (dc, 0, SupplyKind.TRANSFER),
        (plant, 1, SupplyKind.PURCHASE),
    ]
    transfer, purchase = result.planned_orders
    assert (transfer.kind, transfer.release_bucket, transfer.due_bucket, transfer.quantity) == (
        SupplyKind.TRANSFER,
        2,
        4,
        40.0,
    )
    assert (purchase.release_bucket, purchase.due_bucket, purchase.quantity) == (1, 2, 40.0)
    assert result.end_pegging(purchase.id) == (Peg(40.0, "SO"),)


def test_scrap_and_yield_inflate_the_component_requirement() -> None:
    # A needs 45 good units; yield 0.9 -> release 50; C: 50 x 2 per x (1 + 10 % scrap) = 110
    a, c = ItemSiteKey("A", "P"), ItemSiteKey("C", "P")
    problem = MRPProblem(
        _weekly(),
        (ItemSite("A", "P", lead_time=5, yield_rate=0.9), ItemSite("C", "P")),
        bom=(BOMLine(a, c, 2.0, scrap_rate=0.1),),
        demands=(Demand("SO", DemandKind.CUSTOMER_ORDER, a, 3, 45),),
    )
    result = plan(problem)
    assert result.item_site(a).record.planned_releases.tolist() == [0, 0, 50, 0, 0, 0]
    assert result.item_site(c).record.gross_requirements[2] == pytest.approx(110.0)


def test_safety_stock_inside_the_lead_time_is_reported_not_planned() -> None:
    # lead time 10 days: nothing ordered now arrives before week 2 (the fence). On hand 25,
    # demand 10 in week 0 -> projected 15 < 20 in weeks 0-1: one message; week 2 orders 5.
    site = ItemSite("X", "P", on_hand=25, safety_stock=20, lead_time=10)
    result = plan(MRPProblem(_weekly(), (site,), demands=(_demand("F", 0, 10),)))
    (order,) = result.planned_orders
    assert (order.release_bucket, order.due_bucket, order.quantity) == (0, 2, 5.0)
    assert result.item_sites[0].record.projected_available.tolist() == [15, 15, 20, 20, 20, 20]
    (message,) = result.exceptions
    assert (message.code, message.bucket) == (ExceptionCode.BELOW_SAFETY_STOCK, 0)
    assert message.message == (
        "Projected available of X@P is 15 in 2026-W02, below the safety stock of 20; with a "
        "lead time of 10 working days a new order can arrive in 2026-W04 at the earliest."
    )


def test_base_stock_level_gives_a_time_phased_floor() -> None:
    # S = 50, lead time 5 days = 1 bucket: floor(t) = max(0, 50 - gross(t-1) - gross(t))
    # gross (10, 20, 30, 0, 0, 0) -> floor (40, 20, 0, 20, 50, 50); the fence is week 1
    site = ItemSite("X", "P", on_hand=10, base_stock_level=50, lead_time=5)
    demands = tuple(_demand(f"F{t}", t, q) for t, q in enumerate([10, 20, 30]))
    result = plan(MRPProblem(_weekly(), (site,), demands=demands))
    record = result.item_sites[0].record
    assert record.safety_stock.tolist() == [40, 20, 0, 20, 50, 50]
    # floor from the fence on (0, 20, 0, 20, 50, 50); position 10 - cumulative gross =
    # (0, -20, -50, -50, -50, -50); cumulative need max(floor - position) = (0, 40, 50, 70,
    # 100, 100): receipts are its increments
    assert record.planned_receipts.tolist() == [0, 40, 10, 20, 30, 0]
    assert record.projected_available.tolist() == [0, 20, 0, 20, 50, 50]


def test_receipt_due_before_it_is_needed_is_deferred() -> None:
    # on hand 100, demand 60 + 60 in weeks 1, 3: PO due week 0 first needed in week 3
    receipt = ScheduledReceipt("PO-7", SupplyKind.PURCHASE, X, 0, 50)
    demands = (_demand("F1", 1, 60), _demand("F3", 3, 60))
    problem = MRPProblem(_weekly(), (ItemSite("X", "P", on_hand=100),), (), (), demands, (receipt,))
    (message,) = plan(problem).exceptions
    assert (message.code, message.bucket, message.supply_id) == (ExceptionCode.DEFER, 3, "PO-7")
    assert message.message.startswith(
        "Defer purchase order PO-7 of 50 for X@P: move it from 2026-W02 to 2026-W05"
    )
    assert "projected available without it: -20" in message.message


def test_receipt_never_needed_is_cancelled() -> None:
    receipt = ScheduledReceipt("MO-3", SupplyKind.PRODUCTION, X, 2, 30)
    problem = MRPProblem(
        _weekly(), (ItemSite("X", "P", on_hand=100),), (), (), (_demand("F", 1, 50),), (receipt,)
    )
    (message,) = plan(problem).exceptions
    assert message.code is ExceptionCode.CANCEL
    assert message.message == (
        "Cancel production order MO-3 of 30 for X@P due in 2026-W04: the requirements through "
        "2026-W07 are covered without it."
    )


def _cycle_problem() -> MRPProblem:
    a, b, c = (ItemSiteKey(i, "P") for i in "ABC")
    sites = tuple(ItemSite(i, "P") for i in "ABC")
    bom = (BOMLine(a, b, 1), BOMLine(b, c, 1), BOMLine(c, b, 1))
    return MRPProblem(_weekly(), sites, bom)


def test_cycle_in_the_bom_is_named() -> None:
    with pytest.raises(
        MRPInputError, match=r"cycle in the BOM/transfer network: B@P -> C@P -> B@P"
    ):
        plan(_cycle_problem())


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: plan(
                MRPProblem(
                    _weekly(),
                    (ItemSite("X", "P"),),
                    bom=(BOMLine(X, ItemSiteKey("Y", "P"), 1),),
                )
            ),
            r"BOM line X@P -> Y@P: unknown component item-site Y@P",
        ),
        (
            lambda: MRPProblem(
                _weekly(),
                (ItemSite("X", "P"),),
                demands=(Demand("SO-9", DemandKind.FORECAST, ItemSiteKey("Z", "P"), 0, 1),),
            ),
            r"demand SO-9: unknown item-site Z@P",
        ),
        (lambda: ItemSite("X", "P", on_hand=-1), r"item-site X@P: on_hand must be >= 0, got -1"),
        (lambda: _demand("SO-2", 0, -5), r"demand SO-2: quantity must be >= 0, got -5"),
        (
            lambda: ScheduledReceipt("PO-1", SupplyKind.PURCHASE, X, 0, -1),
            r"scheduled receipt PO-1: quantity must be >= 0",
        ),
        (
            lambda: BOMLine(X, ItemSiteKey("Y", "P"), -2),
            r"BOM line X@P -> Y@P: quantity_per must be > 0",
        ),
        (
            lambda: plan(MRPProblem(_weekly(2), (ItemSite("X", "P", lead_time=11),))),
            r"item-site X@P: lead time of 11 working days is longer than the horizon \(10",
        ),
        (
            lambda: MRPProblem(_weekly(), (ItemSite("X", "P"),), demands=(_demand("F", 6, 1),)),
            r"demand F: bucket 6 is outside 0..5",
        ),
        (
            lambda: MRPProblem(_weekly(), (ItemSite("X", "P"), ItemSite("X", "P"))),
            r"item-site X@P: listed twice",
        ),
        (lambda: LotSizing(periods=0), r"lot sizing lot_for_lot: periods must be >= 1"),
        (lambda: ItemSite("X", "P", yield_rate=0), r"yield_rate must be in \(0, 1\]"),
    ],
)
def test_bad_input_names_the_offender(build: object, message: str) -> None:
    with pytest.raises(MRPInputError, match=message):
        build()  # type: ignore[operator]
