"""Supplier offers of the demo network, and its first live plan.

:func:`seed_demo_offers` gives every bought stocking point an offer from the member whose site
supplies it along a lane (directly, or through a carrier's hub): the lane's lead time, the
buyer's order multiple and minimum, and three price breaks on the item's value (list price,
3 % off from ten multiples, 6 % off from fifty). A stocking point its member makes (bill of
materials) or moves between its own sites needs none. :func:`plan_demo` then runs one live MRP
plan of the roaster, so the demo opens with a plan, requisitions and a shared plan to look at;
the roaster keeps no demand history of its own, so its forecast is first taken from its sales
orders (the mean daily quantity its buyers ordered over eight weeks, flat for twelve).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tandem.domain.errors import NotFound
from tandem.domain.forecasts import ForecastPoint
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.network import ItemSite, Lane, MemberRole, Site
from tandem.domain.planning_runs import PlanningRun
from tandem.domain.sourcing import PriceBreak, SupplierOffer
from tandem.services import planning
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork

__all__ = ["PLANNING_MEMBER", "plan_demo", "seed_demo_offers"]

PLANNING_MEMBER = "ELBE"
DISCOUNTS = ((10, 0.97), (50, 0.94))  # from n order multiples on, this share of the list price
HISTORY_DAYS = 56
FORECAST_DAYS = 84


@dataclass(frozen=True)
class _Route:
    from_site: Site
    lead_days: float


def _routes_into(site_id: int, sites: dict[int, Site], lanes: Sequence[Lane],
                 carriers: set[int]) -> list[_Route]:  # fmt: skip
    """Sites of other members that reach ``site_id``: by a lane, or by two through a hub."""
    found: list[_Route] = []
    for lane in lanes:
        if lane.to_site_id != site_id:
            continue
        source = sites[lane.from_site_id]
        if source.member_id not in carriers:
            found.append(_Route(source, lane.lead_time_mean_days))
            continue
        for first in lanes:
            if (
                first.to_site_id == source.id
                and sites[first.from_site_id].member_id not in carriers
            ):
                lead = first.lead_time_mean_days + lane.lead_time_mean_days
                found.append(_Route(sites[first.from_site_id], lead))
    return sorted(found, key=lambda r: (r.lead_days, r.from_site.id))


def _offer(point: ItemSite, route: _Route, unit_value: float, network_id: int) -> SupplierOffer:
    multiple = point.parameters.order_multiple or 1.0
    price = max(1, round(unit_value * 100))
    discounts = [PriceBreak(n * multiple, max(1, round(price * f))) for n, f in DISCOUNTS]
    breaks = (PriceBreak(0.0, price), *discounts)
    return SupplierOffer(
        0, network_id, point.owner_member_id, route.from_site.member_id, point.item_id,
        float(max(1, math.ceil(route.lead_days))), route.from_site.id,
        point.parameters.min_order_quantity or 0.0, point.parameters.order_multiple, breaks,
    )  # fmt: skip


def _offers(uow: UnitOfWork, network_id: int) -> list[SupplierOffer]:
    sites = {s.id: s for s in uow.sites.find(network_id=network_id)}
    items = {i.id: i for i in uow.items.find(network_id=network_id)}
    members = uow.members.find(network_id=network_id)
    carriers = {m.id for m in members if MemberRole.CARRIER in m.roles}
    lanes = uow.lanes.find(network_id=network_id)
    points = [p for m in members for p in uow.item_sites.find(owner_member_id=m.id)]
    stocked = {(p.site_id, p.item_id) for p in points}
    made = {(m.id, line.parent_item_id) for m in members
            for line in uow.bom_lines.find(owner_member_id=m.id)}  # fmt: skip
    offers = []
    for point in points:
        if (point.owner_member_id, point.item_id) in made:
            continue
        routes = [
            r
            for r in _routes_into(point.site_id, sites, lanes, carriers)
            if r.from_site.member_id != point.owner_member_id
            and (r.from_site.id, point.item_id) in stocked
        ]
        if routes:
            offers.append(_offer(point, routes[0], items[point.item_id].unit_value, network_id))
    return offers


def seed_demo_offers(ctx: ServiceContext, network_code: str) -> int:
    """Store an offer for every bought stocking point of the network; returns how many."""
    with ctx.uow() as uow:
        networks = uow.networks.find(code=network_code)
        if not networks:
            raise NotFound(f"network {network_code} not found")
        offers = _offers(uow, networks[0].id)
        uow.supplier_offers.add_many(offers)
        uow.commit()
    return len(offers)


def _sales_forecast(uow: UnitOfWork, member_id: int, as_of: date, now: datetime) -> None:
    """The member's forecast from its own sales: what its buyers ordered from each site over
    the last :data:`HISTORY_DAYS` days, as a flat daily rate for :data:`FORECAST_DAYS` days."""
    if uow.forecasts.count(owner_member_id=member_id):
        return
    since = as_of - timedelta(days=HISTORY_DAYS)
    sold: dict[tuple[int, int], float] = defaultdict(float)
    for order in uow.purchase_orders.find(seller_member_id=member_id):
        site = order.ship_from_site_id
        for line in uow.purchase_order_lines.find(order_id=order.id):
            if site is not None and since <= line.requested_date < as_of and not line.cancelled:
                sold[(site, line.item_id)] += float(line.quantity)
    uow.forecasts.add_many([
        ForecastPoint(0, member_id, site, item, as_of + timedelta(days=k),
                      round(total / HISTORY_DAYS, 3), None, None, None, None,
                      "demo: mean of sales orders", now)
        for (site, item), total in sorted(sold.items())
        for k in range(FORECAST_DAYS)
    ])  # fmt: skip


def plan_demo(
    ctx: ServiceContext, network_code: str, as_of: date, member_code: str = PLANNING_MEMBER
) -> PlanningRun:
    """One live 12-week plan of ``member_code`` (forecast first from its sales orders, where it
    has no forecast), executed here."""
    with ctx.uow() as uow:
        network = uow.networks.find(code=network_code)[0]
        member = uow.members.find(network_id=network.id, code=member_code)[0]
        _sales_forecast(uow, member.id, as_of, ctx.clock.now())
        uow.commit()
    principal = Principal(member.id, network.id, f"demo planner ({member.code})", ALL_SCOPES)
    run = planning.start_run(ctx, principal, planning.StartRun(horizon_buckets=12, as_of=as_of))
    return planning.execute_run(ctx, run.id)
