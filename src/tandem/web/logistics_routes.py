"""Logistics planning pages: a depot's routes of a day on a map (/logistics/routes) and the
load planner (/logistics/plan). Both call the same services as ``POST /api/v1/logistics/...``.

The map reuses the network map's Web-Mercator viewport and country backdrop
(:mod:`tandem.web.map`, :mod:`tandem.web.basemap`): one polyline per route in its own colour
from the depot through its drops and back, the drops numbered in driving order.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.errors import TandemError
from tandem.domain.network import Site
from tandem.services import network
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.services.logistics.planning import plan_loads
from tandem.services.logistics.route_reads import DayRoutes, day_routes
from tandem.services.logistics.routes import plan_routes, site_id_of
from tandem.web.basemap import countries_path
from tandem.web.core import Viewer, Web, web_route_class
from tandem.web.map import Viewport, fit

ROUTE_COLOURS = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777")


@dataclass(frozen=True)
class MapStop:
    number: int
    code: str
    x: float
    y: float


@dataclass(frozen=True)
class MapRoute:
    number: str
    colour: str
    points: str
    stops: tuple[MapStop, ...]


@dataclass(frozen=True)
class RoutesMap:
    width: int
    height: int
    viewport: Viewport
    depot_x: float
    depot_y: float
    routes: tuple[MapRoute, ...]


def build_routes_map(found: DayRoutes, width: int = 960, height: int = 540) -> RoutesMap:
    """Pixel positions of the depot and of every route's drops, one colour per route."""
    depot = (found.depot.latitude, found.depot.longitude)
    points = [depot] + [(s.latitude, s.longitude) for r in found.routes for s in r.stops]
    viewport = fit(points, width, height, min_span_degrees=0.05)
    dx, dy = viewport.pixel(*depot)
    routes = []
    for index, route in enumerate(found.routes):
        stops = tuple(
            MapStop(s.sequence, s.code, *map(_round, viewport.pixel(s.latitude, s.longitude)))
            for s in route.stops
        )
        path = [(dx, dy), *((s.x, s.y) for s in stops), (dx, dy)]
        routes.append(
            MapRoute(
                route.number,
                ROUTE_COLOURS[index % len(ROUTE_COLOURS)],
                " ".join(f"{x:.1f},{y:.1f}" for x, y in path),
                stops,
            )
        )
    return RoutesMap(width, height, viewport, _round(dx), _round(dy), tuple(routes))


def _round(value: float) -> float:
    return round(value, 1)


def clock(minute: int | None) -> str:
    return "—" if minute is None else f"{minute // 60:02d}:{minute % 60:02d}"


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    def own_sites(viewer: Viewer) -> list[Site]:
        page = network.list_sites(
            web.services, viewer.principal, PageRequest(0, MAX_PAGE), member_id=viewer.member_id
        )
        return sorted(page.items, key=lambda s: s.code)

    def today() -> date:
        return web.services.clock.now().date()

    @router.get("/logistics/routes", response_class=HTMLResponse)
    def routes_page(
        request: Request, viewer: SignedIn, depot: str = "", day: date | None = None
    ) -> HTMLResponse:
        when = day or today()
        context: dict[str, Any] = {"found": None, "map": None, "land": ""}
        if depot:
            site_id = site_id_of(web.services, viewer.principal, depot)
            found = day_routes(web.services, viewer.principal, site_id, when)
            view = build_routes_map(found)
            context = {"found": found, "map": view, "land": countries_path(view.viewport)}
        return web.render(
            request, "logistics_routes.html", viewer, nav="logistics", sub="routes",
            sites=own_sites(viewer), depot=depot, day=when, clock=clock, **context,
        )  # fmt: skip

    @router.post("/logistics/routes", dependencies=checked)
    def plan_routes_form(
        viewer: SignedIn, depot: Annotated[str, Form()], day: Annotated[date, Form()]
    ) -> RedirectResponse:
        site_id = site_id_of(web.services, viewer.principal, depot)
        plan_routes(web.services, viewer.principal, site_id, day)
        return RedirectResponse(f"/logistics/routes?depot={depot}&day={day}", status_code=303)

    @router.get("/logistics/plan", response_class=HTMLResponse)
    def plan_page(request: Request, viewer: SignedIn) -> HTMLResponse:
        first = today()
        return web.render(
            request, "logistics_plan.html", viewer, nav="logistics", sub="plan", plan=None,
            from_day=first, to_day=first + timedelta(days=6), window_days=1, error=None,
        )  # fmt: skip

    @router.post("/logistics/plan", response_class=HTMLResponse, dependencies=checked)
    def plan_form(
        request: Request,
        viewer: SignedIn,
        from_day: Annotated[date, Form()],
        to_day: Annotated[date, Form()],
        window_days: Annotated[int, Form()] = 1,
    ) -> HTMLResponse:
        try:
            plan = plan_loads(web.services, viewer.principal, from_day, to_day, window_days)
            error = None
        except TandemError as failed:
            plan, error = None, failed
        return web.render(
            request, "logistics_plan.html", viewer, nav="logistics", sub="plan", plan=plan,
            from_day=from_day, to_day=to_day, window_days=window_days, error=error,
            status_code=200 if error is None else 422,
        )  # fmt: skip

    return router
