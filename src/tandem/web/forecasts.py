"""The forecast section of the site page: a small server-side SVG chart per item (the last 56
days of history, the forecast and its 80 % / 95 % bands) and, for the owner, the run form.

Forecasts are member-owned (category ``forecasts``): the service returns only what the viewer
may read, so an empty answer for a partner's site means "not shared with you" unless
:func:`tandem.services.sharing.covers` says a grant exists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tandem.domain.forecasts import ForecastPoint
from tandem.domain.identity import Principal
from tandem.domain.network import DemandPoint, Site
from tandem.domain.sharing import DataCategory
from tandem.services import forecasts, sharing
from tandem.services.context import MAX_PAGE, PageRequest, ServiceContext

HISTORY_DAYS = 56
RUN_HORIZON_DAYS = 28
CHART_WIDTH = 560.0
CHART_HEIGHT = 160.0
PAD = 4.0


@dataclass(frozen=True)
class ForecastChart:
    """One item's chart: SVG ``points`` strings in a ``CHART_WIDTH × CHART_HEIGHT`` box."""

    item_id: int
    model: str
    first_day: date
    last_day: date
    days: int
    total: float
    history: str
    forecast: str
    band_80: str
    band_95: str
    split_x: float
    top: float


class _Scale:
    def __init__(self, start: date, end: date, top: float) -> None:
        self.start = start
        self.span = max((end - start).days, 1)
        self.top = top or 1.0

    def x(self, day: date) -> float:
        return PAD + (day - self.start).days / self.span * (CHART_WIDTH - 2 * PAD)

    def y(self, value: float) -> float:
        return CHART_HEIGHT - PAD - value / self.top * (CHART_HEIGHT - 2 * PAD)

    def line(self, values: Iterable[tuple[date, float]]) -> str:
        return " ".join(f"{self.x(d):.1f},{self.y(v):.1f}" for d, v in values)

    def band(self, points: Sequence[ForecastPoint], lo: str, hi: str) -> str:
        known = [p for p in points if getattr(p, lo) is not None and getattr(p, hi) is not None]
        upper = [(p.day, float(getattr(p, hi))) for p in known]
        lower = [(p.day, float(getattr(p, lo))) for p in reversed(known)]
        return self.line([*upper, *lower])


def chart(
    item_id: int, points: Sequence[ForecastPoint], history: dict[date, float]
) -> ForecastChart:
    """The chart of one item's forecast and the ``HISTORY_DAYS`` days of history before it
    (a day without a record is zero demand)."""
    ordered = sorted(points, key=lambda p: p.day)
    first, last = ordered[0].day, ordered[-1].day
    start = first - timedelta(days=HISTORY_DAYS)
    past = [(start + timedelta(days=n), 0.0) for n in range(HISTORY_DAYS)]
    past = [(day, history.get(day, 0.0)) for day, _ in past]
    highs = [p.hi_95 if p.hi_95 is not None else p.forecast for p in ordered]
    top = max([*highs, *(p.forecast for p in ordered), *(v for _, v in past), 0.0]) * 1.05
    scale = _Scale(start, last, top)
    return ForecastChart(
        item_id,
        ordered[-1].model,
        first,
        last,
        len(ordered),
        sum(p.forecast for p in ordered),
        scale.line(past) if history else "",
        scale.line((p.day, p.forecast) for p in ordered),
        scale.band(ordered, "lo_80", "hi_80"),
        scale.band(ordered, "lo_95", "hi_95"),
        round(scale.x(first), 1),
        scale.top,
    )


def _all_forecasts(ctx: ServiceContext, principal: Principal, site_id: int) -> list[ForecastPoint]:
    rows: list[ForecastPoint] = []
    offset = 0
    while True:
        page = forecasts.read_forecasts(
            ctx, principal, PageRequest(offset, MAX_PAGE), site_id=site_id
        )
        rows.extend(page.items)
        offset += MAX_PAGE
        if not page.items or offset >= page.total:
            return rows


def charts(points: Iterable[ForecastPoint], demand: Iterable[DemandPoint]) -> list[ForecastChart]:
    by_item: dict[int, list[ForecastPoint]] = defaultdict(list)
    for point in points:
        by_item[point.item_id].append(point)
    history: dict[int, dict[date, float]] = defaultdict(dict)
    for observed in demand:
        history[observed.item_id][observed.day] = observed.quantity
    return [chart(item, rows, history[item]) for item, rows in sorted(by_item.items())]


def section_context(
    ctx: ServiceContext,
    principal: Principal,
    site: Site,
    demand: Iterable[DemandPoint],
    flash: str = "",
) -> dict[str, Any]:
    """What ``_forecast.html`` needs: the charts, whether forecasts are shared, the form."""
    return {
        "forecast_charts": charts(_all_forecasts(ctx, principal, site.id), demand),
        "forecast_granted": sharing.covers(
            ctx, principal, DataCategory.FORECASTS, site.member_id, site.id
        ),
        "forecast_flash": flash,
        "history_days": HISTORY_DAYS,
        "run_horizon_days": RUN_HORIZON_DAYS,
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
    }
