"""Read the network once, read-only, into a :class:`~.model.World`: a principal per member (its
first active user, the planner), the supply links between members and the daily need."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tandem.domain.errors import Conflict, NotFound
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.network import (
    DemandPoint,
    Item,
    Lane,
    Member,
    Network,
    PlanningParameters,
    Site,
    SiteKind,
)
from tandem.services.context import ServiceContext
from tandem.services.demo_flows.links import Routes, find_links, own_use_demand
from tandem.services.demo_flows.model import Key, Need, Party, Recipe, Series, World
from tandem.services.demo_flows.rates import Structure, history_day, needs
from tandem.services.ports import UnitOfWork

LOOKBACK_DAYS = 28
LOOKAHEAD_DAYS = 14


@dataclass(frozen=True)
class _Read:
    """The network as stored."""

    network: Network
    parties: dict[str, Party]
    codes: dict[int, str]
    sites: dict[int, Site]
    items: dict[int, Item]
    params: dict[Key, PlanningParameters]
    recipes: dict[int, Recipe]
    lanes: list[Lane]
    demand: list[DemandPoint]


def load_world(ctx: ServiceContext, network_code: str, start: date, end: date) -> World:
    read = _read(ctx, network_code)
    origin = start - timedelta(days=LOOKBACK_DAYS)
    days = (end - origin).days + LOOKAHEAD_DAYS
    own = _own_demand(read.demand, origin, days)
    routes = Routes(read.parties, read.codes, read.sites, read.items, frozenset(read.params))
    links = find_links(routes, read.lanes, start)
    params = dict(read.params)
    for link in links:
        if not any((link.to_site_id, i) in params for i in link.item_ids):  # bought for own use
            own.update(own_use_demand(link, routes, origin, days))
            params.update({(link.to_site_id, i): PlanningParameters() for i in link.item_ids})
    customer_sites = frozenset(
        s for s, _ in own if read.sites[s].kind is SiteKind.DISTRIBUTION_CENTRE
    )
    children = _children(read.sites, read.lanes)
    structure = Structure(frozenset(params), read.recipes, children, links, customer_sites)
    need, consumption = needs(own, structure, days)
    return World(
        read.network.id,
        read.network.currency,
        read.parties,
        read.sites,
        read.items,
        read.codes,
        params,
        read.recipes,
        made=frozenset(key for key in params if structure.makes(*key)),
        physical=frozenset(key for key in params if not structure.exploded(*key)),
        links=links,
        need=Need(origin, need),
        consumption=Need(origin, consumption),
        wholesale=Need(origin, {k: v for k, v in own.items() if k[0] in customer_sites}),
        customer_sites=tuple(sorted(customer_sites)),
    )


def _read(ctx: ServiceContext, network_code: str) -> _Read:
    with ctx.uow() as uow:
        found = uow.networks.find(code=network_code)
        if not found:
            raise NotFound(f"network {network_code!r} not found")
        network = found[0]
        if uow.purchase_orders.count(network_id=network.id):
            raise Conflict(
                f"network {network_code!r} already has purchase orders: the demo flows are "
                "generated once, on a freshly loaded network"
            )
        members = uow.members.find(network_id=network.id)
        return _Read(
            network,
            {m.code: _party(uow, m) for m in members},
            {m.id: m.code for m in members},
            {s.id: s for s in uow.sites.find(network_id=network.id)},
            {i.id: i for i in uow.items.find(network_id=network.id)},
            {
                (row.site_id, row.item_id): row.parameters
                for m in members
                for row in uow.item_sites.find(owner_member_id=m.id)
            },
            _recipes(uow, members),
            sorted(uow.lanes.find(network_id=network.id), key=lambda lane: lane.id),
            [row for m in members for row in uow.demand.find(owner_member_id=m.id)],
        )


def _party(uow: UnitOfWork, member: Member) -> Party:
    users = [u for u in uow.users.find(member_id=member.id) if u.is_active]
    user = min(users, key=lambda u: u.id) if users else None
    principal = Principal(
        member.id,
        member.network_id,
        f"{user.email if user else 'demo flows'} ({member.code})",
        ALL_SCOPES,
        user_id=user.id if user else None,
        is_network_admin=bool(user and user.is_network_admin),
    )
    return Party(member.id, member.code, member.name, member.roles, principal)


def _recipes(uow: UnitOfWork, members: Sequence[Member]) -> dict[int, Recipe]:
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for member in members:
        for line in uow.bom_lines.find(owner_member_id=member.id):
            if line.site_id is None:
                found[line.parent_item_id].append((line.component_item_id, line.quantity_per))
    return {parent: tuple(sorted(lines)) for parent, lines in sorted(found.items())}


def _children(sites: dict[int, Site], lanes: Sequence[Lane]) -> dict[int, tuple[int, ...]]:
    """The sites each site feeds within its own member (a café its machines)."""
    fed: dict[int, list[int]] = defaultdict(list)
    for lane in lanes:
        if sites[lane.from_site_id].member_id == sites[lane.to_site_id].member_id:
            fed[lane.from_site_id].append(lane.to_site_id)
    return {site: tuple(sorted(to)) for site, to in sorted(fed.items())}


def _own_demand(demand: Sequence[DemandPoint], origin: date, days: int) -> dict[Key, Series]:
    """Daily demand from ``origin`` on; days outside the history stand in for each other."""
    if not demand:
        return {}
    by_key: dict[Key, dict[date, float]] = defaultdict(dict)
    for row in demand:
        by_key[(row.site_id, row.item_id)][row.day] = row.quantity
    first = min(row.day for row in demand)
    last = max(row.day for row in demand)
    stand_in = [history_day(origin + timedelta(days=k), first, last) for k in range(days)]
    return {
        key: tuple(rows.get(day, 0.0) for day in stand_in) for key, rows in sorted(by_key.items())
    }
