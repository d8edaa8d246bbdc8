"""Grants of read access to partners, and the audit log of their reads."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.sharing import AuditEntryOut, GrantDirection, GrantIn, GrantOut
from tandem.services import sharing

router = APIRouter(tags=["sharing"])


@router.post("/grants", name="grant_access", status_code=201)
def grant_access(
    services: Services, caller: Caller, body: GrantIn, request: Request, response: Response
) -> GrantOut:
    """Let a partner read one category of your data, optionally narrowed and until an expiry."""
    grant = sharing.grant_access(services, caller, body.command())
    created(request, response, "get_grant", grant_id=grant.id)
    return GrantOut.of(grant, services.clock.now())


@router.get("/grants", name="list_grants")
def list_grants(
    services: Services,
    caller: Caller,
    page: Paging,
    direction: GrantDirection = GrantDirection.GIVEN,
) -> PageOut[GrantOut]:
    found = sharing.list_grants(services, caller, direction.value, page)
    now = services.clock.now()
    rows = [GrantOut.of(grant, now) for grant in found.items]
    return PageOut[GrantOut].from_rows(rows, found.total, found.offset, found.limit)


@router.get("/grants/{grant_id}", name="get_grant")
def get_grant(services: Services, caller: Caller, grant_id: Id) -> GrantOut:
    return GrantOut.of(sharing.get_grant(services, caller, grant_id), services.clock.now())


@router.post("/grants/{grant_id}/revoke", name="revoke_grant")
def revoke_grant(services: Services, caller: Caller, grant_id: Id) -> GrantOut:
    """Revoke a grant you gave; the partner's reads stop at once."""
    return GrantOut.of(sharing.revoke_grant(services, caller, grant_id), services.clock.now())


@router.get("/audit-log", name="read_audit_log")
def read_audit_log(services: Services, caller: Caller, page: Paging) -> PageOut[AuditEntryOut]:
    """Every read of your data by a partner: who, what, when, through which grant."""
    return PageOut[AuditEntryOut].of(sharing.read_audit_log(services, caller, page))
