"""Time-phased multi-level MRP: regeneration (:func:`plan`) and net change (:func:`replan`).

Item-sites are netted in low-level-code order (Orlicky 1975; Vollmann, Berry, Whybark & Jacobs,
*Manufacturing Planning and Control for Supply Chain Management*, 5th ed., 2005, ch. 6). For
each: gross requirements = independent demand after forecast consumption + the releases of every
parent planned order times ``quantity_per * (1 + scrap)`` (a transfer: the destination's
releases, one for one); netting against stock on hand less allocations and the scheduled
receipts; lot sizing; planned receipts offset by the lead time into planned releases
(quantity ``receipt / yield``); FIFO pegging to end demand; exception messages.

An item-site's plan depends only on its own inputs and its parents' planned orders, so a net
change run re-plans the item-sites whose inputs changed and everything below them, in the same
order with the same arithmetic, and reuses every other item-site's plan: it equals regeneration.

Examples
--------
>>> from datetime import date
>>> from tandem.planning.mrp import BOMLine, DemandKind, PlanningCalendar
>>> cal = PlanningCalendar.weekly(date(2026, 1, 5), 4)
>>> a, b = ItemSiteKey("A", "S1"), ItemSiteKey("B", "S1")
>>> problem = MRPProblem(
...     cal,
...     (ItemSite("A", "S1", on_hand=5, lead_time=5), ItemSite("B", "S1", lead_time=5)),
...     bom=(BOMLine(a, b, 2.0),),
...     demands=(Demand("SO-1", DemandKind.CUSTOMER_ORDER, a, 2, 25.0),),
... )
>>> result = plan(problem)
>>> [(o.id, o.release_bucket, o.due_bucket, o.quantity) for o in result.planned_orders]
[('A@S1#1', 1, 2, 20.0), ('B@S1#1', 0, 1, 40.0)]
>>> result.planned_orders[1].pegging
(Peg(quantity=40.0, demand_id=None, parent_order='A@S1#1', parent_quantity=20.0),)
>>> result.end_pegging('B@S1#1')
(Peg(quantity=40.0, demand_id='SO-1', parent_order=None, parent_quantity=0.0),)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tandem.planning.mrp.calendar import LeadTimeOffset
from tandem.planning.mrp.inputs import (
    Demand,
    ItemSite,
    ItemSiteKey,
    MRPInputError,
    ScheduledReceipt,
    SupplyKind,
)
from tandem.planning.mrp.lot_sizing import TOLERANCE, plan_lots
from tandem.planning.mrp.messages import below_safety_stock, release_past_due, reschedule_receipts
from tandem.planning.mrp.network import SupplyNetwork, build_network
from tandem.planning.mrp.pegging import Requirement, Supply, peg_fifo
from tandem.planning.mrp.problem import MRPChanges, MRPProblem, apply_changes, consume_forecast
from tandem.planning.mrp.results import (
    ItemSitePlan,
    MRPException,
    MRPPlan,
    Peg,
    PlannedOrder,
    SupplyPegging,
    TimePhasedRecord,
    on_hand_id,
)

__all__ = ["plan", "replan"]

FloatArray = NDArray[np.float64]


@dataclass
class _Context:
    """What netting needs besides the parents' plans, indexed once per run."""

    problem: MRPProblem
    network: SupplyNetwork
    sites: dict[ItemSiteKey, ItemSite]
    demands: dict[ItemSiteKey, list[Demand]]
    receipts: dict[ItemSiteKey, list[ScheduledReceipt]]
    offsets: dict[int, LeadTimeOffset]

    @classmethod
    def of(cls, problem: MRPProblem) -> _Context:
        sites = problem.by_key
        demands: dict[ItemSiteKey, list[Demand]] = defaultdict(list)
        for demand in problem.demands:
            demands[demand.item_site].append(demand)
        receipts: dict[ItemSiteKey, list[ScheduledReceipt]] = defaultdict(list)
        for receipt in problem.receipts:
            receipts[receipt.item_site].append(receipt)
        network = build_network(sites, problem.bom, problem.lanes)
        return cls(problem, network, sites, demands, receipts, {})

    def lead_time(self, key: ItemSiteKey) -> int:
        if self.network.supply_kind[key] is SupplyKind.TRANSFER:
            return self.network.transfer_lead_time[key]
        return self.sites[key].lead_time

    def offset(self, key: ItemSiteKey) -> LeadTimeOffset:
        lead_time = self.lead_time(key)
        calendar = self.problem.calendar
        if lead_time > calendar.total_working_days:
            raise MRPInputError(
                f"item-site {key}: lead time of {lead_time} working days is longer than the "
                f"horizon ({calendar.total_working_days} working days)"
            )
        if lead_time not in self.offsets:
            self.offsets[lead_time] = calendar.offset(lead_time)
        return self.offsets[lead_time]


