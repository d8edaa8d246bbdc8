"""The planning pages: the member's MRP runs (live and what-if) with a form to start one, a run
(summary, exception messages, item-sites, comparison with another run), the time-phased grid of
one item-site with its planned orders, and the pegging of a planned order (htmx drill-down).

A run is queued by the service and handed to the same worker pool as the API's (one pool per
application, kept on ``app.state``): the page never computes a plan. While a run is queued or
running its row and status card poll for progress (htmx ``every 1s``); the run's page reloads
itself when the run is done. Requisitions and the shared plan are in
:mod:`tandem.web.planning_procurement`.
"""

# No ``from __future__ import annotations``: FastAPI resolves the routes' annotations, and the
# ``SignedIn`` alias is local to :func:`build_router`.
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.adapters.planning_worker import PlanningWorkerPool
from tandem.domain.errors import ValidationFailed
from tandem.domain.planning_runs import PlanBucket, PlanningRun, RunKind, RunMode, RunStatus
from tandem.planning.mrp import ExceptionCode
from tandem.services import planning
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.services.planning.reads import run_item_site
from tandem.web import planning_calendar, planning_procurement
from tandem.web.core import Viewer, Web, is_htmx, web_route_class
from tandem.web.flows import directory
from tandem.web.planning_views import columns, demand_kind, grid, peg_use, start_command, summary

LIST_PAGE = 50
PENDING = (RunStatus.QUEUED, RunStatus.RUNNING)


def worker_pool(request: Request, workers: int) -> PlanningWorkerPool:
    """The application's planning worker pool, shared with the API (created on first use and
    shut down with the application's lifespan)."""
    state = request.app.state
    pool = getattr(state, "planning_pool", None)
    if not isinstance(pool, PlanningWorkerPool):
        pool = PlanningWorkerPool(workers)
        state.planning_pool = pool
    return pool


def live_run_id(web: Web, viewer: Viewer) -> int | None:
    found = planning.list_runs(
        web.services, viewer.principal, PageRequest(0, 1), RunKind.LIVE, RunStatus.SUCCEEDED
    ).items
    return found[0].id if found else None


def runs_context(web: Web, viewer: Viewer) -> dict[str, Any]:
    page = planning.list_runs(web.services, viewer.principal, PageRequest(0, LIST_PAGE))
    return {
        "runs": page.items,
        "total": page.total,
        "live_id": live_run_id(web, viewer),
        "polling": any(r.status in PENDING for r in page.items),
    }


def _comparison(web: Web, viewer: Viewer, run: PlanningRun, other: str) -> dict[str, Any]:
    if run.status is not RunStatus.SUCCEEDED:
        return {"others": [], "comparison": None, "other_id": None}
    done = planning.list_runs(
        web.services, viewer.principal, PageRequest(0, LIST_PAGE), status=RunStatus.SUCCEEDED
    ).items
    other_id = int(other) if other.isdigit() else None
    comparison = None
    if other_id is not None:
        comparison = planning.compare_runs(web.services, viewer.principal, run.id, other_id)
    others = [r for r in done if r.id != run.id]
    return {"others": others, "comparison": comparison, "other_id": other_id}


