"""Stocking points (an item at a site) and their planning parameters.

Owned by the site's member; partners read them only with a ``planning_parameters`` grant.
"""

from __future__ import annotations

from dataclasses import replace

from tandem.domain.errors import NotFound, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import (
    ItemSite,
    PlanningParameters,
    planning_parameter_violations,
    raise_if,
)
from tandem.domain.sharing import DataCategory
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.sharing import read_one_scoped, read_scoped

FIELDS = ("item_id", "site_id")


def list_item_sites(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    item_id: int | None = None,
    site_id: int | None = None,
) -> Page[ItemSite]:
    filters = {k: v for k, v in (("item_id", item_id), ("site_id", site_id)) if v is not None}
    resource = "item-sites " + " ".join(f"{k}={v}" for k, v in filters.items())
    return read_scoped(
        ctx,
        principal,
        DataCategory.PLANNING_PARAMETERS,
        lambda u: u.item_sites,
        FIELDS,
        page,
        resource.strip(),
        **filters,
    )


def get_item_site(ctx: ServiceContext, principal: Principal, item_site_id: int) -> ItemSite:
    return read_one_scoped(
        ctx,
        principal,
        DataCategory.PLANNING_PARAMETERS,
        lambda u: u.item_sites,
        FIELDS,
        item_site_id,
        "item-site",
    )


def set_item_site(
    ctx: ServiceContext,
    principal: Principal,
    item_id: int,
    site_id: int,
    parameters: PlanningParameters,
) -> ItemSite:
    """Create the stocking point of ``item_id`` at ``site_id`` or replace its parameters."""
    principal.require(Scope.NETWORK_WRITE)
    found = planning_parameter_violations(parameters, "item-site")
    with ctx.uow() as uow:
        item = uow.items.get(item_id)
        site = uow.sites.get(site_id)
        if item is None or item.network_id != principal.network_id:
            found.append(Violation("item-site", f"item {item_id} does not exist", "item_id"))
        if site is None or site.network_id != principal.network_id:
            found.append(Violation("item-site", f"site {site_id} does not exist", "site_id"))
        raise_if(found, "invalid stocking point")
        assert site is not None
        principal.require_owner(site.member_id, "stocking point (its site)")
        existing = uow.item_sites.find(item_id=item_id, site_id=site_id)
        if existing:
            stocking_point = replace(existing[0], parameters=parameters)
            uow.item_sites.update(stocking_point)
        else:
            stocking_point = uow.item_sites.add(
                ItemSite(0, site.member_id, item_id, site_id, parameters)
            )
        uow.commit()
    return stocking_point


def delete_item_site(ctx: ServiceContext, principal: Principal, item_site_id: int) -> None:
    principal.require(Scope.NETWORK_WRITE)
    with ctx.uow() as uow:
        stocking_point = uow.item_sites.get(item_site_id)
        if stocking_point is None or stocking_point.owner_member_id != principal.member_id:
            raise NotFound(f"item-site {item_site_id} not found")
        uow.item_sites.delete(item_site_id)
        uow.commit()
