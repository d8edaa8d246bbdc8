"""Geometry of the production charts (server-side SVG): the resource load bars and the Gantt.

Pure functions from the services' results to shapes in pixels; the templates only draw them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tandem.services.production import ResourceLoad, ScheduleView
from tandem.services.production.load import ResourceLoadRow

__all__ = ["GanttChart", "LoadPanel", "gantt_chart", "load_panels"]

LOAD_WIDTH, LOAD_HEIGHT, LOAD_TOP, LOAD_BOTTOM = 720, 180, 12, 28
GANTT_WIDTH, GANTT_LABEL, ROW_HEIGHT, GANTT_TOP = 960, 130, 40, 26
PALETTE = ("#2f6f9f", "#c0842d", "#4f8f4a", "#8a5a9e", "#b5523b", "#3d8c8c", "#7a7a2e")
_EPS = 1e-9


@dataclass(frozen=True)
class LoadBar:
    bucket: date
    load: float
    capacity: float
    overloaded: bool
    x: float
    width: float
    y: float
    height: float
    capacity_y: float


@dataclass(frozen=True)
class LoadPanel:
    row: ResourceLoadRow
    bars: tuple[LoadBar, ...]
    scale_max: float
    width: int = LOAD_WIDTH
    height: int = LOAD_HEIGHT
    baseline: int = LOAD_HEIGHT - LOAD_BOTTOM


def _panel(row: ResourceLoadRow, buckets: tuple[date, ...]) -> LoadPanel:
    top = max([*row.load, *row.capacity, 1.0]) * 1.1
    plot = LOAD_HEIGHT - LOAD_TOP - LOAD_BOTTOM
    step = LOAD_WIDTH / max(len(buckets), 1)

    def y(hours: float) -> float:
        return round(LOAD_TOP + plot * (1 - hours / top), 2)

    bars = tuple(
        LoadBar(
            day, load, capacity, load > capacity + _EPS, round(k * step + step * 0.15, 2),
            round(step * 0.7, 2), y(load), round(plot * load / top, 2), y(capacity),
        )
        for k, (day, load, capacity) in enumerate(zip(buckets, row.load, row.capacity,
                                                        strict=True))
    )  # fmt: skip
    return LoadPanel(row, bars, round(top, 2))


def load_panels(load: ResourceLoad) -> tuple[LoadPanel, ...]:
    """One bar chart per resource: load per bucket against its capacity line."""
    return tuple(_panel(row, load.buckets) for row in load.resources)


@dataclass(frozen=True)
class GanttShape:
    production_order_id: int
    operation_no: int
    sku: str
    family: str
    colour: str
    start_at: str
    end_at: str
    start_minute: int
    end_minute: int
    setup_minutes: int
    tardy: bool
    x: float
    width: float
    setup_x: float
    setup_width: float
    y: float
    due_x: float


@dataclass(frozen=True)
class GanttRow:
    code: str
    name: str
    y: float
    shapes: tuple[GanttShape, ...]


@dataclass(frozen=True)
class GanttChart:
    rows: tuple[GanttRow, ...]
    days: tuple[tuple[date, float], ...]
    families: tuple[tuple[str, str], ...]
    width: int
    height: int
    label_width: int = GANTT_LABEL
    row_height: int = ROW_HEIGHT


def gantt_chart(view: ScheduleView) -> GanttChart:
    """One row per resource, a bar per operation (setups before it hatched), day gridlines,
    the order's due date as a marker on its bars' row."""
    span = max([b.end_minute for b in view.bars] + [view.schedule.day_minutes, 1])
    scale = (GANTT_WIDTH - GANTT_LABEL - 10) / span
    due = {o.production_order_id: o.due_minute for o in view.schedule.orders}
    families = sorted({b.family for b in view.bars})
    colour = {f: PALETTE[k % len(PALETTE)] for k, f in enumerate(families)}

    def x(minute: float) -> float:
        return round(GANTT_LABEL + minute * scale, 2)

    rows = []
    for k, resource in enumerate(view.resources):
        top = GANTT_TOP + k * ROW_HEIGHT
        shapes = tuple(
            GanttShape(
                b.production_order_id, b.operation_no, b.sku, b.family, colour[b.family],
                b.start_at.isoformat(), b.end_at.isoformat(), b.start_minute, b.end_minute,
                b.setup_minutes, b.tardy, x(b.start_minute),
                round((b.end_minute - b.start_minute) * scale, 2),
                x(b.start_minute - b.setup_minutes), round(b.setup_minutes * scale, 2), top + 6,
                x(min(due.get(b.production_order_id, 0), span)),
            )
            for b in view.bars
            if b.resource_id == resource.id
        )  # fmt: skip
        rows.append(GanttRow(resource.code, resource.name, top, shapes))
    days = tuple((day, x(k * view.schedule.day_minutes)) for k, day in enumerate(view.days))
    height = GANTT_TOP + len(rows) * ROW_HEIGHT + 8
    return GanttChart(tuple(rows), days, tuple(colour.items()), GANTT_WIDTH, height)
