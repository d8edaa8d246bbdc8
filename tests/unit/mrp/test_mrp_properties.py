"""Properties of the MRP engine on random small BOM/transfer networks (Hypothesis).

A naive reference — plain loops over buckets, lot-for-lot only, its own calendar arithmetic —
must agree with the vectorised engine; net change must equal regeneration exactly.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.planning.mrp import (
    BOMLine,
    Demand,
    DemandKind,
    ItemSite,
    ItemSiteKey,
    LotSizing,
    LotSizingRule,
    MRPChanges,
    MRPPlan,
    MRPProblem,
    PlanningCalendar,
    ScheduledReceipt,
    SupplyKind,
    TransferLane,
    apply_changes,
    plan,
    replan,
)

MONDAY = date(2026, 1, 5)
QUANTITY = st.integers(0, 40).map(float)


@st.composite
def calendars(draw: st.DrawFn) -> PlanningCalendar:
    buckets = draw(st.integers(4, 9))
    holidays = draw(st.lists(st.integers(0, 7 * buckets - 1), max_size=4))
    off = [date.fromordinal(MONDAY.toordinal() + d) for d in holidays]
    if draw(st.booleans()):
        return PlanningCalendar.weekly(MONDAY, buckets, off)
    return PlanningCalendar.daily(MONDAY, buckets + 5, off)


@st.composite
def lot_sizings(draw: st.DrawFn, lot_for_lot: bool) -> LotSizing:
    if lot_for_lot:
        return LotSizing()
    rule = draw(st.sampled_from(LotSizingRule))
    modifiers = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "minimum_order": st.sampled_from([5.0, 25.0]),
                "multiple": st.sampled_from([5.0, 12.0]),
                "maximum_order": st.sampled_from([30.0, 60.0]),
            },
        )
    )
    return LotSizing(
        rule,
        quantity=draw(st.sampled_from([20.0, 50.0])),
        periods=draw(st.integers(1, 3)),
        ordering_cost=draw(st.sampled_from([10.0, 100.0])),
        holding_cost=draw(st.sampled_from([1.0, 2.5])),
        annual_demand=draw(st.sampled_from([500.0, 2000.0])),
        order_point=10.0,
        order_up_to=draw(st.sampled_from([10.0, 45.0])),
        **modifiers,
    )


@st.composite
def problems(draw: st.DrawFn, lot_for_lot: bool = False) -> MRPProblem:
    calendar = draw(calendars())
    horizon, days = calendar.horizon, calendar.total_working_days
    n = draw(st.integers(1, 5))
    plant = [ItemSiteKey(f"I{i}", "P") for i in range(n)]
    distributed = [k for k in plant[:2] if draw(st.booleans())]
    keys = [*plant, *(ItemSiteKey(k.item, "D") for k in distributed)]

    def site(key: ItemSiteKey) -> ItemSite:
        base = draw(st.one_of(st.none(), QUANTITY)) if not lot_for_lot else None
        return ItemSite(
            key.item,
            key.site,
            on_hand=draw(QUANTITY),
            allocated=draw(st.sampled_from([0.0, 0.0, 5.0, 50.0])),
            safety_stock=draw(st.sampled_from([0.0, 0.0, 8.0])),
            base_stock_level=base,
            lead_time=draw(st.integers(0, min(days, 12))),
            lot_sizing=draw(lot_sizings(lot_for_lot)),
            yield_rate=draw(st.sampled_from([1.0, 1.0, 0.8])),
        )

    sites = tuple(site(k) for k in keys)
    bom = tuple(
        BOMLine(
            plant[i],
            plant[j],
            float(draw(st.integers(1, 3))),
            draw(st.sampled_from([0.0, 0.1])),
        )
        for i in range(n)
        for j in range(i + 1, n)
        if draw(st.integers(0, 2)) == 0
    )
    lanes = tuple(
        TransferLane(k.item, "P", "D", draw(st.integers(0, min(days, 6)))) for k in distributed
    )
    demands = tuple(
        Demand(
            f"D{n_}",
            draw(st.sampled_from(DemandKind)),
            draw(st.sampled_from(keys)),
            draw(st.integers(0, horizon - 1)),
            draw(QUANTITY),
        )
        for n_ in range(draw(st.integers(0, 8)))
    )
    receipts = tuple(
        ScheduledReceipt(
            f"R{n_}",
            draw(st.sampled_from(SupplyKind)),
            draw(st.sampled_from(keys)),
            draw(st.integers(0, horizon - 1)),
            draw(QUANTITY),
        )
        for n_ in range(draw(st.integers(0, 3)))
    )
    return MRPProblem(calendar, sites, bom, lanes, demands, receipts)


def _lead_time(problem: MRPProblem, key: ItemSiteKey) -> int:
    for lane in problem.lanes:
        if lane.destination == key:
            return lane.lead_time
    return problem.by_key[key].lead_time


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(problem=problems())
def test_low_level_codes_respect_every_bom_and_transfer_edge(problem: MRPProblem) -> None:
    result = plan(problem)
    code = {p.key: p.low_level_code for p in result.item_sites}
    for line in problem.bom:
        assert code[line.parent] < code[line.component]
    for lane in problem.lanes:
        assert code[lane.destination] < code[lane.source]
    position = {p.key: i for i, p in enumerate(result.item_sites)}
    assert all(position[line.parent] < position[line.component] for line in problem.bom)


@PROPERTY
@given(problem=problems())
def test_projected_available_keeps_safety_stock_where_lead_time_permits(
    problem: MRPProblem,
) -> None:
    for item in plan(problem).item_sites:
        record = item.record
        fence = problem.calendar.offset(_lead_time(problem, item.key)).fence
        projected = record.projected_available
        assert np.all(projected >= -1e-9)
        assert np.all(projected[fence:] >= record.safety_stock[fence:] - 1e-9)


@PROPERTY
@given(problem=problems())
def test_supply_covers_gross_requirements(problem: MRPProblem) -> None:
    for item in plan(problem).item_sites:
        site, record = problem.by_key[item.key], item.record
        supply = np.cumsum(record.scheduled_receipts + record.planned_receipts)
        demand = np.cumsum(record.gross_requirements)
        assert np.all(site.on_hand - site.allocated + supply - demand >= -1e-9)


@PROPERTY
@given(problem=problems())
def test_pegging_conserves_quantities(problem: MRPProblem) -> None:
    result = plan(problem)
    for item in result.item_sites:
        for order in item.planned_orders:
            assert sum(p.quantity for p in order.pegging) == pytest.approx(order.quantity)
            ends = result.end_pegging(order.id)
            assert sum(p.quantity for p in ends) == pytest.approx(order.quantity)
            assert all(p.parent_order is None for p in ends)
        for supply in item.supply_pegging:
            total = sum(p.quantity for p in supply.pegging)
            receipt = next((r for r in problem.receipts if r.id == supply.supply_id), None)
            site = problem.by_key[item.key]
            expected = receipt.quantity if receipt else site.on_hand - site.allocated
            assert total == pytest.approx(expected)
        # every demand line of the item-site is pegged in full across its supplies
        pegged: dict[str | None, float] = {}
        pegs = [p for o in item.planned_orders for p in o.pegging]
        pegs += [p for s in item.supply_pegging for p in s.pegging]
        for peg in pegs:
            if peg.demand_id is not None:
                pegged[peg.demand_id] = pegged.get(peg.demand_id, 0.0) + peg.quantity
        gross_independent = sum(pegged.values())
        parents = sum(
            p.quantity for p in pegs if p.parent_order is not None and p.demand_id is None
        )
        assert gross_independent + parents == pytest.approx(
            float(item.record.gross_requirements.sum())
        )


def _naive_release(working: tuple[int, ...], due: int, lead_time: int) -> int | None:
    """Latest working bucket at least ``lead_time`` working days before ``due``'s start."""
    for s in range(due, -1, -1):
        if working[s] > 0 and sum(working[s:due]) >= lead_time:
            return s
    return None


