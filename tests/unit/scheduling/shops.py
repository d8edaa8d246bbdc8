"""Instances and independent checks shared by the scheduling tests."""

from __future__ import annotations

import itertools
import random

from hypothesis import strategies as st

from tandem.planning.scheduling import (
    FamilySetups,
    ObjectiveWeights,
    OrderOperation,
    ProductionOrder,
    ScheduleResult,
    SchedulingProblem,
    SchedulingResource,
)

SETUPS = FamilySetups({("A", "B"): 7, ("B", "A"): 3}, default=5, initial={"C": 2})


def one_machine(
    jobs: list[tuple[str, int, int, int, int]], setups: FamilySetups
) -> SchedulingProblem:
    """jobs: (family, duration, release, due, weight)."""
    orders = tuple(
        ProductionOrder(f"j{k}", fam, (OrderOperation("op", ("m",), p),), due, rel, w)
        for k, (fam, p, rel, due, w) in enumerate(jobs)
    )
    return SchedulingProblem((SchedulingResource("m"),), orders, setups)


def brute_force(problem: SchedulingProblem, weights: ObjectiveWeights) -> int:
    """Best objective over every sequence on one machine, each job started as early as it can
    (start >= release and >= previous end + family setup)."""
    best = None
    for perm in itertools.permutations(problem.orders):
        clock, family, total = 0, None, 0
        for order in perm:
            setup = problem.setups.minutes(family, order.family)
            start = max(order.release, clock + setup)
            clock, family = start + order.operations[0].duration, order.family
            total += weights.tardiness * order.weight * max(0, clock - order.due)
            total += weights.setup * setup
        best = total if best is None else min(best, total)
    assert best is not None
    return best


@st.composite
def job_shops(draw: st.DrawFn) -> SchedulingProblem:
    resources = [f"r{k}" for k in range(draw(st.integers(1, 3)))]
    orders = []
    for o in range(draw(st.integers(1, 4))):
        ops = []
        for k in range(draw(st.integers(1, 3))):
            eligible = draw(st.lists(st.sampled_from(resources), min_size=1, max_size=2,
                                     unique=True))  # fmt: skip
            earlier = [f"o{i}" for i in range(k)]
            preds = draw(st.none() | st.lists(st.sampled_from(earlier), unique=True).map(tuple)
                         if earlier else st.none())  # fmt: skip
            ops.append(OrderOperation(f"o{k}", tuple(eligible), draw(st.integers(0, 8)), preds))
        orders.append(
            ProductionOrder(f"P{o}", draw(st.sampled_from("AB")), tuple(ops),
                            draw(st.integers(0, 30)), draw(st.integers(0, 6)),
                            draw(st.integers(0, 3)))
        )  # fmt: skip
    setups = FamilySetups(default=draw(st.integers(0, 4)), initial={"A": draw(st.integers(0, 3))})
    machines = tuple(SchedulingResource(r) for r in resources)
    if len(resources) > 1 and draw(st.booleans()):  # a resource with its own setups
        machines = (SchedulingResource(resources[0], FamilySetups(default=6)), *machines[1:])
    return SchedulingProblem(machines, tuple(orders), setups)


def assert_valid(problem: SchedulingProblem, result: ScheduleResult, w: ObjectiveWeights) -> None:
    """Eligibility, releases, precedence, no overlap with setups, and the objective."""
    at = {(op.order_id, op.operation_id): op for op in result.operations}
    assert len(at) == len(problem.operations)
    for order in problem.orders:
        for k, spec in enumerate(order.operations):
            op = at[(order.id, spec.id)]
            assert op.resource in spec.resources
            assert op.end - op.start == spec.duration
            assert op.start >= order.release
            preds = spec.predecessors if spec.predecessors is not None else (
                (order.operations[k - 1].id,) if k else ())  # fmt: skip
            for p in preds:
                assert at[(order.id, p)].end <= op.start
    setup_total = 0
    for res in problem.resources:
        seq = sorted((op for op in result.operations if op.resource == res.id),
                     key=lambda op: op.position)  # fmt: skip
        assert [op.position for op in seq] == list(range(len(seq)))
        family = None
        clock = 0
        for op in seq:
            setup = problem.setups_on(res.id).minutes(family, op.family)
            assert op.setup_before == setup
            assert op.start >= clock + setup
            clock, family = op.end, op.family
            setup_total += setup
    completion = {o.id: max(at[(o.id, s.id)].end for s in o.operations) for o in problem.orders}
    tardy = {o.id: max(0, completion[o.id] - o.due) for o in problem.orders}
    assert {x.order_id: (x.completion, x.tardiness) for x in result.orders} == {
        k: (completion[k], tardy[k]) for k in completion
    }
    weighted = sum(o.weight * tardy[o.id] for o in problem.orders)
    expected = w.tardiness * weighted + w.setup * setup_total + w.makespan * result.makespan
    assert result.total_setup == setup_total
    assert result.objective == expected


def seeded_shop(n_orders: int, seed: int) -> SchedulingProblem:
    """A reproducible flexible job shop: 3 resources, 2 operations per order, 3 families."""
    rng = random.Random(seed)
    resources = ("r0", "r1", "r2")
    orders = []
    for o in range(n_orders):
        ops = tuple(
            OrderOperation(f"op{k}", tuple(rng.sample(resources, rng.choice((1, 1, 2)))),
                           rng.randint(5, 30))
            for k in range(2)
        )  # fmt: skip
        release = rng.randint(0, 100)
        due = release + rng.randint(40, 40 + 8 * n_orders)
        orders.append(
            ProductionOrder(f"O{o}", rng.choice("ABC"), ops, due, release, rng.randint(1, 3))
        )
    setups = FamilySetups({("A", "B"): 8, ("B", "C"): 4}, default=6)
    return SchedulingProblem(tuple(SchedulingResource(r) for r in resources), tuple(orders), setups)
