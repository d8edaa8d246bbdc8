"""What the planning pages show, worked out from a run's stored results: the time-phased grid
of one item-site (Vollmann, Berry, Whybark & Jacobs, *Manufacturing Planning and Control for
Supply Chain Management*, 5th ed., 2005, ch. 6: the MRP record, one row per quantity and one
column per time bucket), the item-site summary of a run, the pegging in words, and the start
form read into a :class:`tandem.services.planning.StartRun`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from tandem.domain.planning_runs import (
    PlanBucket,
    PlanningItemSite,
    PlanningPeg,
    PlanningRun,
    RunKind,
)
from tandem.services import planning
from tandem.web.flows import Fields

TOLERANCE = 1e-9
GRID_ROWS = (
    ("gross_requirements", "Gross requirements"),
    ("scheduled_receipts", "Scheduled receipts"),
    ("projected_available", "Projected available"),
    ("net_requirements", "Net requirements"),
    ("planned_receipts", "Planned receipts"),
    ("planned_releases", "Planned releases"),
    ("safety_stock", "Safety stock"),
)
UNPEGGED = "safety stock or lot-size remainder"


@dataclass(frozen=True)
class Column:
    """One time bucket: ``2026-W48`` (or the ISO day) starting on ``start``."""

    label: str
    start: date


@dataclass(frozen=True)
class Cell:
    value: float
    flag: str = ""  # "negative" or "below-safety" for projected available


@dataclass(frozen=True)
class GridRow:
    key: str
    title: str
    cells: tuple[Cell, ...]


def columns(run: PlanningRun) -> tuple[Column, ...]:
    calendar = planning.planning_calendar(run.as_of, run.horizon_buckets, run.bucket)
    return tuple(Column(calendar.label(i), calendar.starts[i]) for i in range(calendar.horizon))


def _flag(available: float, safety: float) -> str:
    if available < -TOLERANCE:
        return "negative"
    if available < safety - TOLERANCE:
        return "below-safety"
    return ""


def grid(record: PlanningItemSite) -> tuple[GridRow, ...]:
    """The record's rows; a projected available under zero or under the safety stock of its
    bucket is flagged."""
    values = record.record
    safety = values.get("safety_stock", [])
    rows = []
    for key, title in GRID_ROWS:
        row = values.get(key, [])
        if key == "projected_available":
            cells = tuple(
                Cell(v, _flag(v, safety[i] if i < len(safety) else 0.0)) for i, v in enumerate(row)
            )
        else:
            cells = tuple(Cell(v) for v in row)
        rows.append(GridRow(key, title, cells))
    return tuple(rows)


@dataclass(frozen=True)
class ItemSiteSummary:
    """One line of a run's item-site list."""

    record: PlanningItemSite
    gross: float
    planned: float
    lowest_available: float
    flagged: bool


def summary(record: PlanningItemSite) -> ItemSiteSummary:
    values = record.record
    available = values.get("projected_available", [])
    flagged = any(c.flag for row in grid(record) for c in row.cells)
    return ItemSiteSummary(
        record,
        round(sum(values.get("gross_requirements", [])), 6),
        round(sum(values.get("planned_receipts", [])), 6),
        min(available, default=0.0),
        flagged,
    )


def peg_use(peg: PlanningPeg) -> str:
    """What one one-level peg serves, in words."""
    if peg.parent_ref is not None:
        return f"parent order {peg.parent_ref}"
    if peg.demand_ref:
        return demand_kind(peg.demand_ref) + " " + peg.demand_ref
    return UNPEGGED


def demand_kind(ref: str) -> str:
    """End demands are forecasts (``forecast SKU@SITE 2026-W48``) or order lines."""
    if not ref:
        return "nothing"
    return "forecast" if ref.startswith("forecast ") else "order line"


def _choice(fields: Fields, enum: Any, text: str, field: str) -> Any:
    if text in {e.value for e in enum}:
        return enum(text)
    allowed = ", ".join(e.value for e in enum)
    fields.fail(field, f"choose one of {allowed}")
    return None


def _scenario(fields: Fields, text: str) -> tuple[dict[str, Any], ...]:
    if not text.strip():
        return ()
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        fields.fail("scenario", f"is not JSON ({error.msg}, line {error.lineno})", "scenario")
        return ()
    if not isinstance(value, list):
        fields.fail("scenario", "must be a JSON list of deltas", "scenario")
        return ()
    return tuple(value)  # each delta is checked by the service, one violation per field


def start_command(
    kind: str, horizon: str, bucket: str, as_of: str, scenario: str
) -> planning.StartRun:
    """The start form's fields as a command; every problem of the form at once."""
    fields = Fields("planning_run")
    chosen_kind = _choice(fields, RunKind, kind, "kind")
    chosen_bucket = _choice(fields, PlanBucket, bucket, "bucket")
    buckets = int(horizon.strip()) if horizon.strip().isdigit() else 0
    if not buckets:
        fields.fail("horizon_buckets", f"{horizon.strip()!r} is not a whole number above 0")
    day = fields.optional_day(as_of, "as_of")
    deltas = _scenario(fields, scenario)
    fields.raise_if_any("Check the planning run")
    return planning.StartRun(chosen_kind, buckets, chosen_bucket, deltas, day)
