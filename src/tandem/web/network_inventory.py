"""The network's coordinated inventory page: the stage graph coloured by safety-stock value with
each stage's outbound service time and net lead time, policies (a)/(b)/(c) side by side with each
member's change, the landed cost per end point and member, the fair shares, and a form that puts
the optimum to the vote (it lands on the proposal's page).

When nothing the viewer may see has demand (no forecast, no demand history: a new network, or
partners that have not shared yet) the page keeps its form and explains what the plan needs
instead of showing an error.
"""

# No ``from __future__ import annotations``: FastAPI resolves the routes' annotations.
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.planning.meio import Policy
from tandem.services import inventory_plan
from tandem.services.inventory_plan import InventoryPlan, NoDemandStages, PlanRequest
from tandem.web.core import Viewer, Web, web_route_class

COLUMN, ROW, NODE_W, NODE_H, MARGIN = 200, 70, 160, 48, 20
POLICY_NAMES = {
    Policy.BUFFER_EVERYWHERE: "(a) each member buffers everything",
    Policy.PUSH_TO_CUSTOMER: "(b) stock pushed to the customer",
    Policy.OPTIMAL: "(c) network optimum",
}


@dataclass(frozen=True)
class Node:
    id: int
    x: int
    y: int
    fill: str
    title: str
    detail: str


@dataclass(frozen=True)
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int


def _fill(share: float) -> str:
    """White to deep teal as the stage's share of the largest safety-stock value grows."""
    return f"hsl(186, 60%, {round(96 - 58 * share)}%)"


def layout(plan: InventoryPlan) -> tuple[list[Node], list[Edge], int, int]:
    """Stages in columns by depth (left → right), rows in stage order within a column."""
    rows: dict[int, int] = {}
    spot: dict[int, tuple[int, int]] = {}
    for s in plan.stages:
        row = rows.get(s.depth, 0)
        rows[s.depth] = row + 1
        spot[s.item_site_id] = (MARGIN + s.depth * COLUMN, MARGIN + row * ROW)
    top = max((s.safety_stock_value for s in plan.stages), default=0.0) or 1.0
    nodes = [
        Node(
            s.item_site_id,
            *spot[s.item_site_id],
            _fill(s.safety_stock_value / top),
            f"{s.item} @ {s.site}",
            f"S={s.outbound_service_time} · net {s.net_lead_time:g} d",
        )
        for s in plan.stages
    ]
    edges = [
        Edge(
            spot[a.upstream][0] + NODE_W,
            spot[a.upstream][1] + NODE_H // 2,
            spot[a.downstream][0],
            spot[a.downstream][1] + NODE_H // 2,
        )
        for a in plan.arcs
    ]
    width = MARGIN * 2 + max(rows, default=0) * COLUMN + NODE_W
    height = MARGIN * 2 + max(rows.values(), default=1) * ROW
    return nodes, edges, width, height


def page_context(plan: InventoryPlan) -> dict[str, Any]:
    nodes, edges, width, height = layout(plan)
    return {
        "plan": plan,
        "nodes": nodes,
        "edges": edges,
        "width": width,
        "height": height,
        "node_w": NODE_W,
        "node_h": NODE_H,
        "policy_names": POLICY_NAMES,
        "policies": list(Policy),
        "end_points": [line.item_site_id for line in plan.landed_costs],
        "names": {s.item_site_id: f"{s.item} @ {s.site}" for s in plan.stages},
    }


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    @router.get("/coordination/network", response_class=HTMLResponse)
    def network_inventory_page(
        request: Request,
        viewer: SignedIn,
        service_level: Annotated[float, Query(gt=0, lt=1)] = 0.95,
    ) -> HTMLResponse:
        try:
            plan = inventory_plan.plan_inventory(
                web.services, viewer.principal, PlanRequest(service_level)
            )
        except NoDemandStages as nothing:  # a normal "nothing yet", not an error
            context: dict[str, Any] = {"plan": None, "missing": nothing.detail}
        else:
            context = page_context(plan)
        return web.render(
            request,
            "network_inventory.html",
            viewer,
            nav="coordination",
            service_level=service_level,
            **context,
        )

    @router.post("/coordination/network/proposals", dependencies=checked)
    def propose(
        viewer: SignedIn,
        service_level: Annotated[float, Form(gt=0, lt=1)] = 0.95,
        title: Annotated[str, Form(min_length=1, max_length=200)] = "Network inventory plan",
    ) -> Response:
        proposal = inventory_plan.propose(
            web.services, viewer.principal, PlanRequest(service_level), title
        )
        return RedirectResponse(f"/coordination/proposals/{proposal.id}", status_code=303)

    return router
