"""The production pages: resources and routings (list and forms), the resource load chart of a
planning run, the Gantt chart of the current schedule (with buttons to release the live plan's
production orders and to schedule them) and the capable-to-promise form.

Forms that change data post normally (CSRF token in a hidden field) and come back to the page;
the load chart and the promise form are plain GETs (they change nothing).
"""

# No ``from __future__ import annotations``: FastAPI resolves the routes' annotations, and the
# ``SignedIn`` alias is local to :func:`build_router`.
import math
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.errors import TandemError
from tandem.domain.planning_runs import RunStatus
from tandem.domain.production import ResourceKind, Routing, RoutingOperation
from tandem.services import planning, production
from tandem.services.context import PageRequest
from tandem.services.production import (
    CheckPromise,
    ReleaseOrders,
    ResourceSpec,
    RoutingSpec,
    ScheduleOrders,
)
from tandem.web.core import Viewer, Web, web_route_class
from tandem.web.flows import Fields, directory
from tandem.web.production_charts import gantt_chart, load_panels

ALL = PageRequest(0, 1000)
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _hours(fields: Fields, text: str, field: str, default: float = 0.0) -> float:
    if not text.strip():
        return default
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        fields.fail(field, f"{text.strip()!r} is not a number >= 0")
        return default
    return value


def _dates(fields: Fields, text: str) -> tuple[date, ...]:
    days = [fields.day(part, "non_working_dates") for part in text.replace(";", ",").split(",")
            if part.strip()]  # fmt: skip
    return tuple(d for d in days if d is not None)


def _resource_spec(form: dict[str, str], weekdays: list[str]) -> ResourceSpec:
    fields = Fields("resource")
    site = fields.identifier(form["site_id"], "site_id", "choose a site")
    kind = ResourceKind.LINE if form["kind"] == "line" else ResourceKind.WORK_CENTRE
    spec = ResourceSpec(
        site or 0, form["code"].strip(), form["name"].strip() or form["code"].strip(), kind,
        _hours(fields, form["hours_per_day"], "hours_per_day", 8.0),
        tuple(int(d) for d in weekdays if d.isdigit()), _dates(fields, form["non_working"]),
        _hours(fields, form["max_overtime"], "max_overtime_hours_per_day"),
        _hours(fields, form["overtime_cost"], "overtime_cost_per_hour"),
        default_changeover_hours=_hours(fields, form["changeover"], "default_changeover_hours"),
    )  # fmt: skip
    fields.raise_if_any("Check the resource")
    return spec