def _requirements(
    ctx: _Context, key: ItemSiteKey, done: Mapping[ItemSiteKey, ItemSitePlan]
) -> list[Requirement]:
    """Independent demand after consumption, then each parent order's dependent demand."""
    horizon = ctx.problem.calendar.horizon
    lines = consume_forecast(ctx.demands.get(key, ()), ctx.problem.consumption, horizon)
    needs = [Requirement(d.bucket, (0, d.id), d.quantity, demand_id=d.id) for d in lines]
    edges = ctx.network.parents[key]
    per_parent: dict[ItemSiteKey, float] = defaultdict(float)
    for edge in edges:
        per_parent[edge.parent] += edge.factor
    for edge in edges:
        share = edge.factor / per_parent[edge.parent]
        for order in done[edge.parent].planned_orders:
            needs.append(
                Requirement(
                    max(order.release_bucket, 0),
                    (1, order.id),
                    order.release_quantity * edge.factor,
                    parent_order=order.id,
                    parent_quantity=order.quantity * share,
                )
            )
    return needs


def _safety_stock(site: ItemSite, gross: FloatArray, span: int) -> FloatArray:
    """Constant safety stock, or base stock ``S`` less the gross requirements of buckets
    ``t - span .. t`` (the time-phased form of a base-stock policy, S&S 2019 section 4.3)."""
    if site.base_stock_level is None:
        return np.full(gross.size, site.safety_stock)
    cumulative = np.concatenate([[0.0], np.cumsum(gross)])
    upper = np.arange(1, gross.size + 1)
    window = cumulative[upper] - cumulative[np.maximum(upper - span - 1, 0)]
    floor: FloatArray = np.maximum(site.base_stock_level - window, 0.0)
    return floor


def _orders(
    ctx: _Context,
    key: ItemSiteKey,
    lots: list[tuple[int, float]],
    offset: LeadTimeOffset,
    pegs: list[tuple[Peg, ...]],
) -> tuple[PlannedOrder, ...]:
    site, kind = ctx.sites[key], ctx.network.supply_kind[key]
    return tuple(
        PlannedOrder(
            id=f"{key}#{n + 1}",
            item_site=key,
            kind=kind,
            release_bucket=int(offset.release_bucket[due]),
            due_bucket=due,
            quantity=quantity,
            release_quantity=quantity / site.yield_rate,
            pegging=pegs[n],
        )
        for n, (due, quantity) in enumerate(lots)
    )


def _record(
    gross: FloatArray,
    scheduled: FloatArray,
    position: FloatArray,
    floor: FloatArray,
    safety: FloatArray,
    orders: tuple[PlannedOrder, ...],
) -> TimePhasedRecord:
    planned = np.zeros(gross.size)
    releases = np.zeros(gross.size)
    past_due = 0.0
    for order in orders:
        planned[order.due_bucket] += order.quantity
        if order.release_bucket >= 0:
            releases[order.release_bucket] += order.release_quantity
        else:
            past_due += order.release_quantity
    projected = position + np.cumsum(planned)
    net = np.maximum(floor - (projected - planned), 0.0)
    net[net <= TOLERANCE] = 0.0
    return TimePhasedRecord(gross, scheduled, projected, net, planned, releases, safety, past_due)


