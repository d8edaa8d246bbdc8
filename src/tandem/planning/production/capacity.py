"""Finite-capacity check of planned orders: capacity requirements planning with levelling.

Each planned order is back-scheduled from its due bucket across its routing: operation ``j``
(of ``J``) is loaded, setup plus run hours, in bucket ``due - sum_{k >= j} L_k`` where ``L_k``
is the operation's lead time in buckets (1 unless given), so a one-operation order due in
bucket 3 loads bucket 2 (its MRP release). Load is compared with each resource's calendar
capacity bucket by bucket; an overloaded bucket lists the orders loading it. This is the
capacity requirements planning (CRP) of Vollmann, Berry, Whybark & Jacobs (*Manufacturing
Planning and Control for Supply Chain Management*, 5th ed., 2005, §6.3); operations whose
start falls before bucket 0 are loaded in bucket 0 and their orders reported as late starts.

Levelling suggestion (a simple heuristic, not an optimisation): overloaded buckets are taken
in time order; the orders loading one, largest load first, are pulled earlier as a whole (so
the routing order is kept) to the earliest (or latest) start whose every operation fits in the
capacity still free, until the bucket's excess is gone. Orders are never pushed later than
their due date.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.planning.production.errors import ProductionInputError
from tandem.planning.production.resources import Resource, Routing, index_resources

__all__ = [
    "CapacityCheck",
    "LevellingMove",
    "LevellingPreference",
    "OperationLoad",
    "Overload",
    "PlannedOrder",
    "check_capacity",
]

FloatArray = npt.NDArray[np.float64]
_EPS = 1e-9


@dataclass(frozen=True)
class PlannedOrder:
    """A planned production order (as MRP proposes it)."""

    id: str
    item: str
    quantity: float
    release_bucket: int
    due_bucket: int
    routing_id: str

    def __post_init__(self) -> None:
        if self.quantity < 0:
            raise ProductionInputError(f"planned order {self.id!r} has a negative quantity")
        if self.release_bucket > self.due_bucket:
            raise ProductionInputError(f"planned order {self.id!r} is released after it is due")


@dataclass(frozen=True)
class OperationLoad:
    """Hours one operation of one order puts on a resource in a bucket."""

    order_id: str
    operation: int
    resource: str
    bucket: int
    hours: float


@dataclass(frozen=True)
class Overload:
    """A resource bucket whose load exceeds its capacity, and the orders loading it."""

    resource: str
    bucket: int
    load: float
    capacity: float
    orders: tuple[tuple[str, float], ...]
    """``(order id, hours)``, largest first."""

    @property
    def excess(self) -> float:
        """Hours above capacity."""
        return self.load - self.capacity


@dataclass(frozen=True)
class LevellingMove:
    """Suggestion: start ``order_id`` in bucket ``to_start`` instead of ``from_start``."""

    order_id: str
    from_start: int
    to_start: int

    @property
    def shift(self) -> int:
        """Buckets earlier."""
        return self.from_start - self.to_start


class LevellingPreference(enum.Enum):
    """Where a pulled-forward order goes among the starts that fit."""

    EARLIEST = "earliest"
    LATEST = "latest"
    """The smallest pull forward (least extra inventory)."""


@dataclass(frozen=True)
class CapacityCheck:
    """Load against capacity per resource and bucket, overloads and levelling moves."""

    resources: tuple[str, ...]
    load: FloatArray
    capacity: FloatArray
    operations: tuple[OperationLoad, ...]
    overloads: tuple[Overload, ...]
    late_starts: tuple[str, ...]
    moves: tuple[LevellingMove, ...]
    levelled_load: FloatArray
    """Load after applying ``moves``."""

    @property
    def utilisation(self) -> FloatArray:
        """Load / capacity (``inf`` where a bucket with no capacity carries load)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = self.load / self.capacity
        return np.where(self.load <= _EPS, 0.0, ratio)


def check_capacity(
    orders: Sequence[PlannedOrder],
    routings: Sequence[Routing],
    resources: Sequence[Resource],
    preference: LevellingPreference = LevellingPreference.EARLIEST,
) -> CapacityCheck:
    """Load ``orders`` on ``resources`` and suggest moves that relieve overloaded buckets.

    The horizon is the shortest resource calendar; every due bucket must lie inside it.

    >>> from tandem.planning.production.resources import Calendar, Operation
    >>> res = (Resource("cut", Calendar.uniform(3, 8.0)),)
    >>> routing = Routing("r", (Operation("cut", setup_hours=1.0, run_hours=0.5),))
    >>> orders = [PlannedOrder(f"o{i}", "a", 10, 1, 2, "r") for i in range(2)]
    >>> check = check_capacity(orders, [routing], res)
    >>> check.load.tolist(), [(m.order_id, m.to_start) for m in check.moves]
    ([[0.0, 12.0, 0.0]], [('o0', 0)])
    """
    if not resources:
        raise ProductionInputError("the capacity check needs at least one resource")
    buckets = min(r.calendar.buckets for r in resources)
    index = index_resources(resources, buckets)
    routing_of = _routing_map(routings, index)
    ops, late = _back_schedule(orders, routing_of, buckets)
    capacity = np.array([[r.capacity(t) for t in range(buckets)] for r in resources])
    load = _load(ops, index, buckets)
    overloads = _overloads(ops, load, capacity, resources, index)
    moves, levelled = _level(ops, load, capacity, overloads, index, preference)
    return CapacityCheck(
        tuple(r.id for r in resources),
        load,
        capacity,
        tuple(ops),
        tuple(overloads),
        tuple(sorted(late)),
        tuple(moves),
        levelled,
    )


