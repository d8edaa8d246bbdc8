"""Transport lanes between two sites."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.network import LaneIn, LaneOut
from tandem.services import lanes

router = APIRouter(prefix="/lanes", tags=["lanes"])


@router.get("", name="list_lanes")
def list_lanes(
    services: Services,
    caller: Caller,
    page: Paging,
    from_site_id: Annotated[Id | None, Query()] = None,
    to_site_id: Annotated[Id | None, Query()] = None,
) -> PageOut[LaneOut]:
    return PageOut[LaneOut].of(lanes.list_lanes(services, caller, page, from_site_id, to_site_id))


@router.get("/{lane_id}", name="get_lane")
def get_lane(services: Services, caller: Caller, lane_id: Id) -> LaneOut:
    return LaneOut.model_validate(lanes.get_lane(services, caller, lane_id))


@router.post("", name="add_lane", status_code=201)
def add_lane(
    services: Services, caller: Caller, body: LaneIn, request: Request, response: Response
) -> LaneOut:
    lane = lanes.add_lane(services, caller, body.fields())
    created(request, response, "get_lane", lane_id=lane.id)
    return LaneOut.model_validate(lane)


@router.put("/{lane_id}", name="update_lane")
def update_lane(services: Services, caller: Caller, lane_id: Id, body: LaneIn) -> LaneOut:
    return LaneOut.model_validate(lanes.update_lane(services, caller, lane_id, body.fields()))


@router.delete("/{lane_id}", name="delete_lane", status_code=204)
def delete_lane(services: Services, caller: Caller, lane_id: Id) -> None:
    lanes.delete_lane(services, caller, lane_id)