def _naive_receive(working: tuple[int, ...], t: int) -> int:
    return next((s for s in range(t, -1, -1) if working[s] > 0), 0)


def _naive_plan(problem: MRPProblem) -> dict[ItemSiteKey, tuple[list[float], list[float]]]:
    """Lot-for-lot MRP by plain loops: planned receipts and releases (past due in bucket 0)."""
    working, horizon = problem.calendar.working_days, problem.calendar.horizon
    children: dict[ItemSiteKey, list[tuple[ItemSiteKey, float]]] = {
        s.key: [] for s in problem.item_sites
    }
    for line in problem.bom:
        children[line.parent].append((line.component, line.quantity_per * (1 + line.scrap_rate)))
    for lane in problem.lanes:
        children[lane.destination].append((lane.source, 1.0))
    gross = {s.key: [0.0] * horizon for s in problem.item_sites}
    for key, row in gross.items():  # same-bucket forecast consumption
        for t in range(horizon):
            mine = [d for d in problem.demands if d.item_site == key and d.bucket == t]
            orders = sum(d.quantity for d in mine if d.kind is DemandKind.CUSTOMER_ORDER)
            forecast = sum(d.quantity for d in mine if d.kind is DemandKind.FORECAST)
            row[t] += max(orders, forecast)
    result: dict[ItemSiteKey, tuple[list[float], list[float]]] = {}
    pending = {s.key for s in problem.item_sites}
    while pending:  # an item-site is ready when no pending item-site draws from it
        ready = sorted(
            k for k in pending if not any(k in [c for c, _ in children[p]] for p in pending)
        )
        for key in ready:
            site = problem.by_key[key]
            lead = _lead_time(problem, key)
            fence = next(
                (
                    t
                    for t in range(horizon)
                    if any(working[: t + 1])
                    and _naive_release(working, _naive_receive(working, t), lead) is not None
                ),
                horizon,
            )
            receipts, releases = [0.0] * horizon, [0.0] * horizon
            available = site.on_hand - site.allocated
            for t in range(horizon):
                available += sum(
                    r.quantity for r in problem.receipts if r.item_site == key and r.due_bucket == t
                )
                available -= gross[key][t]
                floor = site.safety_stock if t >= fence else 0.0
                if available < floor - 1e-9:
                    quantity = floor - available
                    due = _naive_receive(working, t)
                    receipts[due] += quantity
                    available += quantity
                    release = _naive_release(working, due, lead)
                    releases[max(release or 0, 0)] += quantity / site.yield_rate
            for child, factor in children[key]:
                for t in range(horizon):
                    gross[child][t] += releases[t] * factor
            result[key] = (receipts, releases)
        pending -= set(ready)
    return result


