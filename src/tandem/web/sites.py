"""The site page: details, lanes in and out, stocking points, the demand history summary with
its ISO-week series and outlier weeks, and the forecast section with the accuracy of past
forecasts.

Stocking points and demand history are member-owned: the services return only what the viewer
may read (its own rows, or a partner's rows through an active grant), so an empty answer for a
partner's site means "not shared with you".
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.errors import TandemError
from tandem.domain.identity import Principal
from tandem.domain.network import DemandPoint, Item
from tandem.domain.sharing import DataCategory
from tandem.services import demand, demand_series, forecasts, network, sharing, stocking
from tandem.services.context import MAX_PAGE, PageRequest, ServiceContext
from tandem.services.forecast_accuracy import SeriesAccuracy, forecast_accuracy
from tandem.web import forecasts as forecast_section
from tandem.web.core import Viewer, Web, is_htmx, status_of, web_route_class

WINDOW_DAYS = 28
SPARK_WIDTH = 112.0
SPARK_HEIGHT = 24.0


@dataclass(frozen=True)
class DemandLine:
    item_id: int
    days: int
    first_day: date
    last_day: date
    total: float
    recent_total: float
    recent_per_day: float
    spark: str  # SVG polyline points of the daily demand in the window


@dataclass(frozen=True)
class WeeklyLine:
    """One item's ISO-week series as a sparkline of per-day rates, outlier weeks marked."""

    weeks: int
    spark: str
    marks: tuple[tuple[float, float, str], ...]  # (x, y, tooltip) of each outlier week
    outliers: tuple[str, ...]  # their ISO weeks, e.g. "2026-W14"


@dataclass(frozen=True)
class DemandSummary:
    rows: int
    window_start: date | None
    window_end: date | None
    lines: tuple[DemandLine, ...]


def _spark_xy(values: Sequence[float]) -> list[tuple[float, float]]:
    top = max(values, default=0.0) or 1.0
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    return [
        (i * step, SPARK_HEIGHT - 1 - v / top * (SPARK_HEIGHT - 2)) for i, v in enumerate(values)
    ]


def _spark(values: Sequence[float]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in _spark_xy(values))


def weekly_lines(points: Iterable[DemandPoint]) -> dict[int, WeeklyLine]:
    """Per item: its ISO weeks (partial first/last weeks included, as per-day rates) with the
    weeks the Hampel rule flags (:mod:`tandem.services.demand_series`)."""
    by_item: dict[int, list[DemandPoint]] = defaultdict(list)
    for point in points:
        by_item[point.item_id].append(point)
    lines: dict[int, WeeklyLine] = {}
    for item_id, rows in sorted(by_item.items()):
        weeks = demand_series.bucketed(rows, "week").buckets
        xy = _spark_xy([b.per_day for b in weeks])
        flagged = [(at, b) for at, b in zip(xy, weeks, strict=True) if b.outlier]
        lines[item_id] = WeeklyLine(
            len(weeks),
            " ".join(f"{x:.1f},{y:.1f}" for x, y in xy),
            tuple((round(x, 1), round(y, 1), b.reason) for (x, y), b in flagged),
            tuple("{}-W{:02d}".format(*b.start.isocalendar()[:2]) for _, b in flagged),
        )
    return lines


def _accuracy(ctx: ServiceContext, principal: Principal, site_id: int) -> dict[int, SeriesAccuracy]:
    return {s.item_id: s for s in forecast_accuracy(ctx, principal, site_id=site_id).series}


def summarise_demand(
    points: Iterable[DemandPoint], window_days: int = WINDOW_DAYS
) -> DemandSummary:
    """Per item: whole-history totals and the last ``window_days`` days up to the latest day
    observed at the site (so the summary does not depend on today's date)."""
    by_item: dict[int, dict[date, float]] = defaultdict(dict)
    rows = 0
    for point in points:
        by_item[point.item_id][point.day] = point.quantity
        rows += 1
    if not by_item:
        return DemandSummary(0, None, None, ())
    end = max(max(days) for days in by_item.values())
    start = end - timedelta(days=window_days - 1)
    window = [start + timedelta(days=n) for n in range(window_days)]
    lines = []
    for item_id, days in sorted(by_item.items()):
        recent = [days.get(day, 0.0) for day in window]
        lines.append(
            DemandLine(
                item_id,
                len(days),
                min(days),
                max(days),
                sum(days.values()),
                sum(recent),
                sum(recent) / window_days,
                _spark(recent),
            )
        )
    return DemandSummary(rows, start, end, tuple(lines))


