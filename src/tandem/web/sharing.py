"""The sharing page: grants given (with revoke), grants received, the grant form and the audit
log of partners' reads of the viewer's data.

The grant form and the revoke buttons post through htmx and get the whole sharing panel back;
without JavaScript they post normally and are redirected back to the page.
"""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.errors import TandemError, ValidationFailed, Violation
from tandem.domain.sharing import DataCategory, Grant
from tandem.services import network, sharing
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.web.core import Viewer, Web, is_htmx, status_of, web_route_class

AUDIT_PAGE = 50
GRANT_PAGE = 200
GRANT_ERRORS = "#grant-errors"


def _ids(values: list[str], field: str, found: list[Violation]) -> frozenset[int] | None:
    """An empty selection means "not narrowed" (every item, every site)."""
    ids: set[int] = set()
    for value in values:
        if value.strip().isdigit():
            ids.add(int(value))
        elif value.strip():
            found.append(Violation("grant", f"{value!r} is not an id", field))
    return frozenset(ids) or None


def parse_grant(
    grantee: str,
    category: str,
    item_ids: list[str],
    site_ids: list[str],
    expires_at: str,
    note: str,
) -> sharing.GrantAccess:
    """The form's fields as the service's command; every problem reported at once."""
    found: list[Violation] = []
    if not grantee.strip().isdigit():
        found.append(Violation("grant", "choose the partner to share with", "grantee"))
    if category not in {c.value for c in DataCategory}:
        found.append(Violation("grant", "choose a data category", "category"))
    expiry: datetime | None = None
    if expires_at.strip():
        try:
            expiry = datetime.fromisoformat(expires_at.strip()).replace(tzinfo=UTC)
        except ValueError:
            found.append(Violation("grant", "is not a date and time", "expires_at"))
    items = _ids(item_ids, "item_ids", found)
    sites = _ids(site_ids, "site_ids", found)
    if found:
        raise ValidationFailed("; ".join(str(v) for v in found), violations=found)
    return sharing.GrantAccess(
        int(grantee), DataCategory(category), items, sites, expiry, note.strip()
    )


def _newest_audit(web: Web, viewer: Viewer) -> tuple[list[Any], int]:
    page = sharing.read_audit_log(web.services, viewer.principal, PageRequest(0, AUDIT_PAGE))
    return list(page.items), page.total


def _newest_first(grants: tuple[Grant, ...]) -> list[Grant]:
    return sorted(grants, key=lambda g: g.id, reverse=True)


def panel_context(web: Web, viewer: Viewer, flash: str = "") -> dict[str, Any]:
    ctx, principal = web.services, viewer.principal
    snapshot = network.network_map(ctx, principal)
    items = network.list_items(ctx, principal, PageRequest(0, MAX_PAGE)).items
    given = sharing.list_grants(ctx, principal, "given", PageRequest(0, GRANT_PAGE))
    received = sharing.list_grants(ctx, principal, "received", PageRequest(0, GRANT_PAGE))
    audit, audit_total = _newest_audit(web, viewer)
    return {
        "now": ctx.clock.now(),
        "members": {m.id: m for m in snapshot.members},
        "partners": sorted(
            (m for m in snapshot.members if m.id != viewer.member_id), key=lambda m: m.name
        ),
        "sites": {s.id: s for s in snapshot.sites},
        "own_sites": [s for s in snapshot.sites if s.member_id == viewer.member_id],
        "items": {i.id: i for i in items},
        "categories": list(DataCategory),
        "given": _newest_first(given.items),
        "received": _newest_first(received.items),
        "audit": audit,
        "audit_total": audit_total,
        "flash": flash,
    }


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    def panel(request: Request, viewer: Viewer, flash: str) -> Response:
        if not is_htmx(request):
            return RedirectResponse("/sharing", status_code=303)
        context = panel_context(web, viewer, flash)
        return web.render(request, "_sharing_panel.html", viewer, clear_flash=True, **context)

    @router.get("/sharing", response_class=HTMLResponse)
    def sharing_page(request: Request, viewer: SignedIn) -> HTMLResponse:
        context = panel_context(web, viewer)
        return web.render(request, "sharing.html", viewer, nav="sharing", error=None, **context)

    @router.post("/sharing/grants", dependencies=checked)
    def grant(
        request: Request,
        viewer: SignedIn,
        grantee: Annotated[str, Form()] = "",
        category: Annotated[str, Form()] = "",
        item_ids: Annotated[list[str] | None, Form()] = None,
        site_ids: Annotated[list[str] | None, Form()] = None,
        expires_at: Annotated[str, Form()] = "",
        note: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        try:
            command = parse_grant(
                grantee, category, item_ids or [], site_ids or [], expires_at, note
            )
            created = sharing.grant_access(web.services, viewer.principal, command)
        except TandemError as error:
            if is_htmx(request):
                return web.message(request, error, status_of(error), target=GRANT_ERRORS)
            context = panel_context(web, viewer)
            return web.render(
                request,
                "sharing.html",
                viewer,
                status_code=status_of(error),
                nav="sharing",
                error=error,
                **context,
            )
        category_name = created.category.value.replace("_", " ")
        return panel(request, viewer, f"Grant #{created.id} created: {category_name}.")

    @router.post("/sharing/grants/{grant_id}/revoke", dependencies=checked)
    def revoke(request: Request, viewer: SignedIn, grant_id: int) -> Response:
        revoked = sharing.revoke_grant(web.services, viewer.principal, grant_id)
        return panel(request, viewer, f"Grant #{revoked.id} revoked.")

    return router
