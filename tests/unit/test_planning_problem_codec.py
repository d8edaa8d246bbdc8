"""The stored engine input of a planning run reads back to the very problem that was netted."""

from __future__ import annotations

import json
import zlib
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning import mrp
from tandem.services.planning.problem_codec import decode_problem, encode_problem

# Any non-negative double the engine accepts, subnormals and the largest finite ones included.
AMOUNT = st.floats(min_value=0.0, max_value=1e300, allow_nan=False, allow_infinity=False)
POSITIVE = st.floats(min_value=1e-300, max_value=1e300, allow_nan=False, allow_infinity=False)
NAME = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)


@st.composite
def calendars(draw: st.DrawFn) -> mrp.PlanningCalendar:
    size = draw(st.sampled_from(mrp.BucketSize))
    first = date(2020, 1, 6) + timedelta(days=draw(st.integers(0, 3000)))
    step = 7 if size is mrp.BucketSize.WEEKLY else 1
    working = draw(st.lists(st.integers(0, step), min_size=1, max_size=20))
    starts = tuple(first + timedelta(days=step * i) for i in range(len(working)))
    return mrp.PlanningCalendar(size, starts, tuple(working))


@st.composite
def lot_sizings(draw: st.DrawFn) -> mrp.LotSizing:
    rule = draw(st.sampled_from(mrp.LotSizingRule))
    point = draw(AMOUNT)
    return mrp.LotSizing(
        rule,
        quantity=draw(POSITIVE),
        periods=draw(st.integers(1, 60)),
        ordering_cost=draw(POSITIVE),
        holding_cost=draw(POSITIVE),
        annual_demand=draw(POSITIVE),
        order_point=point,
        order_up_to=point + draw(st.sampled_from([0.0, 0.1, 17.25])),
        minimum_order=draw(AMOUNT),
        maximum_order=draw(st.one_of(st.none(), POSITIVE, st.just(float("inf")))),
        multiple=draw(st.one_of(st.none(), POSITIVE)),
    )


@st.composite
def problems(draw: st.DrawFn) -> mrp.MRPProblem:
    calendar = draw(calendars())
    names = draw(st.lists(st.tuples(NAME, NAME), min_size=1, max_size=6, unique=True))
    keys = [mrp.ItemSiteKey(item, site) for item, site in names]
    sites = tuple(
        mrp.ItemSite(
            key.item, key.site, on_hand=draw(AMOUNT), allocated=draw(AMOUNT),
            safety_stock=draw(AMOUNT), base_stock_level=draw(st.one_of(st.none(), AMOUNT)),
            lead_time=draw(st.integers(0, 400)), lot_sizing=draw(lot_sizings()),
            yield_rate=draw(st.floats(min_value=1e-9, max_value=1.0)),
        )
        for key in keys
    )  # fmt: skip
    pairs = [(a, b) for a in keys for b in keys if a != b]
    bom = tuple(
        mrp.BOMLine(parent, component, draw(POSITIVE), draw(AMOUNT))
        for parent, component in draw(st.lists(st.sampled_from(pairs), max_size=5))
    ) if pairs else ()  # fmt: skip
    lanes = tuple(
        mrp.TransferLane(item, origin, to, draw(st.integers(0, 90)))
        for item, origin, to in draw(st.lists(st.tuples(NAME, NAME, NAME), max_size=3))
        if origin != to
    )
    bucket = st.integers(0, calendar.horizon - 1)
    ids = draw(st.lists(NAME, unique=True, max_size=12))
    demands = tuple(
        mrp.Demand(
            i, draw(st.sampled_from(mrp.DemandKind)), draw(st.sampled_from(keys)), draw(bucket),
            draw(AMOUNT),
        )
        for i in ids[:8]
    )  # fmt: skip
    receipts = tuple(
        mrp.ScheduledReceipt(
            i, draw(st.sampled_from(mrp.SupplyKind)), draw(st.sampled_from(keys)), draw(bucket),
            draw(AMOUNT),
        )
        for i in ids[8:]
    )  # fmt: skip
    window = mrp.ConsumptionWindow(draw(st.integers(0, 9)), draw(st.integers(0, 9)))
    return mrp.MRPProblem(calendar, sites, bom, lanes, demands, receipts, window)


@settings(max_examples=200, deadline=None)
@given(problems())
def test_a_stored_problem_reads_back_equal_field_for_field(problem: mrp.MRPProblem) -> None:
    back = decode_problem(encode_problem(problem))
    assert back == problem
    # equality of floats hides nothing here: the same doubles, bit for bit
    assert [repr(s) for s in back.item_sites] == [repr(s) for s in problem.item_sites]
    assert [repr(d) for d in back.demands] == [repr(d) for d in problem.demands]
    assert back.calendar.starts == problem.calendar.starts


def test_shared_lot_sizing_rules_are_stored_once() -> None:
    calendar = mrp.PlanningCalendar.weekly(date(2026, 1, 5), 4)
    rule = mrp.LotSizing(mrp.LotSizingRule.FIXED_ORDER_QUANTITY, quantity=40.0, multiple=5.0)
    sites = tuple(mrp.ItemSite(f"I{n}", "P", lot_sizing=rule) for n in range(3))
    document = json.loads(zlib.decompress(encode_problem(mrp.MRPProblem(calendar, sites))))
    assert document["lot_sizings"] == [
        ["fixed_order_quantity", 40.0, 1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, None, 5.0]
    ]
    assert [row[7] for row in document["item_sites"]] == [0, 0, 0]


def test_another_format_version_is_refused() -> None:
    stored = zlib.compress(json.dumps({"version": 99}).encode())
    with pytest.raises(ValueError, match="unknown format 99"):
        decode_problem(stored)
