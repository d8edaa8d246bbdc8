"""Production on the platform: resources with calendars, routings, production orders, schedules.

A :class:`Resource` is a work centre or a line of one member at one of its sites, working
``hours_per_day`` on the weekdays of its mask except listed non-working dates, with overtime up
to a limit per working day at a cost per hour, and optionally a changeover matrix between
product families (sequence-dependent setups). A :class:`Routing` is the ordered operations that
make one item at one site: each on one resource with a setup time per batch and a run time per
unit (rough-cut and capacity requirements planning data, Vollmann, Berry, Whybark & Jacobs,
*Manufacturing Planning and Control for Supply Chain Management*, 5th ed., 2005, ch. 6). A
:class:`ProductionOrder` is made from a run's planned production order by releasing it; a
:class:`ProductionSchedule` is the sequence CP-SAT gave the released orders, one
:class:`ScheduledOperation` per bar of the Gantt chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from tandem.domain.errors import Violation
from tandem.domain.network import raise_if

__all__ = [
    "Changeover",
    "OrderOutcomeRow",
    "ProductionOrder",
    "ProductionOrderStatus",
    "ProductionSchedule",
    "Resource",
    "ResourceKind",
    "Routing",
    "RoutingOperation",
    "ScheduledOperation",
    "check_resource",
    "check_routing",
]

WEEKDAYS = (0, 1, 2, 3, 4)
MAX_HOURS_PER_DAY = 24.0


class ResourceKind(StrEnum):
    WORK_CENTRE = "work_centre"
    LINE = "line"


class ProductionOrderStatus(StrEnum):
    PLANNED = "planned"
    RELEASED = "released"
    DONE = "done"


@dataclass(frozen=True)
class Changeover:
    """Setup hours when ``resource`` changes from family ``from_family`` to ``to_family``."""

    from_family: str
    to_family: str
    hours: float


@dataclass(frozen=True)
class Resource:
    """A work centre or line. ``working_weekdays`` is the weekday mask (0 = Monday);
    ``changeovers`` lists family-to-family setups, ``default_changeover_hours`` applies between
    two different families not listed (0 within a family)."""

    id: int
    network_id: int
    member_id: int
    site_id: int
    code: str
    name: str
    kind: ResourceKind = ResourceKind.WORK_CENTRE
    hours_per_day: float = 8.0
    working_weekdays: tuple[int, ...] = WEEKDAYS
    non_working_dates: tuple[date, ...] = ()
    max_overtime_hours_per_day: float = 0.0
    overtime_cost_per_hour: float = 0.0
    changeovers: tuple[Changeover, ...] = ()
    default_changeover_hours: float = 0.0

    def is_working(self, day: date) -> bool:
        """Whether the resource works on ``day``."""
        return day.weekday() in self.working_weekdays and day not in self.non_working_dates

    def hours_on(self, day: date) -> float:
        """Regular hours on ``day`` (0 on a day off)."""
        return self.hours_per_day if self.is_working(day) else 0.0

    def hours_between(self, start: date, days: int) -> float:
        """Regular hours in the ``days`` days from ``start``."""
        return sum(self.hours_on(start + timedelta(days=k)) for k in range(days))

    def working_days_between(self, start: date, days: int) -> int:
        """Working days in the ``days`` days from ``start``."""
        return sum(self.is_working(start + timedelta(days=k)) for k in range(days))


@dataclass(frozen=True)
class RoutingOperation:
    """One step of a routing: on ``resource_id``, ``setup_hours`` per batch and
    ``run_hours_per_unit`` per unit made."""

    resource_id: int
    setup_hours: float = 0.0
    run_hours_per_unit: float = 0.0

    def hours(self, quantity: float) -> float:
        """Setup plus run hours for a batch of ``quantity`` (none for an empty batch)."""
        return self.setup_hours + self.run_hours_per_unit * quantity if quantity > 0 else 0.0


@dataclass(frozen=True)
class Routing:
    """How ``item_id`` is made at ``site_id``: operations in sequence; ``family`` is the product
    family the resources' changeover matrices name."""

    id: int
    network_id: int
    member_id: int
    item_id: int
    site_id: int
    operations: tuple[RoutingOperation, ...]
    family: str = ""


