"""Stocking points: owned by the site's member, shared by ``planning_parameters`` grants."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tandem.api.deps import Caller, Paging, Services
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.stocking import ItemSiteIn, ItemSiteOut
from tandem.services import stocking

router = APIRouter(prefix="/item-sites", tags=["stocking points"])


@router.get("", name="list_item_sites")
def list_item_sites(
    services: Services,
    caller: Caller,
    page: Paging,
    item_id: Annotated[Id | None, Query()] = None,
    site_id: Annotated[Id | None, Query()] = None,
) -> PageOut[ItemSiteOut]:
    """Your stocking points and those partners granted you; partner reads are audited."""
    return PageOut[ItemSiteOut].of(
        stocking.list_item_sites(services, caller, page, item_id, site_id)
    )


@router.get("/{item_site_id}", name="get_item_site")
def get_item_site(services: Services, caller: Caller, item_site_id: Id) -> ItemSiteOut:
    return ItemSiteOut.model_validate(stocking.get_item_site(services, caller, item_site_id))


@router.put("", name="set_item_site")
def set_item_site(services: Services, caller: Caller, body: ItemSiteIn) -> ItemSiteOut:
    """Create the stocking point of an item at one of your sites, or replace its parameters."""
    point = stocking.set_item_site(
        services, caller, body.item_id, body.site_id, body.parameters.parameters()
    )
    return ItemSiteOut.model_validate(point)


@router.delete("/{item_site_id}", name="delete_item_site", status_code=204)
def delete_item_site(services: Services, caller: Caller, item_site_id: Id) -> None:
    stocking.delete_item_site(services, caller, item_site_id)
