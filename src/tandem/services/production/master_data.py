"""Resources and routings of a member: create, replace, delete, read (its own only).

A resource belongs to one of the member's sites; a routing makes one of the network's items at
one of the member's sites on resources of that site (one routing per item and site).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tandem.domain.errors import InUse, NotFound, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import raise_if
from tandem.domain.production import (
    WEEKDAYS,
    Changeover,
    Resource,
    ResourceKind,
    Routing,
    RoutingOperation,
    check_resource,
    check_routing,
)
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.network import member_page
from tandem.services.ports import UnitOfWork

__all__ = [
    "ResourceSpec",
    "RoutingSpec",
    "create_resource",
    "create_routing",
    "delete_resource",
    "delete_routing",
    "get_resource",
    "get_routing",
    "list_resources",
    "list_routings",
    "update_resource",
    "update_routing",
]


@dataclass(frozen=True)
class ResourceSpec:
    """The fields of a resource a member sets."""

    site_id: int
    code: str
    name: str
    kind: ResourceKind = ResourceKind.WORK_CENTRE
    hours_per_day: float = 8.0
    working_weekdays: tuple[int, ...] = WEEKDAYS
    non_working_dates: tuple[date, ...] = ()
    max_overtime_hours_per_day: float = 0.0
    overtime_cost_per_hour: float = 0.0
    changeovers: tuple[Changeover, ...] = ()
    default_changeover_hours: float = 0.0


@dataclass(frozen=True)
class RoutingSpec:
    """The fields of a routing a member sets."""

    item_id: int
    site_id: int
    operations: tuple[RoutingOperation, ...]
    family: str = ""


def _own_site(uow: UnitOfWork, principal: Principal, site_id: int, where: str) -> list[Violation]:
    site = uow.sites.get(site_id)
    if site is None or site.network_id != principal.network_id:
        return [Violation(where, f"site {site_id} does not exist", "site_id")]
    if site.member_id != principal.member_id:
        return [Violation(where, f"site {site_id} is not one of your sites", "site_id")]
    return []


def _resource(spec: ResourceSpec, principal: Principal, resource_id: int = 0) -> Resource:
    return Resource(
        resource_id, principal.network_id, principal.member_id, spec.site_id, spec.code.strip(),
        spec.name, spec.kind, spec.hours_per_day, tuple(sorted(spec.working_weekdays)),
        tuple(sorted(set(spec.non_working_dates))), spec.max_overtime_hours_per_day,
        spec.overtime_cost_per_hour, spec.changeovers, spec.default_changeover_hours,
    )  # fmt: skip


def own_resource(uow: UnitOfWork, principal: Principal, resource_id: int) -> Resource:
    """The member's resource ``resource_id``; another member's reads as not found."""
    found = uow.resources.get(resource_id)
    if found is None or found.member_id != principal.member_id:
        raise NotFound(f"resource {resource_id} not found")
    return found


def own_routing(uow: UnitOfWork, principal: Principal, routing_id: int) -> Routing:
    found = uow.routings.get(routing_id)
    if found is None or found.member_id != principal.member_id:
        raise NotFound(f"routing {routing_id} not found")
    return found


def create_resource(ctx: ServiceContext, principal: Principal, spec: ResourceSpec) -> Resource:
    principal.require(Scope.NETWORK_WRITE)
    resource = _resource(spec, principal)
    check_resource(resource)
    with ctx.uow() as uow:
        raise_if(_own_site(uow, principal, spec.site_id, "resource"), "invalid resource")
        stored = uow.resources.add(resource)
        uow.commit()
    return stored


def update_resource(
    ctx: ServiceContext, principal: Principal, resource_id: int, spec: ResourceSpec
) -> Resource:
    """Replace every field of a resource (its site only while no routing uses it)."""
    principal.require(Scope.NETWORK_WRITE)
    resource = _resource(spec, principal, resource_id)
    check_resource(resource)
    with ctx.uow() as uow:
        current = own_resource(uow, principal, resource_id)
        found = _own_site(uow, principal, spec.site_id, "resource")
        if current.site_id != spec.site_id and _routings_using(uow, principal, resource_id):
            found.append(Violation("resource", "routings use it at its site", "site_id"))
        raise_if(found, "invalid resource")
        uow.resources.update(resource)
        uow.commit()
    return resource


def _routings_using(uow: UnitOfWork, principal: Principal, resource_id: int) -> list[Routing]:
    return [
        r
        for r in uow.routings.find(member_id=principal.member_id)
        if any(op.resource_id == resource_id for op in r.operations)
    ]


def delete_resource(ctx: ServiceContext, principal: Principal, resource_id: int) -> None:
    principal.require(Scope.NETWORK_WRITE)
    with ctx.uow() as uow:
        own_resource(uow, principal, resource_id)
        using = _routings_using(uow, principal, resource_id)
        if using or uow.scheduled_operations.count(resource_id=resource_id):
            raise InUse(f"resource {resource_id} is used by routings or a schedule")
        uow.resources.delete(resource_id)
        uow.commit()


def get_resource(ctx: ServiceContext, principal: Principal, resource_id: int) -> Resource:
    principal.require(Scope.NETWORK_READ)
    with ctx.uow() as uow:
        return own_resource(uow, principal, resource_id)


def list_resources(
    ctx: ServiceContext, principal: Principal, page: PageRequest, site_id: int | None = None
) -> Page[Resource]:
    """The member's resources, in id order."""
    return member_page(ctx, principal, lambda u: u.resources, page, site_id=site_id)


