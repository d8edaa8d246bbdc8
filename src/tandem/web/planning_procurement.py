"""The procurement and shared-plan pages of planning.

* A run's requisitions, one per supplier: each planned purchase priced at the price break its
  quantity reaches after MOQ and multiple rounding (all-units discount, Silver, Pyke & Thomas,
  *Inventory and Production Management in Supply Chains*, 4th ed., 2017, section 4.6), with its
  order-by date; the chosen lines convert into draft purchase orders (CSRF form), and the page
  goes on to the new order.
* The shared plan: a supplier sees the live-plan purchases of every buyer that granted it
  ``production_plans``, by item and week, and commits capacity per item and week; the buyer
  sees its suppliers' commitments against its own live plan.
"""

# No ``from __future__ import annotations``: FastAPI resolves the routes' annotations, and the
# ``SignedIn`` alias is local to :func:`build_router`.
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.errors import NotFound
from tandem.domain.planning_runs import RunKind, RunStatus
from tandem.domain.sharing import DataCategory
from tandem.domain.sourcing import SupplierOffer
from tandem.services import planning, sharing, sourcing
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.services.planning import procurement, shared_plan
from tandem.web.core import Viewer, Web, web_route_class
from tandem.web.flows import Fields, directory, install_filters


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit()]


def offers_by_id(web: Web, viewer: Viewer) -> dict[int, SupplierOffer]:
    found = sourcing.list_offers(web.services, viewer.principal, PageRequest(0, MAX_PAGE))
    return {offer.id: offer for offer in found.items}


def granting_buyers(web: Web, viewer: Viewer) -> list[int]:
    """The members whose active ``production_plans`` grant names the viewer's member."""
    received = sharing.list_grants(
        web.services, viewer.principal, "received", PageRequest(0, MAX_PAGE)
    )
    now = web.services.clock.now()
    return sorted(
        {
            g.grantor_member_id
            for g in received.items
            if g.category is DataCategory.PRODUCTION_PLANS and g.is_active(now)
        }
    )


def shared_context(web: Web, viewer: Viewer) -> dict[str, Any]:
    plans = []
    for buyer in granting_buyers(web, viewer):
        try:
            plans.append(shared_plan.shared_plan(web.services, viewer.principal, buyer))
        except NotFound:  # the grant ended between the two reads
            continue
    own = shared_plan.commitments_against_plan(web.services, viewer.principal)
    return {"plans": plans, "own": own, "d": directory(web, viewer)}


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]
    install_filters(web)

    @router.get("/planning/runs/{run_id}/requisitions", response_class=HTMLResponse)
    def requisitions_page(
        request: Request,
        viewer: SignedIn,
        run_id: int,
        converted: Annotated[str, Query()] = "",
    ) -> HTMLResponse:
        run = planning.get_run(web.services, viewer.principal, run_id)
        found = procurement.requisitions(web.services, viewer.principal, run_id)
        return web.render(
            request, "planning_requisitions.html", viewer, nav="planning", run=run,
            requisitions=found, offers=offers_by_id(web, viewer), d=directory(web, viewer),
            convertible=run.kind is RunKind.LIVE and run.status is RunStatus.SUCCEEDED,
            converted=_ids(converted.split(",")),
        )  # fmt: skip

    @router.post("/planning/runs/{run_id}/requisitions/convert", dependencies=checked)
    def convert(
        viewer: SignedIn,
        run_id: int,
        supplier_member_id: Annotated[str, Form()] = "",
        planned_order_ids: Annotated[list[str] | None, Form()] = None,
    ) -> Response:
        fields = Fields("requisition")
        supplier = fields.identifier(supplier_member_id, "supplier_member_id", "choose a supplier")
        fields.raise_if_any("Check the requisition")
        chosen = _ids(planned_order_ids or [])
        done = procurement.convert_requisitions(
            web.services, viewer.principal, run_id, supplier, chosen
        )
        if len(done.purchase_order_ids) == 1:
            return RedirectResponse(f"/orders/{done.purchase_order_ids[0]}", status_code=303)
        ids = ",".join(map(str, done.purchase_order_ids))
        target = f"/planning/runs/{run_id}/requisitions?converted={ids}"
        return RedirectResponse(target, status_code=303)

    @router.get("/planning/shared", response_class=HTMLResponse)
    def shared_page(request: Request, viewer: SignedIn) -> HTMLResponse:
        context = shared_context(web, viewer)
        return web.render(
            request, "planning_shared.html", viewer, nav="planning", tab="shared", **context
        )

    @router.post("/planning/shared/commitments", dependencies=checked)
    def commit(
        viewer: SignedIn,
        buyer_member_id: Annotated[str, Form()] = "",
        item_id: Annotated[str, Form()] = "",
        week_start: Annotated[str, Form()] = "",
        quantity: Annotated[str, Form()] = "",
        note: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        fields = Fields("commitment")
        buyer = fields.identifier(buyer_member_id, "buyer_member_id", "choose a buyer")
        item = fields.identifier(item_id, "item_id", "choose an item")
        week = fields.day(week_start, "week_start")
        amount = fields.quantity(quantity, "quantity")
        fields.raise_if_any("Check the commitment")
        assert week is not None and amount is not None
        command = shared_plan.CommitCapacity(buyer, item, week, float(amount), note.strip())
        shared_plan.commit_capacity(web.services, viewer.principal, command)
        return RedirectResponse(f"/planning/shared#buyer-{buyer}", status_code=303)

    return router