def run_context(web: Web, viewer: Viewer, run_id: int, code: str, other: str) -> dict[str, Any]:
    ctx, principal = web.services, viewer.principal
    run = planning.get_run(ctx, principal, run_id)
    chosen = code if code in {c.value for c in ExceptionCode} else None
    records = planning.run_records(ctx, principal, run_id, PageRequest(0, MAX_PAGE)).items
    exceptions = planning.run_exceptions(ctx, principal, run_id, PageRequest(0, MAX_PAGE), chosen)
    orders = planning.run_planned_orders(ctx, principal, run_id, PageRequest(0, 1)).total
    return {
        "run": run,
        "live_id": live_run_id(web, viewer),
        "d": directory(web, viewer),
        "item_sites": sorted(
            (summary(r) for r in records),
            key=lambda s: (s.record.low_level_code, s.record.item_id, s.record.site_id),
        ),
        "exceptions": exceptions.items,
        "exception_total": exceptions.total,
        "order_total": orders,
        "codes": list(ExceptionCode),
        "code": chosen or "",
        "polling": run.status in PENDING,
        **_comparison(web, viewer, run, other),
    }


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    @router.get("/planning", response_class=HTMLResponse)
    def planning_page(request: Request, viewer: SignedIn) -> HTMLResponse:
        return web.render(
            request, "planning.html", viewer, nav="planning", tab="runs",
            kinds=list(RunKind), buckets=list(PlanBucket), **runs_context(web, viewer),
            **planning_calendar.calendar_context(web, viewer),
        )  # fmt: skip

    @router.get("/planning/runs-table", response_class=HTMLResponse)
    def runs_table(request: Request, viewer: SignedIn) -> HTMLResponse:
        return web.render(request, "_planning_runs.html", viewer, **runs_context(web, viewer))

    @router.post("/planning/runs", dependencies=checked)
    def start(
        request: Request,
        viewer: SignedIn,
        kind: Annotated[str, Form()] = "live",
        horizon_buckets: Annotated[str, Form()] = "12",
        bucket: Annotated[str, Form()] = "week",
        as_of: Annotated[str, Form()] = "",
        scenario: Annotated[str, Form(max_length=20000)] = "",
        net_change: Annotated[str, Form()] = "",
    ) -> Response:
        try:
            command = start_command(kind, horizon_buckets, bucket, as_of, scenario)
            if net_change:
                command = replace(command, mode=RunMode.NET_CHANGE)
            run = planning.start_run(web.services, viewer.principal, command)
        except ValidationFailed as error:
            if not is_htmx(request):
                raise
            return web.render(
                request, "_planning_errors.html", viewer, status_code=422, error=error
            )
        if run.status is RunStatus.QUEUED:
            settings = web.settings
            worker_pool(request, settings.planning_workers).submit(settings.database_url, run.id)
        target = f"/planning/runs/{run.id}"
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @router.get("/planning/runs/{run_id}", response_class=HTMLResponse)
    def run_page(
        request: Request,
        viewer: SignedIn,
        run_id: int,
        code: Annotated[str, Query()] = "",
        compare: Annotated[str, Query()] = "",
    ) -> HTMLResponse:
        context = run_context(web, viewer, run_id, code, compare)
        return web.render(request, "planning_run.html", viewer, nav="planning", **context)

    @router.get("/planning/runs/{run_id}/status", response_class=HTMLResponse)
    def run_status(request: Request, viewer: SignedIn, run_id: int) -> HTMLResponse:
        run = planning.get_run(web.services, viewer.principal, run_id)
        done = run.status not in PENDING
        headers = {"HX-Refresh": "true"} if done and is_htmx(request) else None
        return web.render(
            request, "_planning_run_status.html", viewer, headers=headers, run=run,
            polling=not done, live_id=live_run_id(web, viewer),
        )  # fmt: skip

    @router.get("/planning/runs/{run_id}/item-sites/{record_id}", response_class=HTMLResponse)
    def grid_page(request: Request, viewer: SignedIn, run_id: int, record_id: int) -> HTMLResponse:
        run = planning.get_run(web.services, viewer.principal, run_id)
        result = run_item_site(web.services, viewer.principal, run_id, record_id)
        return web.render(
            request, "planning_grid.html", viewer, nav="planning", run=run, result=result,
            columns=columns(run), rows=grid(result.record), d=directory(web, viewer),
        )  # fmt: skip

    @router.get(
        "/planning/runs/{run_id}/planned-orders/{order_id}/pegging", response_class=HTMLResponse
    )
    def pegging(request: Request, viewer: SignedIn, run_id: int, order_id: int) -> HTMLResponse:
        found = planning.run_pegging(web.services, viewer.principal, run_id, order_id)
        template = "_planning_pegging.html" if is_htmx(request) else "planning_pegging.html"
        return web.render(
            request, template, viewer, nav="planning", run_id=run_id, pegging=found,
            peg_use=peg_use, demand_kind=demand_kind, d=directory(web, viewer),
        )  # fmt: skip

    router.include_router(planning_procurement.build_router(web))
    router.include_router(planning_calendar.build_router(web))
    return router
