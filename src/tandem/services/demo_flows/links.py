"""Supply links between members, found in the network's lanes.

A link joins a seller's site to a buyer's site of another member for the items both stock: along
a lane, or along two lanes through a carrier's hub. A member that takes part in no link (the
carrier) buys a few supplies for its own use at its first site from the nearest distributor's
site. Reviews are staggered over the working days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tandem.domain.network import Item, Lane, MemberRole, Site, SiteKind
from tandem.services.demo_flows.model import Key, Link, Party

DURABLE = frozenset({"green_coffee", "milk", "cups", "syrup", "packaging"})  # keeps for months
OWN_USE = {"roasted_coffee": 1.5, "milk": 3.0, "cups": 80.0}  # a depot's daily use, by family


@dataclass(frozen=True)
class Route:
    from_site_id: int
    to_site_id: int
    item_ids: tuple[int, ...]
    lead_days: int
    hub: str = ""


class Routes:
    """The network as the links see it: who owns each site and what each site stocks."""

    def __init__(
        self,
        parties: dict[str, Party],
        codes: dict[int, str],
        sites: dict[int, Site],
        items: dict[int, Item],
        stocked: frozenset[Key],
    ) -> None:
        self.parties, self.codes, self.sites = parties, codes, sites
        self.items, self.stocked = items, stocked

    def party(self, site_id: int) -> Party:
        return self.parties[self.codes[self.sites[site_id].member_id]]

    def carrier(self, site_id: int) -> bool:
        return MemberRole.CARRIER in self.party(site_id).roles

    def common(self, a: int, b: int, only: int | None) -> tuple[int, ...]:
        return tuple(
            i
            for i in sorted(self.items)
            if (a, i) in self.stocked and (b, i) in self.stocked and only in (None, i)
        )

    def direct(self, lanes: Sequence[Lane]) -> list[Route]:
        routes = []
        for lane in lanes:
            a, b = lane.from_site_id, lane.to_site_id
            if self.party(a) == self.party(b) or self.carrier(a) or self.carrier(b):
                continue
            found = self.common(a, b, lane.item_id)
            if found:
                routes.append(Route(a, b, found, math.ceil(lane.lead_time_mean_days)))
        return routes

    def via_hubs(self, lanes: Sequence[Lane], covered: set[Key]) -> list[Route]:
        routes = []
        for first in lanes:
            a, hub = first.from_site_id, first.to_site_id
            if self.carrier(a) or not self.carrier(hub):
                continue
            for second in (lane for lane in lanes if lane.from_site_id == hub):
                b = second.to_site_id
                if self.carrier(b) or self.party(a) == self.party(b):
                    continue
                found = tuple(i for i in self.common(a, b, first.item_id) if (b, i) not in covered)
                lead = math.ceil(first.lead_time_mean_days + second.lead_time_mean_days)
                if found:
                    routes.append(Route(a, b, found, lead, self.sites[hub].code))
        return routes

    def own_use(self, lanes: Sequence[Lane], taken: set[str]) -> list[Route]:
        """For each member in no link: its first site buys from the nearest distributor's site
        the first item of each family of :data:`OWN_USE` that site stocks."""
        routes = []
        for party in sorted(self.parties.values(), key=lambda p: p.code):
            own = [s for s in self.sites.values() if s.member_id == party.member_id]
            if party.code in taken or not own:
                continue
            route = self._own_use_route(min(own, key=lambda s: s.code), lanes)
            if route is not None:
                routes.append(route)
        return routes

    def _own_use_route(self, site: Site, lanes: Sequence[Lane]) -> Route | None:
        sellers = [
            s for s in self.sites.values() if MemberRole.DISTRIBUTOR in self.party(s.id).roles
        ]
        if not sellers:
            return None
        source = min(sellers, key=lambda s: (_km(s, site), s.code))
        found = tuple(i for f in OWN_USE if (i := self._first_of_family(source.id, f)))
        between = [x for x in lanes if {x.from_site_id, x.to_site_id} == {source.id, site.id}]
        lead = min((math.ceil(x.lead_time_mean_days) for x in between), default=1)
        return Route(source.id, site.id, found, lead) if found else None

    def _first_of_family(self, site_id: int, family: str) -> int:
        """The first item of ``family`` the site stocks, 0 if none."""
        stocked = (i for i in sorted(self.items) if (site_id, i) in self.stocked)
        return next((i for i in stocked if self.items[i].family == family), 0)


def find_links(routes: Routes, lanes: Sequence[Lane], start: date) -> tuple[Link, ...]:
    """Every supply link, in a fixed order, with its staggered reviews."""
    direct = routes.direct(lanes)
    covered = {(r.to_site_id, i) for r in direct for i in r.item_ids}
    found = direct + routes.via_hubs(lanes, covered)
    taken = {routes.party(s).code for r in found for s in (r.from_site_id, r.to_site_id)}
    found += routes.own_use(lanes, taken)
    found.sort(key=lambda r: (routes.party(r.from_site_id).code, routes.sites[r.to_site_id].code))
    return tuple(_link(routes, route, index, start) for index, route in enumerate(found))


def own_use_demand(
    link: Link, routes: Routes, origin: date, days: int
) -> dict[Key, tuple[float, ...]]:
    """The daily use on working days of the items a member buys for itself."""
    workdays = [(origin + timedelta(days=k)).weekday() < 5 for k in range(days)]
    return {
        (link.to_site_id, i): tuple(OWN_USE[routes.items[i].family] * w for w in workdays)
        for i in link.item_ids
    }


def _interval_weeks(buyer_site: Site, families: set[str]) -> int:
    """Weeks between reviews: four for a café's monthly order, for goods that keep (green
    coffee, long-life milk, dry goods) and for a carrier's own supplies; two for roasted coffee
    to the distribution centres."""
    if buyer_site.kind in (SiteKind.STORE, SiteKind.CARRIER_HUB) or families <= DURABLE:
        return 4
    return 2


def _link(routes: Routes, route: Route, index: int, start: date) -> Link:
    families = {routes.items[i].family for i in route.item_ids}
    interval = _interval_weeks(routes.sites[route.to_site_id], families)
    first = start + timedelta(days=(index % 5 - start.weekday()) % 7)
    first += timedelta(days=7 * ((index // 5) % interval))
    carriers = sorted(
        (p for p in routes.parties.values() if MemberRole.CARRIER in p.roles), key=lambda p: p.code
    )
    hubs = [s for s in routes.sites.values() if s.code == route.hub]
    carrier = routes.party(hubs[0].id).name if hubs else carriers[0].name if carriers else ""
    return Link(
        routes.party(route.from_site_id).code,
        routes.party(route.to_site_id).code,
        route.from_site_id,
        route.to_site_id,
        route.item_ids,
        max(1, route.lead_days),
        interval,
        first,
        carrier,
        route.hub,
    )


def _km(a: Site, b: Site) -> float:
    """Great-circle distance (haversine, Earth radius 6,371 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))
