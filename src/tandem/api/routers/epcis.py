"""GS1 EPCIS 2.0 events of your shipments, as an ``EPCISDocument`` (JSON-LD)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from tandem.api.deps import Caller, Services
from tandem.api.schemas.common import Id
from tandem.domain.epcis import BizStep, EventType
from tandem.services import epcis

router = APIRouter(prefix="/epcis", tags=["epcis"])

MEDIA_TYPE = "application/ld+json"


class JsonLdResponse(JSONResponse):
    media_type = MEDIA_TYPE


DOCUMENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An EPCIS 2.0 EPCISDocument",
        "content": {MEDIA_TYPE: {"schema": {"type": "object"}}},
    }
}


@router.get("/events", name="query_epcis_events", response_class=JsonLdResponse, responses=DOCUMENT)
def query_epcis_events(
    services: Services,
    caller: Caller,
    event_type: Annotated[EventType | None, Query(alias="eventType")] = None,
    biz_step: Annotated[BizStep | None, Query(alias="bizStep")] = None,
    since: Annotated[datetime | None, Query(alias="GE_eventTime")] = None,
    until: Annotated[datetime | None, Query(alias="LT_eventTime")] = None,
    shipment_id: Annotated[Id | None, Query()] = None,
) -> JsonLdResponse:
    """Events of the shipments you sent or received, oldest first; the filters are those of
    the EPCIS 2.0 query interface (a time without zone is UTC)."""
    document = epcis.epcis_document(
        services, caller, shipment_id, biz_step, event_type, since, until
    )
    return JsonLdResponse(document)
