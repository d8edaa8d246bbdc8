"""Planning runs: one MRP run of a member as a stored object, its results and what-if scenarios.

A :class:`PlanningRun` is queued by a request, executed by a worker (status, progress and a
message along the way) and keeps its results: planned orders, the time-phased record of every
item-site, exception messages and one-level pegs. A member's *live plan* is its latest
succeeded live run; a what-if run nets the same data changed by a scenario (a list of
:data:`ScenarioDelta`) and never replaces the live plan. Records follow Vollmann, Berry,
Whybark & Jacobs, *Manufacturing Planning and Control for Supply Chain Management* (5th ed.,
2005), ch. 6; full pegging follows the APICS Dictionary's *full pegging*.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tandem.domain.scenarios import (
    DELTA_FIELDS,
    DemandScale,
    LeadTimeShift,
    SafetyStockChange,
    parse_deltas,
)

__all__ = [
    "MAX_HORIZON_BUCKETS",
    "MRP_DELTA_FIELDS",
    "RECORD_ROWS",
    "CapacityCommitment",
    "DemandScale",
    "LeadTimeShift",
    "PlanBucket",
    "PlannedOrderRow",
    "PlanningException",
    "PlanningItemSite",
    "PlanningPeg",
    "PlanningRun",
    "PlanningRunInput",
    "RunKind",
    "RunMode",
    "RunStatus",
    "SafetyStockChange",
    "ScenarioDelta",
    "end_pegging",
    "parse_scenario",
]

MAX_HORIZON_BUCKETS = 366
RECORD_ROWS = (
    "gross_requirements",
    "scheduled_receipts",
    "projected_available",
    "net_requirements",
    "planned_receipts",
    "planned_releases",
    "safety_stock",
)


class RunKind(StrEnum):
    LIVE = "live"
    WHAT_IF = "what_if"


class RunMode(StrEnum):
    """How a run plans: every item-site afresh, or only what changed since the live plan
    (Orlicky 1975: regeneration versus net change; both give the same plan)."""

    REGENERATION = "regeneration"
    NET_CHANGE = "net_change"


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class PlanBucket(StrEnum):
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True)
class PlanningRun:
    """One MRP run of ``member_id`` as of ``as_of`` over ``horizon_buckets`` buckets.

    ``scenario`` holds the deltas as given (JSON objects); ``worker_pid`` is the process that
    executed it; ``request_key`` makes a retried request return the same run; ``calendar``
    names the working calendar the run netted with (set when it executes). ``mode`` is how it
    was asked to plan; ``replanned_item_sites`` how many item-sites it netted (all of them in
    a regeneration, or when a net change had to fall back to one; set when it succeeds).
    """

    id: int
    network_id: int
    member_id: int
    kind: RunKind
    status: RunStatus
    as_of: date
    horizon_buckets: int
    bucket: PlanBucket
    scenario: list[dict[str, Any]]
    created_at: datetime
    progress: float = 0.0
    message: str = ""
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str = ""
    worker_pid: int | None = None
    request_key: str | None = None
    created_by_user_id: int | None = None
    calendar: str = ""
    mode: RunMode = RunMode.REGENERATION
    replanned_item_sites: int | None = None


@dataclass(frozen=True)
class PlanningRunInput:
    """The engine input a succeeded run netted, serialised (zlib-compressed JSON, see
    :mod:`tandem.services.planning.problem_codec`): what a later net-change run diffs against."""

    id: int
    run_id: int
    problem: bytes


@dataclass(frozen=True)
class PlanningItemSite:
    """The time-phased record of one item-site in one run: ``record`` maps each row of
    :data:`RECORD_ROWS` to one value per bucket."""

    id: int
    run_id: int
    owner_member_id: int
    item_id: int
    site_id: int
    supply_kind: str
    low_level_code: int
    record: dict[str, list[float]]
    past_due_release: float = 0.0


@dataclass(frozen=True)
class PlannedOrderRow:
    """A planned order of one run. ``ref`` is the engine's id (``SKU@SITE#n``);
    ``supplier_member_id`` names the supplier of a purchase, ``from_site_id`` the source of a
    transfer; ``purchase_order_id`` is set once a buyer converted it."""

    id: int
    run_id: int
    owner_member_id: int
    ref: str
    item_id: int
    site_id: int
    kind: str
    release_date: date
    due_date: date
    quantity: float
    release_quantity: float
    release_past_due: bool = False
    supplier_member_id: int | None = None
    from_site_id: int | None = None
    purchase_order_id: int | None = None


@dataclass(frozen=True)
class PlanningException:
    id: int
    run_id: int
    owner_member_id: int
    code: str
    item_id: int
    site_id: int
    day: date
    message: str
    supply_ref: str | None = None


@dataclass(frozen=True)
class PlanningPeg:
    """``quantity`` of supply ``supply_ref`` serves end demand ``demand_ref`` or the parent
    planned order ``parent_ref`` (enabling ``parent_quantity`` of it), or neither."""

    id: int
    run_id: int
    supply_ref: str
    quantity: float
    demand_ref: str | None = None
    parent_ref: str | None = None
    parent_quantity: float = 0.0


@dataclass(frozen=True)
class CapacityCommitment:
    """What a supplier commits to supply a buyer of one item in the week from ``week_start``."""

    id: int
    network_id: int
    buyer_member_id: int
    supplier_member_id: int
    item_id: int
    week_start: date
    quantity: float
    committed_at: datetime
    note: str = ""
    committed_by_user_id: int | None = None


def end_pegging(pegs: Mapping[str, Sequence[PlanningPeg]], supply_ref: str) -> dict[str, float]:
    """The end demands a supply serves through every level, merged by demand (``""``: none).

    Each parent order's share is split over the parent's own end demands in proportion, exactly
    as :meth:`tandem.planning.mrp.MRPPlan.end_pegging` does on the engine's plan.
    """
    memo: dict[str, dict[str, float]] = {}

    def walk(ref: str) -> dict[str, float]:
        if ref in memo:
            return memo[ref]
        totals: dict[str, float] = {}
        for peg in pegs.get(ref, ()):
            if peg.parent_ref is None:
                key = peg.demand_ref or ""
                totals[key] = totals.get(key, 0.0) + peg.quantity
                continue
            parent = walk(peg.parent_ref)
            whole = sum(parent.values())
            for demand, quantity in parent.items():
                share = quantity / whole if whole else 0.0
                totals[demand] = totals.get(demand, 0.0) + peg.quantity * share
        memo[ref] = totals
        return totals

    return walk(supply_ref)


# ---------------------------------------------------------------- what-if scenarios

MRP_DELTA_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {  # required, optional
    "demand_scale": (frozenset({"factor"}), frozenset({"item", "site"})),
    "lead_time": (frozenset({"add_days"}), frozenset({"supplier", "item"})),
    "safety_stock": DELTA_FIELDS["safety_stock"],
}
"""The MRP what-if subset of the digital twin's delta format (:mod:`tandem.domain.scenarios`):
the same types and field names; time windows, lanes, capacities, outages, policies and sharing
are the twin's alone."""

ScenarioDelta = DemandScale | LeadTimeShift | SafetyStockChange


def parse_scenario(raw: object) -> tuple[ScenarioDelta, ...]:
    """Validate an MRP scenario given as JSON (a list of objects with a ``type``); raises
    :class:`ValidationFailed` naming every offending delta (``scenario[i]``) and field."""
    deltas = parse_deltas(raw, "scenario", MRP_DELTA_FIELDS)
    return tuple(
        d for d in deltas if isinstance(d, DemandScale | LeadTimeShift | SafetyStockChange)
    )
