"""Bad scheduling input is refused with a message that names the culprit."""

from __future__ import annotations

import pytest

from tandem.planning.scheduling import (
    FamilySetups,
    ObjectiveWeights,
    OrderOperation,
    ProductionOrder,
    SchedulingInputError,
    SchedulingProblem,
    SchedulingResource,
)

M = (SchedulingResource("m"),)


def order(*ops: OrderOperation) -> ProductionOrder:
    return ProductionOrder("o1", "f", ops, due=10)


def test_operation_on_an_unknown_resource_is_refused() -> None:
    with pytest.raises(SchedulingInputError, match="uses unknown resource 'lathe'"):
        SchedulingProblem(M, (order(OrderOperation("cut", ("lathe",), 5)),))


def test_negative_duration_is_refused() -> None:
    with pytest.raises(SchedulingInputError, match="'cut' of order 'o1' has a negative duration"):
        SchedulingProblem(M, (order(OrderOperation("cut", ("m",), -1)),))


def test_cycle_in_precedence_is_refused() -> None:
    ops = (
        OrderOperation("a", ("m",), 1, ()),
        OrderOperation("b", ("m",), 1, ("a", "c")),
        OrderOperation("c", ("m",), 1, ("b",)),
    )
    with pytest.raises(SchedulingInputError, match=r"cycle through operations \['b', 'c'\]"):
        SchedulingProblem(M, (order(*ops),))


def test_unknown_predecessor_is_refused() -> None:
    ops = (OrderOperation("a", ("m",), 1, ("x",)),)
    with pytest.raises(SchedulingInputError, match="follows unknown operation 'x'"):
        SchedulingProblem(M, (order(*ops),))


def test_duplicate_order_ids_are_refused() -> None:
    op = OrderOperation("a", ("m",), 1)
    with pytest.raises(SchedulingInputError, match="order ids must be unique"):
        SchedulingProblem(M, (order(op), order(op)))


def test_negative_setup_and_weights_are_refused() -> None:
    with pytest.raises(SchedulingInputError, match="setup minutes must be >= 0"):
        FamilySetups(default=-1)
    with pytest.raises(SchedulingInputError, match="objective weights must be >= 0"):
        ObjectiveWeights(setup=-1)


def test_operations_follow_precedence_order_within_each_order() -> None:
    # Listed c, a, b with c after b and b after a: flattened a, b, c.
    ops = (
        OrderOperation("c", ("m",), 1, ("b",)),
        OrderOperation("a", ("m",), 1, ()),
        OrderOperation("b", ("m",), 1, ("a",)),
    )
    flat = SchedulingProblem(M, (order(*ops),)).operations
    assert [(f.operation.id, f.predecessors) for f in flat] == [("a", ()), ("b", (0,)), ("c", (1,))]
