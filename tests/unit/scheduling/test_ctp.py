"""Capable-to-promise on hand-checked schedules."""

from __future__ import annotations

import pytest

from tandem.planning.scheduling import (
    FamilySetups,
    ObjectiveWeights,
    OrderOperation,
    ProductionOrder,
    PromiseRequest,
    RoutingStep,
    ScheduledOperation,
    ScheduleResult,
    ScheduleStatus,
    SchedulingInputError,
    SchedulingProblem,
    SchedulingResource,
    capable_to_promise,
    evaluate,
)

RED_BLUE = FamilySetups(default=10)


def booked(spans: dict[str, tuple[int, int]], families: dict[str, str]) -> SchedulingProblem:
    orders = tuple(
        ProductionOrder(k, families[k], (OrderOperation("op", ("m",), e - s),), due=100)
        for k, (s, e) in spans.items()
    )
    return SchedulingProblem((SchedulingResource("m"),), orders, RED_BLUE)


def current(
    problem: SchedulingProblem, spans: dict[str, tuple[int, int]], setups: dict[str, int]
) -> ScheduleResult:
    ops = [
        ScheduledOperation(o.id, "op", "m", *spans[o.id], o.family, setups.get(o.id, 0), k)
        for k, o in enumerate(problem.orders)
    ]
    return evaluate(problem, ops, ObjectiveWeights())


@pytest.mark.parametrize(("requested", "on_time"), [(49, False), (50, True)])
def test_new_blue_order_fits_between_two_red_orders(requested: int, on_time: bool) -> None:
    # a red [0, 30), b red [60, 80); a blue order of 10 units x 1 min, 10 min changeovers.
    # First: a would end 10 + 10 + 30 = 50 > 30, refused. After a: setup 10, runs [40, 50),
    # setup back to red 10, b can still run [60, 80). Earliest completion 50.
    spans = {"a": (0, 30), "b": (60, 80)}
    problem = booked(spans, {"a": "red", "b": "red"})
    request = PromiseRequest("n", "blue", (RoutingStep(("m",), 1.0),), 10, requested)
    promise = capable_to_promise(problem, current(problem, spans, {}), request)
    assert promise.status is ScheduleStatus.OPTIMAL
    assert (promise.earliest_completion, promise.on_time) == (50, on_time)
    schedule = promise.schedule
    assert schedule.completion_of("a") <= 30
    assert schedule.completion_of("b") <= 80


def test_existing_orders_may_move_earlier_to_make_room() -> None:
    # a [5, 35), b [45, 75), one family. The new order (5 + 2 x 2.5 = 10 min, a 5-minute
    # batch setup included): first, a would end >= 45 > 35; in the gap [35, 45) it ends 45;
    # with a pulled to [0, 30) it runs [30, 40) and b stays <= 75. Earliest completion 40.
    spans = {"a": (5, 35), "b": (45, 75)}
    problem = booked(spans, {"a": "red", "b": "red"})
    request = PromiseRequest("n", "red", (RoutingStep(("m",), 2.5, setup_minutes=5),), 2, 40)
    promise = capable_to_promise(problem, current(problem, spans, {}), request)
    assert (promise.earliest_completion, promise.on_time) == (40, True)
    assert promise.schedule.completion_of("a") == 30
    assert promise.schedule.completion_of("b") <= 75


def test_two_step_routing_waits_for_both_resources() -> None:
    # m1 is busy [0, 30) with a, m2 free: the request (m1 then m2, 5 min each) is first on
    # m1 only if a still ends by 30 -> [0, 5) on m1 pushes a to [5, 35): refused.
    # So it runs on m1 [30, 35) and on m2 [35, 40): completion 40.
    problem = SchedulingProblem(
        (SchedulingResource("m1"), SchedulingResource("m2")),
        (ProductionOrder("a", "f", (OrderOperation("op", ("m1",), 30),), 100),),
    )
    now = evaluate(problem, [ScheduledOperation("a", "op", "m1", 0, 30, "f", 0, 0)],
                   ObjectiveWeights())  # fmt: skip
    steps = (RoutingStep(("m1",), 1.0), RoutingStep(("m2",), 1.0))
    promise = capable_to_promise(problem, now, PromiseRequest("n", "f", steps, 5, 60))
    assert promise.earliest_completion == 40


def test_promise_needs_every_booked_order_in_the_current_schedule() -> None:
    spans = {"a": (0, 30), "b": (60, 80)}
    problem = booked(spans, {"a": "red", "b": "red"})
    partial = current(booked({"a": (0, 30)}, {"a": "red"}), {"a": (0, 30)}, {})
    request = PromiseRequest("n", "red", (RoutingStep(("m",), 1.0),), 1, 10)
    with pytest.raises(SchedulingInputError, match=r"lacks orders \['b'\]"):
        capable_to_promise(problem, partial, request)


def test_promise_for_an_already_booked_order_id_is_rejected() -> None:
    spans = {"a": (0, 30)}
    problem = booked(spans, {"a": "red"})
    request = PromiseRequest("a", "red", (RoutingStep(("m",), 1.0),), 1, 10)
    with pytest.raises(SchedulingInputError, match="already scheduled"):
        capable_to_promise(problem, current(problem, spans, {}), request)
