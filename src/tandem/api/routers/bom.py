"""Bills of materials: owned by the parent item's member, shared by ``bills_of_materials``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.bom import BomLineIn, BomLineOut
from tandem.api.schemas.common import Id, PageOut
from tandem.services import bom

router = APIRouter(prefix="/bom-lines", tags=["bills of materials"])


@router.get("", name="list_bom_lines")
def list_bom_lines(
    services: Services,
    caller: Caller,
    page: Paging,
    parent_item_id: Annotated[Id | None, Query()] = None,
) -> PageOut[BomLineOut]:
    """Your lines and the lines partners granted you; partner reads are audited."""
    return PageOut[BomLineOut].of(bom.list_bom_lines(services, caller, page, parent_item_id))


@router.get("/{line_id}", name="get_bom_line")
def get_bom_line(services: Services, caller: Caller, line_id: Id) -> BomLineOut:
    return BomLineOut.model_validate(bom.get_bom_line(services, caller, line_id))


@router.post("", name="add_bom_line", status_code=201)
def add_bom_line(
    services: Services, caller: Caller, body: BomLineIn, request: Request, response: Response
) -> BomLineOut:
    """Add a component to one of your items; a line closing a cycle is refused (bom_cycle)."""
    line = bom.add_bom_line(services, caller, body.fields())
    created(request, response, "get_bom_line", line_id=line.id)
    return BomLineOut.model_validate(line)


@router.delete("/{line_id}", name="delete_bom_line", status_code=204)
def delete_bom_line(services: Services, caller: Caller, line_id: Id) -> None:
    bom.delete_bom_line(services, caller, line_id)
