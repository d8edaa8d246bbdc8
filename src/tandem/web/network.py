"""The network pages: the map with the member list, and one member's sites and items."""

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.services import network
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.web.basemap import countries_path
from tandem.web.core import Viewer, Web, is_htmx, web_route_class
from tandem.web.map import MapExtent, build_map


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)

    @router.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/network", status_code=303)

    @router.get("/network", response_class=HTMLResponse)
    def network_page(
        request: Request, viewer: SignedIn, extent: MapExtent | None = None
    ) -> HTMLResponse:
        snapshot = network.network_map(web.services, viewer.principal)
        view = build_map(snapshot, extent)
        context: dict[str, Any] = {"map": view, "land": countries_path(view.viewport)}
        if is_htmx(request) and not request.headers.get("HX-History-Restore-Request"):
            return web.render(request, "_map.html", viewer, **context)
        sites_of = Counter(s.member_id for s in snapshot.sites)
        return web.render(
            request,
            "network.html",
            viewer,
            nav="network",
            network=snapshot.network,
            members=sorted(snapshot.members, key=lambda m: m.name.lower()),
            sites_of=sites_of,
            site_count=len(snapshot.sites),
            lane_count=len(snapshot.lanes),
            **context,
        )

    @router.get("/members/{member_id}", response_class=HTMLResponse)
    def member_page(request: Request, viewer: SignedIn, member_id: int) -> HTMLResponse:
        member = network.get_member(web.services, viewer.principal, member_id)
        everything = PageRequest(0, MAX_PAGE)
        sites = network.list_sites(web.services, viewer.principal, everything, member_id=member_id)
        items = network.list_items(web.services, viewer.principal, everything, member_id=member_id)
        return web.render(
            request,
            "member.html",
            viewer,
            nav="network",
            member=member,
            sites=sites,
            items=items,
            is_own=member.id == viewer.member_id,
        )

    return router