@dataclass(frozen=True)
class ProductionOrder:
    """An order to make ``quantity`` of ``item_id`` at ``site_id`` by ``due_date``.

    ``run_id``/``planned_order_ref`` name the planned order it was released from."""

    id: int
    network_id: int
    member_id: int
    item_id: int
    site_id: int
    quantity: float
    due_date: date
    status: ProductionOrderStatus
    created_at: datetime
    run_id: int | None = None
    planned_order_ref: str | None = None


@dataclass(frozen=True)
class OrderOutcomeRow:
    """Completion of one production order in a schedule (minutes on the schedule's axis)."""

    production_order_id: int
    due_minute: int
    completion_minute: int
    tardiness_minutes: int


@dataclass(frozen=True)
class ProductionSchedule:
    """One scheduling of a member's released orders.

    Times are working minutes from ``origin`` (the first working day, at ``shift_start_hour``):
    each working day of the schedule's calendar adds ``day_minutes``. ``status``,
    ``objective``, ``best_bound`` are CP-SAT's; ``orders`` the completion of each order."""

    id: int
    network_id: int
    member_id: int
    created_at: datetime
    origin: date
    day_minutes: int
    shift_start_hour: int
    status: str
    objective: float
    best_bound: float
    total_setup_minutes: int
    orders: tuple[OrderOutcomeRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ScheduledOperation:
    """One bar of the Gantt chart: operation ``operation_no`` (1-based) of an order on a
    resource, ``[start_minute, end_minute)`` after ``setup_minutes`` of changeover."""

    id: int
    schedule_id: int
    production_order_id: int
    operation_no: int
    resource_id: int
    start_minute: int
    end_minute: int
    setup_minutes: int
    family: str
    position: int
    start_at: datetime
    end_at: datetime


def _hours_violations(where: str, values: dict[str, float]) -> list[Violation]:
    return [
        Violation(where, "must be a finite number >= 0", name)
        for name, value in values.items()
        if not math.isfinite(value) or value < 0
    ]


def check_resource(resource: Resource) -> None:
    """Raise :class:`ValidationFailed` naming every offending field of a resource."""
    where = f"resource {resource.code}"
    found = _hours_violations(
        where,
        {
            "max_overtime_hours_per_day": resource.max_overtime_hours_per_day,
            "overtime_cost_per_hour": resource.overtime_cost_per_hour,
            "default_changeover_hours": resource.default_changeover_hours,
        },
    )
    if not resource.code.strip():
        found.append(Violation(where, "must not be empty", "code"))
    hours = resource.hours_per_day
    if not math.isfinite(hours) or not 0 < hours <= MAX_HOURS_PER_DAY:
        found.append(Violation(where, "must lie in (0, 24]", "hours_per_day"))
    if hours + resource.max_overtime_hours_per_day > MAX_HOURS_PER_DAY:
        found.append(
            Violation(where, "with overtime exceeds 24 hours", "max_overtime_hours_per_day")
        )
    days = resource.working_weekdays
    if not days or len(set(days)) != len(days) or any(d not in range(7) for d in days):
        found.append(Violation(where, "distinct weekdays 0 (Monday) to 6", "working_weekdays"))
    pairs = [(c.from_family, c.to_family) for c in resource.changeovers]
    if len(set(pairs)) != len(pairs):
        found.append(Violation(where, "repeats a family pair", "changeovers"))
    for c in resource.changeovers:
        if not c.from_family or not c.to_family:
            found.append(Violation(where, "families must not be empty", "changeovers"))
        found += _hours_violations(where, {"changeovers": c.hours})
    raise_if(found, "invalid resource")


def check_routing(routing: Routing) -> None:
    """Raise :class:`ValidationFailed` naming every offending operation of a routing."""
    where = "routing"
    found: list[Violation] = []
    if not routing.operations:
        found.append(Violation(where, "needs at least one operation", "operations"))
    for k, op in enumerate(routing.operations):
        found += _hours_violations(
            f"operations[{k}]",
            {"setup_hours": op.setup_hours, "run_hours_per_unit": op.run_hours_per_unit},
        )
        if op.setup_hours + op.run_hours_per_unit <= 0:
            found.append(Violation(f"operations[{k}]", "takes no time", "run_hours_per_unit"))
    raise_if(found, "invalid routing")