def _plan_item_site(
    ctx: _Context, key: ItemSiteKey, done: Mapping[ItemSiteKey, ItemSitePlan]
) -> ItemSitePlan:
    calendar, site = ctx.problem.calendar, ctx.sites[key]
    offset = ctx.offset(key)
    needs = _requirements(ctx, key, done)
    gross = np.zeros(calendar.horizon)
    np.add.at(gross, [r.bucket for r in needs], [r.quantity for r in needs])
    receipts = sorted(ctx.receipts.get(key, ()), key=lambda r: (r.due_bucket, r.id))
    scheduled = np.zeros(calendar.horizon)
    np.add.at(scheduled, [r.due_bucket for r in receipts], [r.quantity for r in receipts])
    start = site.on_hand - site.allocated
    position = start + np.cumsum(scheduled - gross)
    safety = _safety_stock(site, gross, calendar.lead_time_buckets(ctx.lead_time(key)))
    floor = np.where(np.arange(calendar.horizon) >= offset.fence, safety, 0.0)
    lots = plan_lots(position, floor, offset.receive_bucket, site.lot_sizing, offset.fence)
    if start < 0:
        needs.append(Requirement(-1, (-1, ""), -start))
    supplies = [Supply(-1, (0, ""), max(start, 0.0))]
    supplies += [Supply(r.due_bucket, (1, r.id), r.quantity) for r in receipts]
    supplies += [Supply(due, (2, f"{n:09d}"), q) for n, (due, q) in enumerate(lots)]
    pegs = peg_fifo(needs, supplies)
    orders = _orders(ctx, key, lots, offset, pegs[len(receipts) + 1 :])
    record = _record(gross, scheduled, position, floor, safety, orders)
    return ItemSitePlan(
        key=key,
        low_level_code=ctx.network.low_level_code[key],
        supply_kind=ctx.network.supply_kind[key],
        record=record,
        planned_orders=orders,
        supply_pegging=_supply_pegging(key, receipts, pegs),
        exceptions=_exceptions(ctx, key, orders, receipts, start, record, floor),
    )


def _supply_pegging(
    key: ItemSiteKey, receipts: list[ScheduledReceipt], pegs: list[tuple[Peg, ...]]
) -> tuple[SupplyPegging, ...]:
    ids = [on_hand_id(key), *(r.id for r in receipts)]
    return tuple(SupplyPegging(i, p) for i, p in zip(ids, pegs, strict=False) if p)


def _exceptions(
    ctx: _Context,
    key: ItemSiteKey,
    orders: tuple[PlannedOrder, ...],
    receipts: list[ScheduledReceipt],
    start: float,
    record: TimePhasedRecord,
    floor: FloatArray,
) -> tuple[MRPException, ...]:
    calendar, offset, lead_time = ctx.problem.calendar, ctx.offset(key), ctx.lead_time(key)
    messages = [
        release_past_due(o, lead_time, int(offset.days_short[o.due_bucket]), calendar)
        for o in orders
        if o.release_bucket < 0
    ]
    gross = record.gross_requirements
    messages += reschedule_receipts(key, receipts, start, gross, floor, calendar)
    messages += below_safety_stock(
        key, record.projected_available, record.safety_stock, offset.fence, lead_time, calendar
    )
    return tuple(messages)


def _assemble(ctx: _Context, done: Mapping[ItemSiteKey, ItemSitePlan]) -> MRPPlan:
    return MRPPlan(ctx.problem.calendar, tuple(done[k] for k in ctx.network.order), ctx.problem)


def plan(problem: MRPProblem) -> MRPPlan:
    """Full regeneration: net every item-site in low-level-code order."""
    ctx = _Context.of(problem)
    done: dict[ItemSiteKey, ItemSitePlan] = {}
    for key in ctx.network.order:
        done[key] = _plan_item_site(ctx, key, done)
    return _assemble(ctx, done)


def replan(previous: MRPPlan, changes: MRPChanges) -> MRPPlan:
    """Net change: re-plan the item-sites whose inputs changed and all below them.

    Equal to ``plan`` of the changed problem (:func:`~tandem.planning.mrp.problem.apply_changes`).
    """
    problem, touched = apply_changes(previous.problem, changes)
    ctx = _Context.of(problem)
    affected = ctx.network.descendants(touched)
    done = {p.key: p for p in previous.item_sites if p.key not in affected}
    for key in ctx.network.order:
        if key in affected:
            done[key] = _plan_item_site(ctx, key, done)
    return _assemble(ctx, done)
