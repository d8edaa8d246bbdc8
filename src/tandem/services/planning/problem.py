"""From the platform's data to an :class:`~tandem.planning.mrp.MRPProblem` of one member.

Item-sites are the member's own stocking points, keyed ``SKU@SITE``. On hand and allocated come
from its stock positions; the floor is the adopted base-stock level (``order_up_to_level``,
time-phased by the engine) or else the safety stock; lot-for-lot is raised to the minimum order
quantity and rounded to the order multiple (those of the planning parameters, the supplier
offer's where larger or given). Lead times, in working days of the member's working calendar
(:mod:`.calendars`; every day works when it has none): production from ``processing_days``;
purchase from the best valid supplier offer, else the lane from another member's site; transfer
from the lane between two of the member's own sites. Bills of materials are the member's own
lines (a site's own line overrides the every-site line). Partners' dependent demand is not
visible here: only what they ordered (purchase orders placed with the member) counts, and a
partner's plan only reaches the member through the shared-plan view. See :mod:`.sources` for
demand and scheduled receipts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from tandem.domain.calendars import WorkingCalendar, describe_calendar, first_working_days
from tandem.domain.identity import Principal
from tandem.domain.network import BomLine, Item, ItemSite, Lane, PlanningParameters, Site
from tandem.domain.planning_runs import PlanBucket, ScenarioDelta
from tandem.domain.sourcing import SupplierOffer, best_offer
from tandem.planning import mrp
from tandem.services.planning.calendars import member_calendar
from tandem.services.planning.scenarios import Adjust
from tandem.services.planning.sources import DatedQuantity, load_demands, load_receipts
from tandem.services.ports import UnitOfWork

__all__ = ["PlanningInput", "build_problem", "planning_calendar"]


@dataclass(frozen=True)
class PlanningInput:
    """The problem and how its keys map back to the platform; ``order_days`` the day a planned
    order released or due in each bucket is dated (its first working day), ``calendar`` names
    the working calendar netted with."""

    problem: mrp.MRPProblem
    ids: dict[mrp.ItemSiteKey, tuple[int, int, int]]  # key -> (item_site_id, item_id, site_id)
    suppliers: dict[mrp.ItemSiteKey, int] = field(default_factory=dict)
    sources: dict[mrp.ItemSiteKey, int] = field(default_factory=dict)
    offers: dict[mrp.ItemSiteKey, SupplierOffer] = field(default_factory=dict)
    order_days: tuple[date, ...] = ()
    calendar: str = describe_calendar(None)


def planning_calendar(
    as_of: date, horizon: int, bucket: PlanBucket, working: WorkingCalendar | None = None
) -> mrp.PlanningCalendar:
    """Daily buckets from ``as_of``, or weeks from the Monday of its week; the days off of
    ``working`` (none without it)."""
    weekend, holidays = (working.weekend, working.holidays) if working else ((), ())
    if bucket is PlanBucket.DAY:
        return mrp.PlanningCalendar.daily(as_of, horizon, holidays, weekend)
    monday = as_of - timedelta(days=as_of.weekday())
    return mrp.PlanningCalendar.weekly(monday, horizon, holidays, weekend)


@dataclass(frozen=True)
class _Network:
    sites: dict[int, Site]
    items: dict[int, Item]
    points: list[ItemSite]
    lanes: list[Lane]
    bom: list[BomLine]
    offers: list[SupplierOffer]

    def key(self, point: ItemSite) -> mrp.ItemSiteKey:
        return mrp.ItemSiteKey(self.items[point.item_id].sku, self.sites[point.site_id].code)


def _load(uow: UnitOfWork, principal: Principal) -> _Network:
    member = principal.member_id
    return _Network(
        {s.id: s for s in uow.sites.find(network_id=principal.network_id)},
        {i.id: i for i in uow.items.find(network_id=principal.network_id)},
        uow.item_sites.find(owner_member_id=member),
        uow.lanes.find(network_id=principal.network_id),
        uow.bom_lines.find(owner_member_id=member),
        uow.supplier_offers.find(buyer_member_id=member),
    )


def _days(value: float | None) -> int:
    return max(0, math.ceil(value - 1e-9)) if value else 0


def _lanes_into(net: _Network, point: ItemSite) -> list[Lane]:
    return sorted(
        (
            lane
            for lane in net.lanes
            if lane.to_site_id == point.site_id and lane.item_id in (None, point.item_id)
        ),
        key=lambda lane: (lane.lead_time_mean_days, lane.id),
    )


def _bom_lines(net: _Network, keys: dict[tuple[int, int], mrp.ItemSiteKey]) -> list[mrp.BOMLine]:
    chosen: dict[tuple[int, int, int], BomLine] = {}
    for line in sorted(net.bom, key=lambda x: x.site_id is not None):  # site lines win
        for site_id in {s for _, s in keys}:
            if line.site_id in (None, site_id):
                chosen[(line.parent_item_id, line.component_item_id, site_id)] = line
    return [
        mrp.BOMLine(keys[(p, s)], keys[(c, s)], line.quantity_per)
        for (p, c, s), line in sorted(chosen.items())
        if (p, s) in keys and (c, s) in keys
    ]


def _transfers(
    net: _Network, keys: dict[tuple[int, int], mrp.ItemSiteKey], made: set[mrp.ItemSiteKey]
) -> tuple[list[mrp.TransferLane], dict[mrp.ItemSiteKey, int]]:
    lanes: list[mrp.TransferLane] = []
    sources: dict[mrp.ItemSiteKey, int] = {}
    for (item_id, site_id), key in sorted(keys.items()):
        if key in made:
            continue
        point = ItemSite(0, 0, item_id, site_id)
        own = [x for x in _lanes_into(net, point) if (item_id, x.from_site_id) in keys]
        if own:
            lane = own[0]
            source = net.sites[lane.from_site_id].code
            lanes.append(
                mrp.TransferLane(key.item, source, key.site, _days(lane.lead_time_mean_days))
            )
            sources[key] = lane.from_site_id
    return lanes, sources


def _lot_sizing(parameters: PlanningParameters, offer: SupplierOffer | None) -> mrp.LotSizing:
    minimum = max(parameters.min_order_quantity or 0.0, offer.min_order_quantity if offer else 0)
    multiple = (offer.order_multiple if offer else None) or parameters.order_multiple or None
    return mrp.LotSizing(minimum_order=minimum, multiple=multiple)


def build_problem(
    uow: UnitOfWork,
    principal: Principal,
    as_of: date,
    scenario: Sequence[ScenarioDelta] = (),
    horizon: int = 12,
    bucket: PlanBucket = PlanBucket.WEEK,
) -> PlanningInput:
    """The MRP problem of the caller's member as of ``as_of``, changed by ``scenario``."""
    net = _load(uow, principal)
    working = member_calendar(uow, principal.member_id)
    calendar = planning_calendar(as_of, horizon, bucket, working)
    keys = {(p.item_id, p.site_id): net.key(p) for p in net.points}
    bom = _bom_lines(net, keys)
    made = {line.parent for line in bom}
    lanes, sources = _transfers(net, keys, made)
    members = {m.id: m.code for m in uow.members.find(network_id=principal.network_id)}
    adjust = Adjust(scenario, members)
    stock = uow.stock_positions.find(owner_member_id=principal.member_id)
    positions = {(p.site_id, p.item_id): p for p in stock}
    sites: list[mrp.ItemSite] = []
    suppliers: dict[mrp.ItemSiteKey, int] = {}
    offers: dict[mrp.ItemSiteKey, SupplierOffer] = {}
    for point in net.points:
        key = keys[(point.item_id, point.site_id)]
        offer = None
        lead = _days(point.parameters.processing_days)
        if key not in made and key not in sources:
            offer = best_offer(net.offers, point.item_id, as_of)
            lead, supplier = _purchase_terms(net, point, offer)
            if supplier is not None:
                suppliers[key] = supplier
                lead = adjust.lead_time(lead, key.item, supplier)
            if offer is not None:
                offers[key] = offer
        position = positions.get((point.site_id, point.item_id))
        on_hand = float(position.on_hand) if position else 0.0
        allocated = float(position.allocated) if position else 0.0
        sites.append(
            mrp.ItemSite(
                key.item, key.site, on_hand=max(on_hand, 0.0),
                allocated=allocated + max(-on_hand, 0.0),
                **adjust.floor(key, point.parameters), lead_time=lead,
                lot_sizing=_lot_sizing(point.parameters, offer),
            )
        )  # fmt: skip
    home: dict[int, int] = {}  # per item, the member's first site stocking it
    for item_id, site_id in sorted(keys):
        home.setdefault(item_id, site_id)
    first, end = calendar.starts[0], _end(calendar)
    demands = _demands(load_demands(uow, principal.member_id, first, end, home), keys, calendar)
    problem = mrp.MRPProblem(
        calendar,
        tuple(sites),
        bom=tuple(bom),
        lanes=tuple(lanes),
        demands=tuple(adjust.demand(d) for d in demands),
        receipts=tuple(_receipts(load_receipts(uow, principal.member_id), keys, calendar)),
    )
    ids = {keys[(p.item_id, p.site_id)]: (p.id, p.item_id, p.site_id) for p in net.points}
    days = first_working_days(working, calendar.starts, 1 if bucket is PlanBucket.DAY else 7)
    return PlanningInput(problem, ids, suppliers, sources, offers, days, describe_calendar(working))