def _routing_spec(form: dict[str, str]) -> RoutingSpec:
    fields = Fields("routing")
    item = fields.identifier(form["item_id"], "item_id", "choose an item")
    resource = fields.identifier(form["resource_id"], "resource_id", "choose a resource")
    site = fields.identifier(form["site_id"], "site_id", "choose a site")
    setup = _hours(fields, form["setup_hours"], "setup_hours")
    run = _hours(fields, form["run_hours"], "run_hours_per_unit")
    fields.raise_if_any("Check the routing")
    op = RoutingOperation(resource or 0, setup, run)
    return RoutingSpec(item or 0, site or 0, (op,), form["family"].strip())


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    @router.get("/production", response_class=HTMLResponse)
    def production_home() -> Response:
        return RedirectResponse("/production/resources", status_code=303)

    @router.get("/production/resources", response_class=HTMLResponse)
    def resources_page(request: Request, viewer: SignedIn) -> HTMLResponse:
        ctx, who = web.services, viewer.principal
        return web.render(
            request, "production_resources.html", viewer, nav="production",
            d=directory(web, viewer),
            resources=production.list_resources(ctx, who, ALL).items,
            routings=production.list_routings(ctx, who, ALL).items,
            weekdays=list(enumerate(WEEKDAY_NAMES)),
        )  # fmt: skip

    @router.post("/production/resources", dependencies=checked)
    def create_resource(
        viewer: SignedIn,
        site_id: Annotated[str, Form()] = "",
        code: Annotated[str, Form(max_length=64)] = "",
        name: Annotated[str, Form(max_length=200)] = "",
        kind: Annotated[str, Form()] = "",
        hours_per_day: Annotated[str, Form()] = "",
        weekdays: Annotated[list[str] | None, Form()] = None,
        non_working: Annotated[str, Form(max_length=4000)] = "",
        max_overtime: Annotated[str, Form()] = "",
        overtime_cost: Annotated[str, Form()] = "",
        changeover: Annotated[str, Form()] = "",
    ) -> Response:
        form = {k: v for k, v in locals().items() if isinstance(v, str)}
        spec = _resource_spec(form, weekdays or [])
        production.create_resource(web.services, viewer.principal, spec)
        return RedirectResponse("/production/resources", status_code=303)

    @router.post("/production/resources/{resource_id}/delete", dependencies=checked)
    def delete_resource(viewer: SignedIn, resource_id: int) -> Response:
        production.delete_resource(web.services, viewer.principal, resource_id)
        return RedirectResponse("/production/resources", status_code=303)

    @router.post("/production/routings", dependencies=checked)
    def create_routing(
        viewer: SignedIn,
        item_id: Annotated[str, Form()] = "",
        site_id: Annotated[str, Form()] = "",
        resource_id: Annotated[str, Form()] = "",
        setup_hours: Annotated[str, Form()] = "",
        run_hours: Annotated[str, Form()] = "",
        family: Annotated[str, Form(max_length=64)] = "",
    ) -> Response:
        form = {k: v for k, v in locals().items() if isinstance(v, str)}
        production.create_routing(web.services, viewer.principal, _routing_spec(form))
        return RedirectResponse("/production/resources", status_code=303)

    @router.post("/production/routings/{routing_id}/delete", dependencies=checked)
    def delete_routing(viewer: SignedIn, routing_id: int) -> Response:
        production.delete_routing(web.services, viewer.principal, routing_id)
        return RedirectResponse("/production/resources", status_code=303)

    @router.get("/production/load", response_class=HTMLResponse)
    def load_page(
        request: Request, viewer: SignedIn, run: Annotated[str, Query()] = ""
    ) -> HTMLResponse:
        ctx, who = web.services, viewer.principal
        runs = planning.list_runs(ctx, who, PageRequest(0, 50), status=RunStatus.SUCCEEDED).items
        chosen = int(run) if run.isdigit() else (runs[0].id if runs else None)
        load, error = None, None
        if chosen is not None:
            try:
                load = production.resource_load(ctx, who, chosen)
            except TandemError as problem:
                error = problem
        return web.render(
            request, "production_load.html", viewer, nav="production", runs=runs,
            chosen=chosen, load=load, error=error, panels=load_panels(load) if load else (),
        )  # fmt: skip

    @router.get("/production/schedule", response_class=HTMLResponse)
    def schedule_page(request: Request, viewer: SignedIn) -> HTMLResponse:
        ctx, who = web.services, viewer.principal
        view = production.current_schedule(ctx, who)
        released = production.list_production_orders(ctx, who, ALL).items
        return web.render(
            request, "production_schedule.html", viewer, nav="production",
            d=directory(web, viewer), view=view, chart=gantt_chart(view) if view else None,
            released=[o for o in released if o.status.value == "released"],
        )  # fmt: skip

    @router.post("/production/orders/release", dependencies=checked)
    def release(viewer: SignedIn) -> Response:
        production.release_orders(web.services, viewer.principal, ReleaseOrders())
        return RedirectResponse("/production/schedule", status_code=303)

    @router.post("/production/schedule", dependencies=checked)
    def schedule(viewer: SignedIn) -> Response:
        production.schedule_released(web.services, viewer.principal, ScheduleOrders())
        return RedirectResponse("/production/schedule", status_code=303)

    @router.get("/production/ctp", response_class=HTMLResponse)
    def ctp_page(
        request: Request,
        viewer: SignedIn,
        routing: Annotated[str, Query()] = "",
        quantity: Annotated[str, Query()] = "",
        requested: Annotated[str, Query()] = "",
        line: Annotated[str, Query()] = "",
    ) -> HTMLResponse:
        ctx, who = web.services, viewer.principal
        routings = production.list_routings(ctx, who, ALL).items
        query = {"routing": routing, "quantity": quantity, "requested": requested, "line": line}
        promise, error = None, None
        if line.strip() or routing.strip():
            try:
                promise = production.check_promise(ctx, who, _promise(query, routings))
            except TandemError as problem:
                error = problem
        return web.render(
            request, "production_ctp.html", viewer, nav="production", d=directory(web, viewer),
            routings=routings, query=query, promise=promise, error=error,
        )  # fmt: skip

    return router


def _promise(query: dict[str, str], routings: tuple[Routing, ...]) -> CheckPromise:
    fields = Fields("ctp")
    if query["line"].strip():
        line = fields.identifier(query["line"], "line", "a customer order line id")
        fields.raise_if_any("Check the promise request")
        return CheckPromise(customer_order_line_id=line)
    chosen = fields.identifier(query["routing"], "routing", "choose an item")
    found = [r for r in routings if r.id == chosen]
    quantity = _hours(fields, query["quantity"], "quantity")
    day = fields.day(query["requested"], "requested")
    if not found:
        fields.fail("routing", "choose an item you make")
    if quantity <= 0:
        fields.fail("quantity", "must be > 0")
    fields.raise_if_any("Check the promise request")
    routing = found[0]
    return CheckPromise(item_id=routing.item_id, site_id=routing.site_id, quantity=quantity,
                        requested_date=day)  # fmt: skip
