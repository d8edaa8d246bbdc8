"""The device pages: the smart machines the viewer may see with their activity, and one device's
live telemetry (its latest records and the item consumption they stand for, refreshed by htmx
every few seconds), a daily consumption chart per item, and the customer feedback on it.

Devices, their records and their feedback are shared through ``demand_history`` grants: the
services return only what the viewer may read and audit partner reads; a device the viewer may
not see is the not-found page, exactly like one that does not exist.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from tandem.domain.signals import MAX_RATING, MIN_RATING, FeedbackSummary
from tandem.services import devices, feedback
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.services.devices import CONSUMPTION_DAYS, DailyConsumption
from tandem.web.core import Viewer, Web, web_route_class
from tandem.web.flows import directory

POLL_SECONDS = 5
RECENT_SIGNALS = 20
SPARK_WIDTH = 112.0
SPARK_HEIGHT = 24.0


@dataclass(frozen=True)
class ConsumptionLine:
    """One item's daily consumption over the chart window: totals and a sparkline."""

    item_id: int
    recorded: float
    from_recipes: float
    days: int  # days of the window with any consumption
    spark: str  # SVG polyline points, one per day of the window

    @property
    def total(self) -> float:
        return self.recorded + self.from_recipes


def consumption_lines(
    rows: Iterable[DailyConsumption], window_days: int = CONSUMPTION_DAYS
) -> tuple[date | None, list[ConsumptionLine]]:
    """Per item (in id order), its daily totals over the ``window_days`` days ending at the
    latest day any row has (so the chart does not depend on today's date)."""
    by_item: dict[int, dict[date, DailyConsumption]] = defaultdict(dict)
    for row in rows:
        by_item[row.consumption.item_id][row.day] = row
    if not by_item:
        return None, []
    end = max(max(days) for days in by_item.values())
    window = [end - timedelta(days=n) for n in range(window_days - 1, -1, -1)]
    lines = []
    for item_id, days in sorted(by_item.items()):
        shown = [days[d].consumption for d in window if d in days]
        daily = [days[d].consumption.total if d in days else 0.0 for d in window]
        lines.append(
            ConsumptionLine(
                item_id,
                sum(c.recorded for c in shown),
                sum(c.from_recipes for c in shown),
                len(shown),
                _spark(daily),
            )
        )
    return window[0], lines


def _spark(values: Sequence[float]) -> str:
    top = max(values, default=0.0) or 1.0
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    return " ".join(
        f"{i * step:.1f},{SPARK_HEIGHT - 1 - v / top * (SPARK_HEIGHT - 2):.1f}"
        for i, v in enumerate(values)
    )


def mean_rating(summaries: Iterable[FeedbackSummary]) -> tuple[int, float | None]:
    """How many ratings there are in all and their mean, from the exact distributions."""
    counts = [0] * MAX_RATING
    for summary in summaries:
        for index, count in enumerate(summary.distribution):
            counts[index] += count
    total = sum(counts)
    if not total:
        return 0, None
    return total, sum((MIN_RATING + i) * c for i, c in enumerate(counts)) / total


def amount(value: float | None) -> str:
    """A consumed quantity to at most six decimals: ``0.10799999999999998`` → ``0.108``."""
    if value is None:
        return "—"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def stamp(value: datetime | None) -> str:
    """A moment to the second, in UTC."""
    return "—" if value is None else value.strftime("%Y-%m-%d %H:%M:%S UTC")


def lag(received: datetime, occurred: datetime) -> str:
    """How long after the event a record arrived: ``4 s``, ``12 min``, ``3 h 5 min``, ``2 d``."""
    seconds = int((received - occurred).total_seconds())
    if seconds < 0:
        return f"{-seconds} s early"
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        hours, minutes = divmod(seconds // 60, 60)
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{seconds // 86400} d"


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    web.env.filters.update(amount=amount, stamp=stamp)
    web.env.globals.update(lag=lag)

    def telemetry(viewer: Viewer, device_id: int) -> dict[str, Any]:
        ctx, principal = web.services, viewer.principal
        return {
            "telemetry": devices.device_telemetry(ctx, principal, device_id, RECENT_SIGNALS),
            "d": directory(web, viewer),
            "poll_seconds": POLL_SECONDS,
        }

    @router.get("/devices", response_class=HTMLResponse)
    def devices_page(
        request: Request,
        viewer: SignedIn,
        site_id: Annotated[int | None, Query()] = None,
    ) -> HTMLResponse:
        ctx, principal = web.services, viewer.principal
        found = devices.list_device_activity(ctx, principal, PageRequest(0, MAX_PAGE), site_id)
        return web.render(
            request,
            "devices.html",
            viewer,
            nav="devices",
            lines=found.items,
            d=directory(web, viewer),
            site_id=site_id,
        )

    @router.get("/devices/{device_id}", response_class=HTMLResponse)
    def device_page(request: Request, viewer: SignedIn, device_id: int) -> HTMLResponse:
        ctx, principal = web.services, viewer.principal
        live = telemetry(viewer, device_id)  # first: an unknown device is the 404 page
        start, lines = consumption_lines(
            devices.device_daily_consumption(ctx, principal, device_id)
        )
        summaries = feedback.summarise(ctx, principal, device_id=device_id)
        ratings, mean = mean_rating(summaries)
        return web.render(
            request,
            "device.html",
            viewer,
            nav="devices",
            device=live["telemetry"].device,
            daily=lines,
            window_start=start,
            window_days=CONSUMPTION_DAYS,
            summaries=summaries,
            ratings=ratings,
            mean=mean,
            is_own=live["telemetry"].device.member_id == viewer.member_id,
            **live,
        )

    @router.get("/devices/{device_id}/telemetry", response_class=HTMLResponse)
    def telemetry_panel(request: Request, viewer: SignedIn, device_id: int) -> HTMLResponse:
        """The telemetry panel alone: what the page's htmx poll swaps in."""
        return web.render(request, "_device_telemetry.html", viewer, **telemetry(viewer, device_id))

    return router