def _purchase_terms(
    net: _Network, point: ItemSite, offer: SupplierOffer | None
) -> tuple[int, int | None]:
    """Lead time and supplier: the offer's, else the first lane from another member's site."""
    if offer is not None:
        return _days(offer.lead_time_days), offer.supplier_member_id
    for lane in _lanes_into(net, point):
        supplier = net.sites[lane.from_site_id].member_id
        if supplier != point.owner_member_id:
            return _days(lane.lead_time_mean_days), supplier
    return 0, None


def _end(calendar: mrp.PlanningCalendar) -> date:
    step = 7 if calendar.size is mrp.BucketSize.WEEKLY else 1
    return calendar.starts[-1] + timedelta(days=step)


def _demands(
    rows: list[DatedQuantity],
    keys: dict[tuple[int, int], mrp.ItemSiteKey],
    calendar: mrp.PlanningCalendar,
) -> list[mrp.Demand]:
    """Forecasts summed per item-site and bucket; orders one by one (orders past due count in
    the first bucket; beyond the horizon, not at all)."""
    end = _end(calendar)
    forecast: dict[tuple[mrp.ItemSiteKey, int], float] = {}
    found: list[mrp.Demand] = []
    for row in rows:
        key = keys.get((row.item_id, row.site_id))
        if key is None or row.day >= end:
            continue
        bucket = calendar.bucket_of(row.day)
        if row.is_order:
            found.append(
                mrp.Demand(row.ref, mrp.DemandKind.CUSTOMER_ORDER, key, bucket, row.quantity)
            )
        else:
            forecast[(key, bucket)] = forecast.get((key, bucket), 0.0) + row.quantity
    for (key, bucket), quantity in sorted(forecast.items()):
        ref = f"forecast {key} {calendar.label(bucket)}"
        found.append(mrp.Demand(ref, mrp.DemandKind.FORECAST, key, bucket, quantity))
    return found


def _receipts(
    rows: list[DatedQuantity],
    keys: dict[tuple[int, int], mrp.ItemSiteKey],
    calendar: mrp.PlanningCalendar,
) -> list[mrp.ScheduledReceipt]:
    end = _end(calendar)
    return [
        mrp.ScheduledReceipt(
            row.ref, mrp.SupplyKind.PURCHASE, keys[(row.item_id, row.site_id)],
            calendar.bucket_of(row.day), row.quantity,
        )
        for row in rows
        if (row.item_id, row.site_id) in keys and row.day < end
    ]  # fmt: skip
