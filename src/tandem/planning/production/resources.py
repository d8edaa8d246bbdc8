"""Work centres with calendars, and routings of operations (the data of capacity planning).

A :class:`Resource` is a work centre or line whose regular capacity in each time bucket is the
working hours of its :class:`Calendar` (zero in a non-working bucket), with optional overtime up
to a limit per working bucket. A :class:`Routing` is the ordered list of :class:`Operation` an
item passes through, each on one resource with a setup time per batch and a run time per unit,
as in rough-cut and capacity requirements planning (Vollmann, Berry, Whybark & Jacobs,
*Manufacturing Planning and Control for Supply Chain Management*, 5th ed., 2005, ch. 6).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tandem.planning.production.errors import ProductionInputError

__all__ = ["Calendar", "Operation", "Resource", "Routing", "index_resources"]


def _check_hours(name: str, value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise ProductionInputError(f"{name} must be a finite number >= 0, got {value!r}")


@dataclass(frozen=True)
class Calendar:
    """Working hours in each bucket of the planning horizon (0 = non-working bucket).

    >>> Calendar.uniform(5, 16.0, non_working=(2,)).hours
    (16.0, 16.0, 0.0, 16.0, 16.0)
    """

    hours: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.hours:
            raise ProductionInputError("a calendar needs at least one bucket")
        for t, h in enumerate(self.hours):
            _check_hours(f"calendar hours in bucket {t}", h)

    @classmethod
    def uniform(cls, buckets: int, hours: float, non_working: Iterable[int] = ()) -> Calendar:
        """``hours`` in every bucket except the ``non_working`` ones."""
        closed = set(non_working)
        return cls(tuple(0.0 if t in closed else float(hours) for t in range(buckets)))

    @property
    def buckets(self) -> int:
        """Number of buckets in the calendar."""
        return len(self.hours)

    def is_working(self, bucket: int) -> bool:
        """Whether the resource works in ``bucket``."""
        return self.hours[bucket] > 0


@dataclass(frozen=True)
class Resource:
    """A work centre or line: regular hours from its calendar, overtime on working buckets.

    Attributes
    ----------
    id
        Resource identifier used by routings.
    calendar
        Regular working hours per bucket.
    overtime_cost
        Cost of one overtime hour.
    max_overtime_hours
        Overtime allowed in each working bucket (none in a non-working one).
    """

    id: str
    calendar: Calendar
    overtime_cost: float = 0.0
    max_overtime_hours: float = 0.0

    def __post_init__(self) -> None:
        if not self.id:
            raise ProductionInputError("a resource needs a non-empty id")
        _check_hours(f"overtime cost of resource {self.id!r}", self.overtime_cost)
        _check_hours(f"max overtime hours of resource {self.id!r}", self.max_overtime_hours)

    def capacity(self, bucket: int) -> float:
        """Regular hours available in ``bucket``."""
        return self.calendar.hours[bucket]

    def overtime_limit(self, bucket: int) -> float:
        """Overtime hours allowed in ``bucket`` (zero on a non-working bucket)."""
        return self.max_overtime_hours if self.calendar.is_working(bucket) else 0.0


@dataclass(frozen=True)
class Operation:
    """One step of a routing.

    Attributes
    ----------
    resource
        Id of the resource the operation runs on.
    setup_hours
        Setup time per batch (per order, or per bucket with production in the MPS).
    run_hours
        Run time per unit.
    lead_time_buckets
        Buckets the operation occupies when back-scheduling planned orders (default 1).
    """

    resource: str
    setup_hours: float = 0.0
    run_hours: float = 0.0
    lead_time_buckets: int = 1

    def __post_init__(self) -> None:
        _check_hours(f"setup hours of the operation on {self.resource!r}", self.setup_hours)
        _check_hours(f"run hours of the operation on {self.resource!r}", self.run_hours)
        if self.lead_time_buckets < 0:
            raise ProductionInputError(
                f"lead time of the operation on {self.resource!r} must be >= 0 buckets"
            )

    def hours(self, quantity: float) -> float:
        """Setup plus run hours for a batch of ``quantity`` units (no setup for zero units)."""
        return self.setup_hours + self.run_hours * quantity if quantity > 0 else 0.0


@dataclass(frozen=True)
class Routing:
    """The ordered operations that make one item."""

    id: str
    operations: tuple[Operation, ...]

    def __post_init__(self) -> None:
        if not self.operations:
            raise ProductionInputError(f"routing {self.id!r} has no operations")

    @property
    def lead_time_buckets(self) -> int:
        """Total lead time of the routing in buckets."""
        return sum(op.lead_time_buckets for op in self.operations)

    def check_resources(self, known: Mapping[str, object]) -> None:
        """Raise :class:`ProductionInputError` if an operation names an unknown resource."""
        for op in self.operations:
            if op.resource not in known:
                raise ProductionInputError(
                    f"routing {self.id!r} uses unknown resource {op.resource!r}"
                )


def index_resources(resources: Iterable[Resource], buckets: int) -> dict[str, int]:
    """Map resource ids to row indices; check ids are unique and calendars cover ``buckets``."""
    index: dict[str, int] = {}
    for res in resources:
        if res.id in index:
            raise ProductionInputError(f"duplicate resource id {res.id!r}")
        if res.calendar.buckets < buckets:
            raise ProductionInputError(
                f"calendar of resource {res.id!r} covers {res.calendar.buckets} buckets,"
                f" the horizon has {buckets}"
            )
        index[res.id] = len(index)
    return index