def _all_demand(ctx: ServiceContext, principal: Principal, site_id: int) -> list[DemandPoint]:
    rows: list[DemandPoint] = []
    offset = 0
    while True:
        page = demand.read_demand(ctx, principal, PageRequest(offset, MAX_PAGE), site_id=site_id)
        rows.extend(page.items)
        offset += MAX_PAGE
        if not page.items or offset >= page.total:
            return rows


def _items(ctx: ServiceContext, principal: Principal, ids: Iterable[int]) -> dict[int, Item]:
    return {i: network.get_item(ctx, principal, i) for i in sorted(set(ids))}


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    @router.get("/sites/{site_id}", response_class=HTMLResponse)
    def site_page(request: Request, viewer: SignedIn, site_id: int) -> HTMLResponse:
        ctx, principal = web.services, viewer.principal
        site = network.get_site(ctx, principal, site_id)
        snapshot = network.network_map(ctx, principal)
        sites = {s.id: s for s in snapshot.sites}
        members = {m.id: m for m in snapshot.members}
        lanes_out = [lane for lane in snapshot.lanes if lane.from_site_id == site_id]
        lanes_in = [lane for lane in snapshot.lanes if lane.to_site_id == site_id]
        points = stocking.list_item_sites(ctx, principal, PageRequest(0, MAX_PAGE), site_id=site_id)
        history = _all_demand(ctx, principal, site_id)
        summary = summarise_demand(history)
        forecast = forecast_section.section_context(ctx, principal, site, history)
        items = _items(
            ctx,
            principal,
            [
                *(p.item_id for p in points.items),
                *(line.item_id for line in summary.lines),
                *(c.item_id for c in forecast["forecast_charts"]),
                *(lane.item_id for lane in [*lanes_in, *lanes_out] if lane.item_id is not None),
            ],
        )
        is_own = site.member_id == viewer.member_id
        granted = {
            category: sharing.covers(ctx, principal, category, site.member_id, site_id)
            for category in (DataCategory.DEMAND_HISTORY, DataCategory.PLANNING_PARAMETERS)
        }
        return web.render(
            request,
            "site.html",
            viewer,
            nav="network",
            site=site,
            demand_granted=granted[DataCategory.DEMAND_HISTORY],
            stocking_granted=granted[DataCategory.PLANNING_PARAMETERS],
            owner=members[site.member_id],
            sites=sites,
            members=members,
            lanes_in=lanes_in,
            lanes_out=lanes_out,
            stocking_points=points.items,
            summary=summary,
            weekly=weekly_lines(history),
            items=items,
            is_own=is_own,
            window_days=WINDOW_DAYS,
            forecast_accuracy=_accuracy(ctx, principal, site_id),
            **forecast,
        )

    @router.post("/sites/{site_id}/forecast-runs", dependencies=checked)
    def run_forecast(request: Request, viewer: SignedIn, site_id: int) -> Response:
        """Forecast the owner's demand at this site and re-render the forecast section."""
        ctx, principal = web.services, viewer.principal
        site = network.get_site(ctx, principal, site_id)
        try:
            run = forecasts.run_forecasts(
                ctx, principal, forecast_section.RUN_HORIZON_DAYS, site_id=site.id
            )
        except TandemError as error:
            return web.message(request, error, status_of(error), target="#forecast-errors")
        if not is_htmx(request):
            return RedirectResponse(f"/sites/{site.id}#forecast", status_code=303)
        history = _all_demand(ctx, principal, site.id)
        flash = (
            f"Forecast {run.series} item(s), {run.points} days in all."
            if run.series
            else "No demand history at this site to forecast."
        )
        context = forecast_section.section_context(ctx, principal, site, history, flash)
        items = _items(ctx, principal, [c.item_id for c in context["forecast_charts"]])
        return web.render(
            request,
            "_forecast.html",
            viewer,
            site=site,
            is_own=site.member_id == viewer.member_id,
            owner=network.get_member(ctx, principal, site.member_id),
            items=items,
            forecast_accuracy=_accuracy(ctx, principal, site.id),
            **context,
        )

    return router
