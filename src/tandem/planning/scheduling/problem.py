"""Released production orders to sequence on resources: the input of the schedulers.

An order is a set of operations with precedence (a chain unless given otherwise), each run on
one of its eligible resources for a fixed number of minutes, with a release time, a due date,
a tardiness weight and a product family; changing a resource from one family to another takes
a sequence-dependent setup (Allahverdi, Ng, Cheng & Kovalyov, "A survey of scheduling problems
with setup times or costs", *EJOR* 187:985–1032, 2008). Times are whole minutes from the
schedule's origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tandem.planning.scheduling.errors import SchedulingInputError

__all__ = [
    "FamilySetups",
    "FlatOperation",
    "OrderOperation",
    "ProductionOrder",
    "SchedulingProblem",
    "SchedulingResource",
]


@dataclass(frozen=True, eq=False)
class FamilySetups:
    """Setup minutes when a resource changes from one product family to another.

    ``changeover[(a, b)]`` is the setup from family ``a`` to ``b``; pairs not listed take
    ``default`` between different families and 0 within a family. ``initial[f]`` is the setup
    before the first operation of a resource when it is of family ``f`` (0 if not listed).

    >>> FamilySetups({("red", "blue"): 30}, default=10).minutes("red", "blue")
    30
    >>> FamilySetups({("red", "blue"): 30}, default=10).minutes("blue", "red")
    10
    """

    changeover: Mapping[tuple[str, str], int] = field(default_factory=dict)
    default: int = 0
    initial: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        values = [self.default, *self.changeover.values(), *self.initial.values()]
        if any(v < 0 for v in values):
            raise SchedulingInputError("setup minutes must be >= 0")

    def minutes(self, before: str | None, after: str) -> int:
        """Setup before an operation of family ``after`` following ``before`` (None: first)."""
        if before is None:
            return self.initial.get(after, 0)
        if (before, after) in self.changeover:
            return self.changeover[(before, after)]
        return 0 if before == after else self.default

    def largest(self) -> int:
        """The longest setup (a bound for the horizon)."""
        return max([self.default, *self.changeover.values(), *self.initial.values()])


@dataclass(frozen=True)
class SchedulingResource:
    """A machine or line; ``setups`` overrides the problem's family setups for it."""

    id: str
    setups: FamilySetups | None = None


@dataclass(frozen=True)
class OrderOperation:
    """One operation of an order.

    ``predecessors`` are ids of operations of the same order that must end first; ``None``
    means the operation before it in the order (a chain), ``()`` means none.
    """

    id: str
    resources: tuple[str, ...]
    duration: int
    predecessors: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ProductionOrder:
    """A released production order."""

    id: str
    family: str
    operations: tuple[OrderOperation, ...]
    due: int
    release: int = 0
    weight: int = 1


@dataclass(frozen=True)
class FlatOperation:
    """An operation with its order, position and resolved predecessors (flat indices)."""

    index: int
    order: int
    operation: OrderOperation
    family: str
    predecessors: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class SchedulingProblem:
    """Orders to schedule on resources, with the default family setups."""

    resources: tuple[SchedulingResource, ...]
    orders: tuple[ProductionOrder, ...]
    setups: FamilySetups = field(default_factory=FamilySetups)
    _flat: tuple[FlatOperation, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        ids = [r.id for r in self.resources]
        if len(set(ids)) != len(ids):
            raise SchedulingInputError("resource ids must be unique")
        order_ids = [o.id for o in self.orders]
        if len(set(order_ids)) != len(order_ids):
            raise SchedulingInputError("order ids must be unique")
        known = set(ids)
        for order in self.orders:
            _check_order(order, known)
        object.__setattr__(self, "_flat", _flatten(self.orders))

    @property
    def operations(self) -> tuple[FlatOperation, ...]:
        """Every operation, orders in turn, each order's operations in topological order."""
        return self._flat

    def setups_on(self, resource: str) -> FamilySetups:
        """The family setups that apply on ``resource``."""
        for r in self.resources:
            if r.id == resource and r.setups is not None:
                return r.setups
        return self.setups

    def horizon(self) -> int:
        """An upper bound on any sensible schedule's end: every job after the last release."""
        longest_setup = max([self.setups.largest()] + [
            r.setups.largest() for r in self.resources if r.setups is not None
        ])  # fmt: skip
        release = max((o.release for o in self.orders), default=0)
        work = sum(f.operation.duration + longest_setup for f in self.operations)
        return release + work + 1

    def with_order(self, order: ProductionOrder) -> SchedulingProblem:
        """The same problem with one more order."""
        return SchedulingProblem(self.resources, (*self.orders, order), self.setups)


def _check_order(order: ProductionOrder, known: set[str]) -> None:
    if not order.operations:
        raise SchedulingInputError(f"order {order.id!r} has no operations")
    if order.release < 0 or order.weight < 0:
        raise SchedulingInputError(f"order {order.id!r} needs release >= 0 and weight >= 0")
    op_ids = [op.id for op in order.operations]
    if len(set(op_ids)) != len(op_ids):
        raise SchedulingInputError(f"order {order.id!r} repeats an operation id")
    for op in order.operations:
        if op.duration < 0:
            raise SchedulingInputError(
                f"operation {op.id!r} of order {order.id!r} has a negative duration {op.duration}"
            )
        if not op.resources:
            raise SchedulingInputError(f"operation {op.id!r} of order {order.id!r} has no resource")
        for r in op.resources:
            if r not in known:
                raise SchedulingInputError(
                    f"operation {op.id!r} of order {order.id!r} uses unknown resource {r!r}"
                )
        for p in op.predecessors or ():
            if p not in op_ids:
                raise SchedulingInputError(
                    f"operation {op.id!r} of order {order.id!r} follows unknown operation {p!r}"
                )


def _predecessor_ids(order: ProductionOrder) -> dict[str, tuple[str, ...]]:
    preds: dict[str, tuple[str, ...]] = {}
    for k, op in enumerate(order.operations):
        if op.predecessors is None:
            preds[op.id] = (order.operations[k - 1].id,) if k > 0 else ()
        else:
            preds[op.id] = op.predecessors
    return preds


def _topological(order: ProductionOrder) -> list[str]:
    """Kahn's algorithm; a cycle raises :class:`SchedulingInputError` naming its operations."""
    preds = _predecessor_ids(order)
    remaining = {k: set(v) for k, v in preds.items()}
    done: list[str] = []
    ready = [op.id for op in order.operations if not remaining[op.id]]
    while ready:
        node = ready.pop(0)
        done.append(node)
        for op in order.operations:
            if node in remaining[op.id]:
                remaining[op.id].discard(node)
                if not remaining[op.id]:
                    ready.append(op.id)
    if len(done) < len(order.operations):
        cycle = sorted(k for k in remaining if k not in done)
        raise SchedulingInputError(
            f"precedence of order {order.id!r} has a cycle through operations {cycle}"
        )
    return done


def _flatten(orders: tuple[ProductionOrder, ...]) -> tuple[FlatOperation, ...]:
    flat: list[FlatOperation] = []
    for o, order in enumerate(orders):
        by_id = {op.id: op for op in order.operations}
        preds = _predecessor_ids(order)
        position: dict[str, int] = {}
        for op_id in _topological(order):
            position[op_id] = len(flat)
            resolved = tuple(position[p] for p in preds[op_id])
            flat.append(FlatOperation(len(flat), o, by_id[op_id], order.family, resolved))
    return tuple(flat)
