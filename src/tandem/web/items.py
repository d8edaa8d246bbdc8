"""The item catalogue and one item's page: its bill of materials and where it is stocked.

Bills of materials and stocking points are member-owned: a partner's appear only through a grant
(categories ``bills_of_materials`` and ``planning_parameters``).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from tandem.services import bom, network, stocking
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.web.core import Viewer, Web, web_route_class

PAGE_SIZE = 50


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)

    @router.get("/items", response_class=HTMLResponse)
    def items_page(
        request: Request,
        viewer: SignedIn,
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
        member_id: Annotated[int | None, Query()] = None,
    ) -> HTMLResponse:
        ctx, principal = web.services, viewer.principal
        members = network.list_members(ctx, principal, PageRequest(0, MAX_PAGE))
        found = network.list_items(
            ctx, principal, PageRequest((page - 1) * PAGE_SIZE, PAGE_SIZE), member_id=member_id
        )
        return web.render(
            request,
            "items.html",
            viewer,
            nav="items",
            items=found,
            members={m.id: m for m in members.items},
            member_id=member_id,
            page=page,
            pages=max(1, -(-found.total // PAGE_SIZE)),
        )

    @router.get("/items/{item_id}", response_class=HTMLResponse)
    def item_page(request: Request, viewer: SignedIn, item_id: int) -> HTMLResponse:
        ctx, principal = web.services, viewer.principal
        item = network.get_item(ctx, principal, item_id)
        owner = network.get_member(ctx, principal, item.member_id)
        lines = bom.list_bom_lines(ctx, principal, PageRequest(0, MAX_PAGE), parent_item_id=item_id)
        components = {
            c: network.get_item(ctx, principal, c)
            for c in sorted({line.component_item_id for line in lines.items})
        }
        stocked = stocking.list_item_sites(
            ctx, principal, PageRequest(0, MAX_PAGE), item_id=item_id
        )
        sites = {s.id: s for s in network.network_map(ctx, principal).sites}
        return web.render(
            request,
            "item.html",
            viewer,
            nav="items",
            item=item,
            owner=owner,
            lines=lines.items,
            components=components,
            stocked=stocked.items,
            sites=sites,
            is_own=item.member_id == viewer.member_id,
        )

    return router