def _routing_violations(
    uow: UnitOfWork, principal: Principal, spec: RoutingSpec
) -> list[Violation]:
    found = _own_site(uow, principal, spec.site_id, "routing")
    item = uow.items.get(spec.item_id)
    if item is None or item.network_id != principal.network_id:
        found.append(Violation("routing", f"item {spec.item_id} does not exist", "item_id"))
    for k, op in enumerate(spec.operations):
        resource = uow.resources.get(op.resource_id)
        if resource is None or resource.member_id != principal.member_id:
            found.append(Violation(f"operations[{k}]", "unknown resource", "resource_id"))
        elif resource.site_id != spec.site_id:
            found.append(
                Violation(f"operations[{k}]", "resource is at another site", "resource_id")
            )
    return found


def _routing(spec: RoutingSpec, principal: Principal, routing_id: int = 0) -> Routing:
    return Routing(
        routing_id, principal.network_id, principal.member_id, spec.item_id, spec.site_id,
        tuple(spec.operations), spec.family.strip(),
    )  # fmt: skip


def create_routing(ctx: ServiceContext, principal: Principal, spec: RoutingSpec) -> Routing:
    principal.require(Scope.NETWORK_WRITE)
    routing = _routing(spec, principal)
    check_routing(routing)
    with ctx.uow() as uow:
        raise_if(_routing_violations(uow, principal, spec), "invalid routing")
        stored = uow.routings.add(routing)
        uow.commit()
    return stored


def update_routing(
    ctx: ServiceContext, principal: Principal, routing_id: int, spec: RoutingSpec
) -> Routing:
    principal.require(Scope.NETWORK_WRITE)
    routing = _routing(spec, principal, routing_id)
    check_routing(routing)
    with ctx.uow() as uow:
        own_routing(uow, principal, routing_id)
        raise_if(_routing_violations(uow, principal, spec), "invalid routing")
        uow.routings.update(routing)
        uow.commit()
    return routing


def delete_routing(ctx: ServiceContext, principal: Principal, routing_id: int) -> None:
    principal.require(Scope.NETWORK_WRITE)
    with ctx.uow() as uow:
        own_routing(uow, principal, routing_id)
        uow.routings.delete(routing_id)
        uow.commit()


def get_routing(ctx: ServiceContext, principal: Principal, routing_id: int) -> Routing:
    principal.require(Scope.NETWORK_READ)
    with ctx.uow() as uow:
        return own_routing(uow, principal, routing_id)


def list_routings(
    ctx: ServiceContext, principal: Principal, page: PageRequest, item_id: int | None = None
) -> Page[Routing]:
    """The member's routings, in id order."""
    return member_page(ctx, principal, lambda u: u.routings, page, item_id=item_id)
