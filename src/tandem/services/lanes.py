"""Use cases of transport lanes: visible to every member of the network; changed by the member
at either end of the lane."""

from __future__ import annotations

from dataclasses import dataclass, replace

from tandem.domain.errors import Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import Lane, TransportMode, lane_violations, raise_if
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.network import in_network, network_get, network_page
from tandem.services.ports import UnitOfWork


@dataclass(frozen=True)
class LaneFields:
    from_site_id: int
    to_site_id: int
    mode: TransportMode
    lead_time_mean_days: float
    lead_time_std_days: float
    cost_per_unit: float
    capacity_per_day: float | None = None
    item_id: int | None = None
    duty_rate: float = 0.0


def list_lanes(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    from_site_id: int | None = None,
    to_site_id: int | None = None,
) -> Page[Lane]:
    return network_page(
        ctx, principal, lambda u: u.lanes, page, from_site_id=from_site_id, to_site_id=to_site_id
    )


def get_lane(ctx: ServiceContext, principal: Principal, lane_id: int) -> Lane:
    return network_get(ctx, principal, lambda u: u.lanes, lane_id, "lane")


def _checked_lane(uow: UnitOfWork, principal: Principal, fields: LaneFields) -> None:
    found = lane_violations(
        fields.from_site_id,
        fields.to_site_id,
        fields.lead_time_mean_days,
        fields.lead_time_std_days,
        fields.cost_per_unit,
        fields.capacity_per_day,
        "lane",
        fields.duty_rate,
    )
    ends = []
    for name, site_id in (("from_site_id", fields.from_site_id), ("to_site_id", fields.to_site_id)):
        site = uow.sites.get(site_id)
        if site is None or site.network_id != principal.network_id:
            found.append(Violation("lane", f"site {site_id} does not exist", name))
        else:
            ends.append(site.member_id)
    if fields.item_id is not None:
        item = uow.items.get(fields.item_id)
        if item is None or item.network_id != principal.network_id:
            found.append(Violation("lane", f"item {fields.item_id} does not exist", "item_id"))
    raise_if(found, "invalid lane")
    if principal.member_id not in ends:
        principal.require_owner(ends[0], "lane (it must start or end at one of your sites)")


def add_lane(ctx: ServiceContext, principal: Principal, fields: LaneFields) -> Lane:
    principal.require(Scope.NETWORK_WRITE)
    with ctx.uow() as uow:
        _checked_lane(uow, principal, fields)
        lane = uow.lanes.add(Lane(0, principal.network_id, **fields.__dict__))
        uow.commit()
    return lane


def update_lane(
    ctx: ServiceContext, principal: Principal, lane_id: int, fields: LaneFields
) -> Lane:
    principal.require(Scope.NETWORK_WRITE)
    with ctx.uow() as uow:
        current = in_network(uow.lanes.get(lane_id), principal.network_id, "lane", lane_id)
        _checked_lane(
            uow,
            principal,
            replace(fields, from_site_id=current.from_site_id, to_site_id=current.to_site_id),
        )
        _checked_lane(uow, principal, fields)
        lane = Lane(lane_id, principal.network_id, **fields.__dict__)
        uow.lanes.update(lane)
        uow.commit()
    return lane


def delete_lane(ctx: ServiceContext, principal: Principal, lane_id: int) -> None:
    principal.require(Scope.NETWORK_WRITE)
    with ctx.uow() as uow:
        lane = in_network(uow.lanes.get(lane_id), principal.network_id, "lane", lane_id)
        ends = [uow.sites.get(lane.from_site_id), uow.sites.get(lane.to_site_id)]
        if principal.member_id not in [s.member_id for s in ends if s is not None]:
            principal.require_owner(-1, "lane")
        uow.lanes.delete(lane_id)
        uow.commit()