def _routing_map(routings: Sequence[Routing], index: dict[str, int]) -> dict[str, Routing]:
    routing_of: dict[str, Routing] = {}
    for routing in routings:
        if routing.id in routing_of:
            raise ProductionInputError(f"duplicate routing id {routing.id!r}")
        routing.check_resources(index)
        routing_of[routing.id] = routing
    return routing_of


def _back_schedule(
    orders: Sequence[PlannedOrder], routing_of: dict[str, Routing], buckets: int
) -> tuple[list[OperationLoad], set[str]]:
    ops: list[OperationLoad] = []
    late: set[str] = set()
    seen: set[str] = set()
    for order in orders:
        if order.id in seen:
            raise ProductionInputError(f"duplicate planned order id {order.id!r}")
        seen.add(order.id)
        routing = routing_of.get(order.routing_id)
        if routing is None:
            raise ProductionInputError(
                f"planned order {order.id!r} uses unknown routing {order.routing_id!r}"
            )
        if not 0 <= order.due_bucket < buckets:
            raise ProductionInputError(
                f"planned order {order.id!r} is due in bucket {order.due_bucket},"
                f" outside the horizon 0..{buckets - 1}"
            )
        bucket = order.due_bucket
        for j in reversed(range(len(routing.operations))):
            op = routing.operations[j]
            bucket -= op.lead_time_buckets
            if bucket < 0:
                late.add(order.id)
            hours = op.hours(order.quantity)
            ops.append(OperationLoad(order.id, j, op.resource, max(bucket, 0), hours))
    return ops, late


def _load(ops: Sequence[OperationLoad], index: dict[str, int], buckets: int) -> FloatArray:
    load = np.zeros((len(index), buckets))
    for op in ops:
        load[index[op.resource], op.bucket] += op.hours
    return load


def _overloads(
    ops: Sequence[OperationLoad],
    load: FloatArray,
    capacity: FloatArray,
    resources: Sequence[Resource],
    index: dict[str, int],
) -> list[Overload]:
    by_cell: dict[tuple[int, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for op in ops:
        by_cell[(op.bucket, index[op.resource])][op.order_id] += op.hours
    found = []
    for (t, r), per_order in sorted(by_cell.items()):
        if load[r, t] > capacity[r, t] + _EPS:
            ranked = tuple(sorted(per_order.items(), key=lambda kv: (-kv[1], kv[0])))
            found.append(Overload(resources[r].id, t, load[r, t], capacity[r, t], ranked))
    return found


def _level(
    ops: Sequence[OperationLoad],
    load: FloatArray,
    capacity: FloatArray,
    overloads: Sequence[Overload],
    index: dict[str, int],
    preference: LevellingPreference,
) -> tuple[list[LevellingMove], FloatArray]:
    work = load.copy()
    by_order: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    for op in ops:
        by_order[op.order_id].append((index[op.resource], op.bucket, op.hours))
    moves: list[LevellingMove] = []
    moved: set[str] = set()
    for over in overloads:
        r, t = index[over.resource], over.bucket
        for order_id, _ in over.orders:
            if work[r, t] <= capacity[r, t] + _EPS:
                break
            if order_id in moved:
                continue
            move = _pull_forward(order_id, by_order[order_id], work, capacity, preference)
            if move is not None:
                moves.append(move)
                moved.add(order_id)
    return moves, work


def _pull_forward(
    order_id: str,
    cells: list[tuple[int, int, float]],
    work: FloatArray,
    capacity: FloatArray,
    preference: LevellingPreference,
) -> LevellingMove | None:
    """Shift every operation of one order earlier by the same number of buckets, if it fits."""
    start = min(t for _, t, _ in cells)
    shifts = range(1, start + 1)
    ordered = reversed(shifts) if preference is LevellingPreference.EARLIEST else iter(shifts)
    for r, t, h in cells:
        work[r, t] -= h
    for shift in ordered:
        trial = work.copy()
        for r, t, h in cells:
            trial[r, t - shift] += h
        touched = [(r, t - shift) for r, t, _ in cells]
        if all(trial[c] <= capacity[c] + _EPS for c in touched):
            work[:] = trial
            return LevellingMove(order_id, start, start - shift)
    for r, t, h in cells:
        work[r, t] += h
    return None
