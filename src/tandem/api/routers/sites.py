"""Sites: plants, warehouses, distribution centres, stores, devices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.network import SiteIn, SiteOut, SiteUpdate
from tandem.domain.network import SiteKind
from tandem.services import network

router = APIRouter(prefix="/sites", tags=["sites"])


@router.get("", name="list_sites")
def list_sites(
    services: Services,
    caller: Caller,
    page: Paging,
    member_id: Annotated[Id | None, Query()] = None,
    kind: SiteKind | None = None,
) -> PageOut[SiteOut]:
    return PageOut[SiteOut].of(network.list_sites(services, caller, page, member_id, kind))


@router.get("/{site_id}", name="get_site")
def get_site(services: Services, caller: Caller, site_id: Id) -> SiteOut:
    return SiteOut.model_validate(network.get_site(services, caller, site_id))


@router.post("", name="add_site", status_code=201)
def add_site(
    services: Services, caller: Caller, body: SiteIn, request: Request, response: Response
) -> SiteOut:
    site = network.add_site(services, caller, body.fields())
    created(request, response, "get_site", site_id=site.id)
    return SiteOut.model_validate(site)


@router.put("/{site_id}", name="update_site")
def update_site(services: Services, caller: Caller, site_id: Id, body: SiteUpdate) -> SiteOut:
    return SiteOut.model_validate(network.update_site(services, caller, site_id, body.fields()))


@router.delete("/{site_id}", name="delete_site", status_code=204)
def delete_site(services: Services, caller: Caller, site_id: Id) -> None:
    network.delete_site(services, caller, site_id)
