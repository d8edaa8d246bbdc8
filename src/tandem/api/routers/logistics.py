"""Transport: vehicle types, loads, tenders to carrier members, tracking events, the
consignee's inbound loads and late-risk alerts, carrier scorecards (``docs/logistics.md``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.logistics import (
    CancelIn,
    CarrierScorecardOut,
    CarrierScorecardsOut,
    EventIn,
    EventOut,
    InboundListOut,
    InboundOut,
    LoadDetailOut,
    LoadIn,
    LoadOut,
    RecordedOut,
    RejectIn,
    TenderIn,
    TenderViewOut,
    VehicleTypeIn,
    VehicleTypeOut,
)
from tandem.domain.logistics import LoadStatus, TenderStatus
from tandem.services import performance
from tandem.services.logistics import inbound, loads, tenders, tracking, vehicles
from tandem.services.logistics.loads import LoadRole

router = APIRouter(tags=["logistics"])


@router.get("/vehicle-types", name="list_vehicle_types")
def list_vehicle_types(services: Services, caller: Caller, page: Paging) -> PageOut[VehicleTypeOut]:
    return PageOut[VehicleTypeOut].of(vehicles.list_vehicle_types(services, caller, page))


@router.post("/vehicle-types", name="add_vehicle_type", status_code=201)
def add_vehicle_type(services: Services, caller: Caller, body: VehicleTypeIn) -> VehicleTypeOut:
    """A vehicle type of your member, or network-wide (network administrators)."""
    return VehicleTypeOut.model_validate(vehicles.add_vehicle_type(services, caller, body.fields()))


@router.get("/loads", name="list_loads")
def list_loads(
    services: Services,
    caller: Caller,
    page: Paging,
    role: Annotated[LoadRole | None, Query(description="Omitted: any")] = None,
    status: Annotated[LoadStatus | None, Query()] = None,
) -> PageOut[LoadOut]:
    """Loads you ship, were tendered or receive, newest first."""
    return PageOut[LoadOut].of(loads.list_loads(services, caller, page, role, status))


@router.post("/loads", name="create_load", status_code=201)
def create_load(
    services: Services, caller: Caller, body: LoadIn, request: Request, response: Response
) -> LoadDetailOut:
    """A planned load of your goods: lines of your sales orders (or transfers) from one of your
    sites; weight and volume from the items' shipping attributes."""
    detail = loads.create_load(services, caller, body.command())
    created(request, response, "get_load", load_id=detail.load.id)
    return LoadDetailOut.of(detail)


@router.get("/loads/{load_id}", name="get_load")
def get_load(services: Services, caller: Caller, load_id: Id) -> LoadDetailOut:
    return LoadDetailOut.of(loads.get_load(services, caller, load_id))


@router.post("/loads/{load_id}/cancel", name="cancel_load")
def cancel_load(services: Services, caller: Caller, load_id: Id, body: CancelIn) -> LoadDetailOut:
    """Cancel a load not yet picked up (shipper); an open tender is withdrawn."""
    return LoadDetailOut.of(loads.cancel_load(services, caller, load_id, body.reason))


@router.post("/loads/{load_id}/tenders", name="tender_load", status_code=201)
def tender_load(services: Services, caller: Caller, load_id: Id, body: TenderIn) -> TenderViewOut:
    """Offer a planned or rejected load to a carrier member (shipper)."""
    return TenderViewOut.of(tenders.tender_load(services, caller, body.command(load_id)))


@router.get("/tenders", name="list_tenders")
def list_tenders(
    services: Services,
    caller: Caller,
    page: Paging,
    role: Annotated[LoadRole, Query(description="carrier: to you; shipper: from you")] = (
        LoadRole.CARRIER
    ),
    status: Annotated[TenderStatus | None, Query()] = None,
) -> PageOut[TenderViewOut]:
    """The load board: tenders to you (or from you), newest first."""
    found = tenders.list_tenders(services, caller, page, role, status)
    return PageOut[TenderViewOut].from_rows(
        [TenderViewOut.of(v) for v in found.items], found.total, found.offset, found.limit
    )


@router.post("/tenders/{tender_id}/accept", name="accept_tender")
def accept_tender(services: Services, caller: Caller, tender_id: Id) -> TenderViewOut:
    """Take the load (carrier). A tender no longer open is ``invalid_state_transition``, one
    past its respond-by ``tender_expired``."""
    return TenderViewOut.of(tenders.accept_tender(services, caller, tender_id))


@router.post("/tenders/{tender_id}/reject", name="reject_tender")
def reject_tender(
    services: Services, caller: Caller, tender_id: Id, body: RejectIn
) -> TenderViewOut:
    return TenderViewOut.of(tenders.reject_tender(services, caller, tender_id, body.reason))


@router.post("/tenders/{tender_id}/withdraw", name="withdraw_tender")
def withdraw_tender(services: Services, caller: Caller, tender_id: Id) -> TenderViewOut:
    return TenderViewOut.of(tenders.withdraw_tender(services, caller, tender_id))


@router.post("/loads/{load_id}/events", name="record_tracking_event", status_code=201)
def record_tracking_event(
    services: Services, caller: Caller, load_id: Id, body: EventIn, response: Response
) -> RecordedOut:
    """A status report on a load you carry (a person or key with data:write, or a device key
    with ingest). The same ``message_id`` again answers 200 with ``duplicate: true``."""
    recorded = tracking.record_event(services, caller, body.command(load_id))
    if recorded.duplicate:
        response.status_code = 200
    return RecordedOut.of(recorded)


@router.get("/loads/{load_id}/events", name="list_tracking_events")
def list_tracking_events(services: Services, caller: Caller, load_id: Id) -> list[EventOut]:
    """The load's reports in the order they happened."""
    return [EventOut.model_validate(e) for e in loads.get_load(services, caller, load_id).events]


@router.get("/inbound", name="list_inbound")
def list_inbound(
    services: Services,
    caller: Caller,
    include_delivered: Annotated[bool, Query()] = False,
) -> InboundListOut:
    """Loads bound for your sites with their expected arrival and late risk."""
    rows = inbound.inbound(services, caller, include_delivered)
    return InboundListOut(items=[InboundOut.of(x) for x in rows])


@router.get("/inbound/alerts", name="list_late_risk_alerts")
def list_late_risk_alerts(services: Services, caller: Caller) -> InboundListOut:
    """Inbound loads, not yet delivered, whose newest estimate is at risk of arriving late."""
    rows = inbound.late_risk_alerts(services, caller)
    return InboundListOut(items=[InboundOut.of(x) for x in rows])


@router.get("/performance/carrier-scorecards", name="list_carrier_scorecards")
def list_carrier_scorecards(
    services: Services,
    caller: Caller,
    since: Annotated[date, Query(description="First day of the period (UTC)")],
    until: Annotated[date, Query(description="Day after the period (exclusive)")],
) -> CarrierScorecardsOut:
    """Tender acceptance, on-time pick-up and delivery of each carrier you tendered to (or, as a
    carrier, of you for each shipper)."""
    cards = performance.carrier_scorecards(services, caller, since, until)
    return CarrierScorecardsOut(items=[CarrierScorecardOut.of(c) for c in cards])
