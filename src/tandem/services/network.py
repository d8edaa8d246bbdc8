"""Use cases of the network context: the network map, members, sites, items and lanes.

Network-level data (members, sites, items, lanes) is visible to every member of the network;
only the owning member changes its sites and items, either end's member changes a lane, and a
network administrator onboards members.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from tandem.domain.errors import InUse, NotFound, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import (
    Item,
    Lane,
    Member,
    MemberRole,
    Network,
    Site,
    SiteKind,
    check_code,
    item_violations,
    raise_if,
    site_violations,
)
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.ports import Repository, UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True)
class MemberFields:
    code: str
    name: str
    roles: frozenset[MemberRole]
    country: str = ""


@dataclass(frozen=True)
class SiteFields:
    code: str
    name: str
    kind: SiteKind
    latitude: float
    longitude: float
    city: str = ""
    country: str = ""
    member_id: int | None = None  # None: the caller's own member
    allows_backorders: bool = False


@dataclass(frozen=True)
class ItemFields:
    sku: str
    name: str
    unit: str
    unit_value: float
    family: str = ""
    weight_kg: float | None = None
    volume_m3: float | None = None


@dataclass(frozen=True)
class NetworkMap:
    network: Network
    members: tuple[Member, ...]
    sites: tuple[Site, ...]
    lanes: tuple[Lane, ...]


def in_network(entity: T | None, network_id: int, what: str, entity_id: int) -> T:
    if entity is None or getattr(entity, "network_id", None) != network_id:
        raise NotFound(f"{what} {entity_id} not found")
    return entity


def network_map(ctx: ServiceContext, principal: Principal) -> NetworkMap:
    principal.require(Scope.NETWORK_READ)
    with ctx.uow() as uow:
        network = uow.networks.get(principal.network_id)
        if network is None:
            raise NotFound("network not found")
        nid = network.id
        return NetworkMap(
            network,
            tuple(uow.members.find(network_id=nid)),
            tuple(uow.sites.find(network_id=nid)),
            tuple(uow.lanes.find(network_id=nid)),
        )


def network_page(
    ctx: ServiceContext,
    principal: Principal,
    repo: Callable[[UnitOfWork], Repository[T]],
    page: PageRequest,
    **equals: Any,
) -> Page[T]:
    return _page(ctx, principal, repo, page, {"network_id": principal.network_id}, equals)


def member_page(
    ctx: ServiceContext,
    principal: Principal,
    repo: Callable[[UnitOfWork], Repository[T]],
    page: PageRequest,
    **equals: Any,
) -> Page[T]:
    """One page of the caller's own rows (``member_id``), in id order; ``None`` filters are
    left out."""
    return _page(ctx, principal, repo, page, {"member_id": principal.member_id}, equals)


def _page(
    ctx: ServiceContext,
    principal: Principal,
    repo: Callable[[UnitOfWork], Repository[T]],
    page: PageRequest,
    filters: dict[str, Any],
    equals: dict[str, Any],
) -> Page[T]:
    principal.require(Scope.NETWORK_READ)
    filters.update({k: v for k, v in equals.items() if v is not None})
    with ctx.uow() as uow:
        store = repo(uow)
        rows = store.find(offset=page.offset, limit=page.limit, **filters)
        return Page(tuple(rows), store.count(**filters), page.offset, page.limit)


def network_get(
    ctx: ServiceContext,
    principal: Principal,
    repo: Callable[[UnitOfWork], Repository[T]],
    entity_id: int,
    what: str,
) -> T:
    principal.require(Scope.NETWORK_READ)
    with ctx.uow() as uow:
        return in_network(repo(uow).get(entity_id), principal.network_id, what, entity_id)


# ---------------------------------------------------------------- members


def list_members(ctx: ServiceContext, principal: Principal, page: PageRequest) -> Page[Member]:
    return network_page(ctx, principal, lambda u: u.members, page)


def get_member(ctx: ServiceContext, principal: Principal, member_id: int) -> Member:
    return network_get(ctx, principal, lambda u: u.members, member_id, "member")


def _member_violations(fields: MemberFields) -> list[Violation]:
    found = check_code(fields.code, "member")
    if not fields.roles:
        found.append(Violation("member", "needs at least one role", "roles"))
    return found


def add_member(ctx: ServiceContext, principal: Principal, fields: MemberFields) -> Member:
    principal.require(Scope.NETWORK_WRITE)
    principal.require_network_admin()
    raise_if(_member_violations(fields), "invalid member")
    with ctx.uow() as uow:
        member = uow.members.add(
            Member(
                0,
                principal.network_id,
                fields.code.strip(),
                fields.name,
                fields.roles,
                fields.country,
            )
        )
        uow.commit()
    return member


def update_member(
    ctx: ServiceContext, principal: Principal, member_id: int, fields: MemberFields
) -> Member:
    principal.require(Scope.NETWORK_WRITE)
    raise_if(_member_violations(fields), "invalid member")
    with ctx.uow() as uow:
        current = in_network(uow.members.get(member_id), principal.network_id, "member", member_id)
        if member_id != principal.member_id:
            principal.require_network_admin()
        member = replace(
            current,
            code=fields.code.strip(),
            name=fields.name,
            roles=fields.roles,
            country=fields.country,
        )
        uow.members.update(member)
        uow.commit()
    return member


# ---------------------------------------------------------------- sites


def list_sites(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    member_id: int | None = None,
    kind: SiteKind | None = None,
) -> Page[Site]:
    return network_page(ctx, principal, lambda u: u.sites, page, member_id=member_id, kind=kind)


def get_site(ctx: ServiceContext, principal: Principal, site_id: int) -> Site:
    return network_get(ctx, principal, lambda u: u.sites, site_id, "site")


def _site_owner(uow: UnitOfWork, principal: Principal, fields: SiteFields) -> int:
    owner = fields.member_id if fields.member_id is not None else principal.member_id
    if owner != principal.member_id:
        principal.require_network_admin()
        in_network(uow.members.get(owner), principal.network_id, "member", owner)
    return owner


def add_site(ctx: ServiceContext, principal: Principal, fields: SiteFields) -> Site:
    principal.require(Scope.NETWORK_WRITE)
    raise_if(
        site_violations(fields.code, fields.latitude, fields.longitude, "site"), "invalid site"
    )
    with ctx.uow() as uow:
        owner = _site_owner(uow, principal, fields)
        site = uow.sites.add(
            Site(
                0,
                principal.network_id,
                owner,
                fields.code.strip(),
                fields.name,
                fields.kind,
                fields.latitude,
                fields.longitude,
                fields.city,
                fields.country,
                fields.allows_backorders,
            )
        )
        uow.commit()
    return site


def update_site(
    ctx: ServiceContext, principal: Principal, site_id: int, fields: SiteFields
) -> Site:
    principal.require(Scope.NETWORK_WRITE)
    raise_if(
        site_violations(fields.code, fields.latitude, fields.longitude, "site"), "invalid site"
    )
    with ctx.uow() as uow:
        current = in_network(uow.sites.get(site_id), principal.network_id, "site", site_id)
        principal.require_owner(current.member_id, "site")
        site = replace(
            current,
            code=fields.code.strip(),
            name=fields.name,
            kind=fields.kind,
            latitude=fields.latitude,
            longitude=fields.longitude,
            city=fields.city,
            country=fields.country,
            allows_backorders=fields.allows_backorders,
        )
        uow.sites.update(site)
        uow.commit()
    return site


def delete_site(ctx: ServiceContext, principal: Principal, site_id: int) -> None:
    principal.require(Scope.NETWORK_WRITE)
    with ctx.uow() as uow:
        site = in_network(uow.sites.get(site_id), principal.network_id, "site", site_id)
        principal.require_owner(site.member_id, "site")
        uses = (
            uow.lanes.count(from_site_id=site_id)
            + uow.lanes.count(to_site_id=site_id)
            + uow.item_sites.count(site_id=site_id)
            + uow.bom_lines.count(site_id=site_id)
            + uow.demand.count(site_id=site_id)
            + uow.forecasts.count(site_id=site_id)
        )
        if uses:
            raise InUse(f"site {site.code} is still used by {uses} lanes, stocking points or rows")
        uow.sites.delete(site_id)
        uow.commit()


# ---------------------------------------------------------------- items


def list_items(
    ctx: ServiceContext, principal: Principal, page: PageRequest, member_id: int | None = None
) -> Page[Item]:
    return network_page(ctx, principal, lambda u: u.items, page, member_id=member_id)


def get_item(ctx: ServiceContext, principal: Principal, item_id: int) -> Item:
    return network_get(ctx, principal, lambda u: u.items, item_id, "item")


def _item_violations(fields: ItemFields) -> list[Violation]:
    f = fields
    return item_violations(f.sku, f.unit, f.unit_value, "item", f.weight_kg, f.volume_m3)


def add_item(ctx: ServiceContext, principal: Principal, fields: ItemFields) -> Item:
    principal.require(Scope.NETWORK_WRITE)
    raise_if(_item_violations(fields), "invalid item")
    with ctx.uow() as uow:
        item = uow.items.add(
            Item(
                0,
                principal.network_id,
                principal.member_id,
                fields.sku.strip(),
                fields.name,
                fields.unit,
                fields.unit_value,
                fields.family,
                fields.weight_kg,
                fields.volume_m3,
            )
        )
        uow.commit()
    return item


def update_item(
    ctx: ServiceContext, principal: Principal, item_id: int, fields: ItemFields
) -> Item:
    principal.require(Scope.NETWORK_WRITE)
    raise_if(_item_violations(fields), "invalid item")
    with ctx.uow() as uow:
        current = in_network(uow.items.get(item_id), principal.network_id, "item", item_id)
        principal.require_owner(current.member_id, "item")
        item = replace(
            current,
            sku=fields.sku.strip(),
            name=fields.name,
            unit=fields.unit,
            unit_value=fields.unit_value,
            family=fields.family,
            weight_kg=fields.weight_kg,
            volume_m3=fields.volume_m3,
        )
        uow.items.update(item)
        uow.commit()
    return item


def delete_item(ctx: ServiceContext, principal: Principal, item_id: int) -> None:
    principal.require(Scope.NETWORK_WRITE)
    with ctx.uow() as uow:
        item = in_network(uow.items.get(item_id), principal.network_id, "item", item_id)
        principal.require_owner(item.member_id, "item")
        uses = (
            uow.item_sites.count(item_id=item_id)
            + uow.bom_lines.count(parent_item_id=item_id)
            + uow.bom_lines.count(component_item_id=item_id)
            + uow.lanes.count(item_id=item_id)
            + uow.demand.count(item_id=item_id)
            + uow.forecasts.count(item_id=item_id)
        )
        if uses:
            raise InUse(f"item {item.sku} is still used by {uses} rows")
        uow.items.delete(item_id)
        uow.commit()