@PROPERTY
@given(problem=problems(lot_for_lot=True))
def test_vectorised_engine_agrees_with_the_naive_lot_for_lot_reference(
    problem: MRPProblem,
) -> None:
    reference = _naive_plan(problem)
    for item in plan(problem).item_sites:
        receipts, releases = reference[item.key]
        record = item.record
        assert record.planned_receipts.tolist() == pytest.approx(receipts, abs=1e-6)
        engine_releases = record.planned_releases.copy()
        engine_releases[0] += record.past_due_release
        assert engine_releases.tolist() == pytest.approx(releases, abs=1e-6)


@st.composite
def changes(draw: st.DrawFn, problem: MRPProblem) -> MRPChanges:
    keys = [s.key for s in problem.item_sites]
    horizon = problem.calendar.horizon
    sites = tuple(
        replace(site, on_hand=draw(QUANTITY), safety_stock=draw(st.sampled_from([0.0, 12.0])))
        for site in problem.item_sites
        if draw(st.integers(0, 3)) == 0
    )
    new_demands = tuple(
        Demand(
            draw(st.sampled_from(["D0", "D1", "N0", "N1"])),
            draw(st.sampled_from(DemandKind)),
            draw(st.sampled_from(keys)),
            draw(st.integers(0, horizon - 1)),
            draw(QUANTITY),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    unique = tuple({d.id: d for d in new_demands}.values())
    removed = tuple(d.id for d in problem.demands if draw(st.integers(0, 4)) == 0)
    removed = tuple(i for i in removed if i not in {d.id for d in unique})
    receipts = tuple(
        replace(r, due_bucket=draw(st.integers(0, horizon - 1)))
        for r in problem.receipts
        if draw(st.booleans())
    )
    return MRPChanges(sites, unique, removed, receipts, ())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_net_change_equals_full_regeneration(data: st.DataObject) -> None:
    problem = data.draw(problems())
    previous = plan(problem)
    delta = data.draw(changes(problem))
    changed, _ = apply_changes(problem, delta)
    net = replan(previous, delta)
    assert net == plan(changed)
    # and a second change on top of the first
    again = data.draw(changes(changed))
    changed_twice, _ = apply_changes(changed, again)
    assert replan(net, again) == plan(changed_twice)


def test_net_change_reuses_item_sites_outside_the_change() -> None:
    calendar = PlanningCalendar.weekly(MONDAY, 4)
    a, b, c = (ItemSiteKey(i, "P") for i in "ABC")
    problem = MRPProblem(
        calendar,
        (ItemSite("A", "P"), ItemSite("B", "P"), ItemSite("C", "P")),
        bom=(BOMLine(a, b, 1.0),),
        demands=(
            Demand("SO-1", DemandKind.CUSTOMER_ORDER, a, 2, 5.0),
            Demand("SO-2", DemandKind.CUSTOMER_ORDER, c, 2, 5.0),
        ),
    )
    previous: MRPPlan = plan(problem)
    net = replan(previous, MRPChanges(item_sites=(ItemSite("B", "P", on_hand=3),)))
    assert net.item_site(a) is previous.item_site(a)
    assert net.item_site(c) is previous.item_site(c)
    assert net.item_site(b) is not previous.item_site(b)
    assert net.item_site(b).record.planned_receipts.tolist() == [0, 0, 2, 0]
