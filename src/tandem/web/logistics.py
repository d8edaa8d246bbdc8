"""The logistics pages: the shipper's loads with a tender form, the carrier's load board (open
tenders to accept or reject, carried loads with a status form) and the consignee's inbound
loads with their arrival estimate, late-risk badges and event timeline.

Times in the forms are UTC (``datetime-local`` fields carry no zone). The status form carries a
fresh message id, so a form sent twice records its report once.
"""

# No ``from __future__ import annotations``: FastAPI resolves the routes' annotations, and the
# ``SignedIn`` alias is local to :func:`build_router`.
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.logistics import LoadStatus, TenderStatus, TrackingStatus
from tandem.domain.network import MemberRole
from tandem.services.context import PageRequest
from tandem.services.logistics import inbound, loads, tenders, tracking
from tandem.services.logistics.loads import LoadRole
from tandem.web.core import Viewer, Web, web_route_class
from tandem.web.flows import Fields, directory

PAGE = PageRequest(0, 200)
TENDERABLE = frozenset({LoadStatus.PLANNED, LoadStatus.REJECTED})
CARRIED = frozenset({LoadStatus.ACCEPTED, LoadStatus.IN_TRANSIT})


def _utc(fields: Fields, text: str, field: str) -> datetime:
    """A ``datetime-local`` value read as UTC; a problem is noted when it is not one."""
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=UTC)
    except ValueError:
        fields.fail(field, "is not a time (YYYY-MM-DDTHH:MM)")
        return datetime.now(UTC)


def _hours(fields: Fields, text: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text.strip())
    except ValueError:
        fields.fail("delay_hours", f"{text.strip()!r} is not a number of hours")
        return None


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    @router.get("/logistics/loads", response_class=HTMLResponse)
    def loads_page(request: Request, viewer: SignedIn) -> HTMLResponse:
        mine = loads.list_loads(web.services, viewer.principal, PAGE, LoadRole.SHIPPER).items
        d = directory(web, viewer)
        carriers = [m for m in d.members.values() if MemberRole.CARRIER in m.roles]
        return web.render(
            request, "logistics_loads.html", viewer, nav="logistics", d=d, loads=mine,
            carriers=carriers, tenderable=TENDERABLE,
        )  # fmt: skip

    @router.post("/logistics/loads/{load_id}/tender", dependencies=checked)
    def tender_load(
        viewer: SignedIn,
        load_id: int,
        carrier: Annotated[str, Form()] = "",
        rate: Annotated[str, Form()] = "",
        respond_by: Annotated[str, Form()] = "",
    ) -> Response:
        fields = Fields("tender")
        carrier_id = fields.identifier(carrier, "carrier", "choose a carrier")
        rate_minor = fields.amount(rate, "rate")
        deadline = _utc(fields, respond_by, "respond_by")
        fields.raise_if_any("Check the tender")
        command = tenders.TenderLoad(load_id, carrier_id, rate_minor or 0, deadline)
        tenders.tender_load(web.services, viewer.principal, command)
        return RedirectResponse("/logistics/loads", status_code=303)

    @router.get("/logistics/board", response_class=HTMLResponse)
    def board_page(request: Request, viewer: SignedIn) -> HTMLResponse:
        p = viewer.principal
        open_ones = tenders.list_tenders(web.services, p, PAGE, status=TenderStatus.OPEN).items
        carried = [
            loads.get_load(web.services, p, x.id)
            for x in loads.list_loads(web.services, p, PAGE, LoadRole.CARRIER).items
            if x.status in CARRIED and x.carrier_member_id == p.member_id
        ]
        return web.render(
            request, "logistics_board.html", viewer, nav="logistics", d=directory(web, viewer),
            tenders=open_ones, carried=carried, statuses=list(TrackingStatus),
            message_id=uuid.uuid4().hex,
        )  # fmt: skip

    @router.post("/logistics/tenders/{tender_id}/accept", dependencies=checked)
    def accept(viewer: SignedIn, tender_id: int) -> Response:
        tenders.accept_tender(web.services, viewer.principal, tender_id)
        return RedirectResponse("/logistics/board", status_code=303)

    @router.post("/logistics/tenders/{tender_id}/reject", dependencies=checked)
    def reject(
        viewer: SignedIn, tender_id: int, reason: Annotated[str, Form(max_length=500)] = ""
    ) -> Response:
        tenders.reject_tender(web.services, viewer.principal, tender_id, reason)
        return RedirectResponse("/logistics/board", status_code=303)

    @router.post("/logistics/loads/{load_id}/events", dependencies=checked)
    def report(
        viewer: SignedIn,
        load_id: int,
        message_id: Annotated[str, Form(max_length=128)] = "",
        status: Annotated[str, Form()] = "",
        at: Annotated[str, Form()] = "",
        delay_hours: Annotated[str, Form()] = "",
        note: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        fields = Fields("event")
        if status not in {s.value for s in TrackingStatus}:
            fields.fail("status", "choose a status")
        when = _utc(fields, at, "at")
        delay = _hours(fields, delay_hours)
        fields.raise_if_any("Check the report")
        command = tracking.ReportStatus(
            load_id, message_id, TrackingStatus(status), when, delay_hours=delay, note=note
        )
        tracking.record_event(web.services, viewer.principal, command)
        return RedirectResponse("/logistics/board", status_code=303)

    @router.get("/logistics/inbound", response_class=HTMLResponse)
    def inbound_page(request: Request, viewer: SignedIn) -> HTMLResponse:
        p = viewer.principal
        rows = inbound.inbound(web.services, p, include_delivered=True)
        timelines = {x.load.id: loads.get_load(web.services, p, x.load.id).events for x in rows}
        return web.render(
            request, "logistics_inbound.html", viewer, nav="logistics", d=directory(web, viewer),
            rows=rows, alerts=[x for x in rows if x.late_risk and x.load.status is not
                               LoadStatus.DELIVERED], timelines=timelines,
        )  # fmt: skip

    return router
