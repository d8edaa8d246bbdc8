"""Items: materials, products, packaging."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.network import ItemIn, ItemOut
from tandem.services import network

router = APIRouter(prefix="/items", tags=["items"])


@router.get("", name="list_items")
def list_items(
    services: Services,
    caller: Caller,
    page: Paging,
    member_id: Annotated[Id | None, Query()] = None,
) -> PageOut[ItemOut]:
    return PageOut[ItemOut].of(network.list_items(services, caller, page, member_id))


@router.get("/{item_id}", name="get_item")
def get_item(services: Services, caller: Caller, item_id: Id) -> ItemOut:
    return ItemOut.model_validate(network.get_item(services, caller, item_id))


@router.post("", name="add_item", status_code=201)
def add_item(
    services: Services, caller: Caller, body: ItemIn, request: Request, response: Response
) -> ItemOut:
    item = network.add_item(services, caller, body.fields())
    created(request, response, "get_item", item_id=item.id)
    return ItemOut.model_validate(item)


@router.put("/{item_id}", name="update_item")
def update_item(services: Services, caller: Caller, item_id: Id, body: ItemIn) -> ItemOut:
    return ItemOut.model_validate(network.update_item(services, caller, item_id, body.fields()))


@router.delete("/{item_id}", name="delete_item", status_code=204)
def delete_item(services: Services, caller: Caller, item_id: Id) -> None:
    network.delete_item(services, caller, item_id)
