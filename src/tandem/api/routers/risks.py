"""The shared risk register: record, change and read supply risks under the sharing rules.

A partner's risk is listed only through an active ``risks`` grant covering every affected site;
reads of partners' risks are audited. Changes accept ``If-Match: <version>`` (quoted or not)
and are refused with 412 ``stale_version`` when the risk changed since.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.risks import (
    HeatMapCellOut,
    MitigationIn,
    RiskEventOut,
    RiskIn,
    RiskOut,
    StatusIn,
)
from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.risks import Risk, RiskBand, RiskCategory, RiskStatus, band_of, heat_map
from tandem.services import risks
from tandem.services.risks import RiskFilter

router = APIRouter(prefix="/risks", tags=["risks"])

IfMatch = Annotated[
    str | None, Header(alias="If-Match", description="The risk version the change is based on")
]


def expected_version(if_match: str | None) -> int | None:
    """The version of an ``If-Match`` header (``3``, ``"3"`` or ``W/"3"``)."""
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        violation = Violation("header", "must be a risk version", "If-Match")
        raise ValidationFailed("If-Match must be a risk version", violations=[violation])
    return int(text)


def _risk(response: Response, risk: Risk) -> RiskOut:
    response.headers["ETag"] = f'"{risk.version}"'
    return RiskOut.of(risk)


def _filter(
    status: Annotated[RiskStatus | None, Query()] = None,
    category: Annotated[RiskCategory | None, Query()] = None,
    band: Annotated[RiskBand | None, Query()] = None,
    site_id: Annotated[int | None, Query(ge=1)] = None,
    owner_member_id: Annotated[int | None, Query(ge=1)] = None,
) -> RiskFilter:
    return RiskFilter(status, category, band, site_id, owner_member_id)


@router.post("", name="create_risk", status_code=201)
def create_risk(
    services: Services, caller: Caller, body: RiskIn, request: Request, response: Response
) -> RiskOut:
    """Record a risk of the caller's member (open, version 1)."""
    risk = risks.create_risk(services, caller, body.fields())
    created(request, response, "get_risk", risk_id=risk.id)
    return _risk(response, risk)


@router.get("", name="list_risks")
def list_risks(
    services: Services,
    caller: Caller,
    page: Paging,
    status: Annotated[RiskStatus | None, Query()] = None,
    category: Annotated[RiskCategory | None, Query()] = None,
    band: Annotated[RiskBand | None, Query()] = None,
    site_id: Annotated[int | None, Query(ge=1)] = None,
    owner_member_id: Annotated[int | None, Query(ge=1)] = None,
) -> PageOut[RiskOut]:
    """Your risks and the partners' risks shared with you, by id."""
    wanted = _filter(status, category, band, site_id, owner_member_id)
    found = risks.list_risks(services, caller, page, wanted)
    return PageOut[RiskOut].from_rows(
        [RiskOut.of(r) for r in found.items], found.total, found.offset, found.limit
    )


@router.get("/heat-map", name="risk_heat_map")
def risk_heat_map(
    services: Services,
    caller: Caller,
    status: Annotated[RiskStatus | None, Query()] = None,
    category: Annotated[RiskCategory | None, Query()] = None,
    site_id: Annotated[int | None, Query(ge=1)] = None,
) -> list[HeatMapCellOut]:
    """Counts of the risks you may see per likelihood × impact cell (all 25 cells)."""
    wanted = _filter(status, category, None, site_id, None)
    counts = heat_map(risks.visible_risks(services, caller, wanted, "risks heat map"))
    return [
        HeatMapCellOut(likelihood=lk, impact=im, band=band_of(lk * im), count=n)
        for (lk, im), n in sorted(counts.items())
    ]


@router.get("/{risk_id}", name="get_risk")
def get_risk(services: Services, caller: Caller, risk_id: Id, response: Response) -> RiskOut:
    return _risk(response, risks.get_risk(services, caller, risk_id))


@router.put("/{risk_id}", name="update_risk")
def update_risk(
    services: Services,
    caller: Caller,
    risk_id: Id,
    body: RiskIn,
    response: Response,
    if_match: IfMatch = None,
) -> RiskOut:
    """The owner restates the risk; status and mitigations have their own routes."""
    version = expected_version(if_match)
    return _risk(response, risks.update_risk(services, caller, risk_id, body.fields(), version))


@router.post("/{risk_id}/status", name="change_risk_status")
def change_risk_status(
    services: Services,
    caller: Caller,
    risk_id: Id,
    body: StatusIn,
    response: Response,
    if_match: IfMatch = None,
) -> RiskOut:
    """Open, mitigating, accepted or closed (a closed risk may only be reopened)."""
    version = expected_version(if_match)
    risk = risks.change_status(services, caller, risk_id, body.status, version, body.note)
    return _risk(response, risk)


@router.post("/{risk_id}/mitigations", name="add_risk_mitigation")
def add_risk_mitigation(
    services: Services,
    caller: Caller,
    risk_id: Id,
    body: MitigationIn,
    response: Response,
    if_match: IfMatch = None,
) -> RiskOut:
    version = expected_version(if_match)
    risk = risks.add_mitigation(services, caller, risk_id, body.text, body.due_date, version)
    return _risk(response, risk)


@router.post("/{risk_id}/mitigations/{number}/complete", name="complete_risk_mitigation")
def complete_risk_mitigation(
    services: Services,
    caller: Caller,
    risk_id: Id,
    number: Annotated[int, Path(ge=1, le=1000)],
    response: Response,
    if_match: IfMatch = None,
) -> RiskOut:
    version = expected_version(if_match)
    return _risk(response, risks.finish_mitigation(services, caller, risk_id, number, version))


@router.get("/{risk_id}/history", name="risk_history")
def risk_history(services: Services, caller: Caller, risk_id: Id) -> list[RiskEventOut]:
    """Every change, oldest first."""
    return [RiskEventOut.model_validate(e) for e in risks.risk_history(services, caller, risk_id)]
