"""CP-SAT scheduler against brute force, Johnson's rule, and a schedule validator."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.scheduling.shops import SETUPS, assert_valid, brute_force, job_shops, one_machine

from tandem.planning.scheduling import (
    CpSatScheduler,
    FamilySetups,
    ObjectiveWeights,
    OrderOperation,
    ProductionOrder,
    ScheduleStatus,
    SchedulingProblem,
    SchedulingResource,
    SolverSettings,
    dispatch_best,
    dispatch_edd,
)


def test_single_machine_with_family_setups_matches_all_120_sequences() -> None:
    jobs = [("A", 10, 0, 15, 2), ("B", 6, 0, 20, 1), ("A", 4, 5, 25, 3),
            ("C", 8, 12, 30, 1), ("B", 5, 0, 12, 2)]  # fmt: skip
    problem = one_machine(jobs, SETUPS)
    weights = ObjectiveWeights(tardiness=1, setup=2)
    result = CpSatScheduler(weights).solve(problem)
    assert result.status is ScheduleStatus.OPTIMAL
    assert result.objective == brute_force(problem, weights)
    assert result.gap == 0.0
    assert_valid(problem, result, weights)


@settings(max_examples=25, deadline=None)
@given(
    jobs=st.lists(
        st.tuples(st.sampled_from("ABC"), st.integers(0, 9), st.integers(0, 10),
                  st.integers(0, 40), st.integers(0, 3)),
        min_size=1, max_size=5,
    ),
    setup_weight=st.integers(0, 3),
)  # fmt: skip
def test_single_machine_optimum_equals_brute_force(
    jobs: list[tuple[str, int, int, int, int]], setup_weight: int
) -> None:
    problem = one_machine(jobs, SETUPS)
    weights = ObjectiveWeights(tardiness=1, setup=setup_weight)
    result = CpSatScheduler(weights).solve(problem)
    assert result.status is ScheduleStatus.OPTIMAL
    assert result.objective == brute_force(problem, weights)
    assert_valid(problem, result, weights)


def flow_shop(times: list[tuple[int, int]], due: int = 10**6) -> SchedulingProblem:
    orders = tuple(
        ProductionOrder(f"j{k}", "f", (OrderOperation("1", ("M1",), a),
                                        OrderOperation("2", ("M2",), b)), due)
        for k, (a, b) in enumerate(times)
    )  # fmt: skip
    return SchedulingProblem((SchedulingResource("M1"), SchedulingResource("M2")), orders)


def johnson_makespan(times: list[tuple[int, int]]) -> int:
    """Johnson (1954): jobs with a <= b first by increasing a, then the rest by decreasing b."""
    first = sorted((t for t in times if t[0] <= t[1]), key=lambda t: t[0])
    last = sorted((t for t in times if t[0] > t[1]), key=lambda t: -t[1])
    end1 = end2 = 0
    for a, b in first + last:
        end1 += a
        end2 = max(end2, end1) + b
    return end2


def test_two_machine_flow_shop_makespan_equals_johnsons_rule() -> None:
    # Johnson order j0 (3,6), j2 (4,7), j4 (7,4), j3 (5,3), j1 (7,2):
    # M1 ends 3, 7, 14, 19, 26; M2 ends 9, 16, 20, 23, 28.
    times = [(3, 6), (7, 2), (4, 7), (5, 3), (7, 4)]
    assert johnson_makespan(times) == 28
    weights = ObjectiveWeights(tardiness=0, setup=0, makespan=1)
    result = CpSatScheduler(weights).solve(flow_shop(times))
    assert (result.status, result.makespan, result.objective) == (ScheduleStatus.OPTIMAL, 28, 28)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 9), st.integers(1, 9)), min_size=1, max_size=6))
def test_flow_shop_meets_due_dates_at_johnsons_makespan(times: list[tuple[int, int]]) -> None:
    cmax = johnson_makespan(times)
    makespan = CpSatScheduler(ObjectiveWeights(0, 0, 1)).solve(flow_shop(times))
    assert makespan.objective == cmax
    tardiness = CpSatScheduler().solve(flow_shop(times, due=cmax))
    assert tardiness.objective == 0
    assert max(o.completion for o in tardiness.orders) <= cmax


def test_alternative_machines_share_the_work() -> None:
    # Four 10-minute jobs due at 20 on two eligible machines: two on each, no tardiness.
    orders = tuple(
        ProductionOrder(f"j{k}", "f", (OrderOperation("op", ("m1", "m2"), 10),), 20)
        for k in range(4)
    )
    problem = SchedulingProblem((SchedulingResource("m1"), SchedulingResource("m2")), orders)
    result = CpSatScheduler().solve(problem)
    assert result.objective == 0
    assert sorted(op.resource for op in result.operations) == ["m1", "m1", "m2", "m2"]
    assert dispatch_edd(problem).objective == 0


@settings(max_examples=30, deadline=None)
@given(job_shops())
def test_random_job_shops_give_valid_schedules_no_worse_than_edd(
    problem: SchedulingProblem,
) -> None:
    weights = ObjectiveWeights(tardiness=2, setup=1)
    result = CpSatScheduler(weights, SolverSettings(time_limit_s=5)).solve(problem)
    assert result.status in (ScheduleStatus.OPTIMAL, ScheduleStatus.FEASIBLE)
    assert_valid(problem, result, weights)
    edd = dispatch_edd(problem, weights)
    assert_valid(problem, edd, weights)
    assert result.objective <= edd.objective
    assert result.best_bound <= result.objective


def test_same_seed_and_one_worker_give_the_same_schedule() -> None:
    problem = one_machine([("A", 5, 0, 5, 1), ("B", 5, 0, 5, 1), ("A", 5, 0, 5, 1)], SETUPS)
    first = CpSatScheduler().solve(problem)
    assert CpSatScheduler().solve(problem) == first


def test_no_warm_start_reaches_the_same_optimum() -> None:
    problem = one_machine([("A", 10, 0, 15, 2), ("B", 6, 0, 20, 1), ("A", 4, 5, 25, 3)], SETUPS)
    hinted = CpSatScheduler().solve(problem)
    cold = CpSatScheduler(warm_start=False).solve(problem)
    assert cold.objective == hinted.objective == brute_force(problem, ObjectiveWeights())


@pytest.mark.parametrize("workers", [1, 2])
def test_worker_count_does_not_change_the_optimum(workers: int) -> None:
    problem = flow_shop([(3, 6), (7, 2), (4, 7)])
    settings_ = SolverSettings(num_workers=workers)
    result = CpSatScheduler(ObjectiveWeights(0, 0, 1), settings_).solve(problem)
    assert result.objective == johnson_makespan([(3, 6), (7, 2), (4, 7)])


def test_without_search_time_the_best_dispatch_schedule_is_returned() -> None:
    # With a zero time limit CP-SAT reports no schedule (UNKNOWN); the scheduler falls back
    # to its warm start, the best of the EDD and ATCS schedules, marked FEASIBLE.
    jobs = [("A" if k % 2 else "B", 5 + k, 0, 10, 1) for k in range(6)]
    problem = one_machine(jobs, FamilySetups(default=3))
    result = CpSatScheduler(settings=SolverSettings(time_limit_s=0.0)).solve(problem)
    best = dispatch_best(problem)
    assert result.status is ScheduleStatus.FEASIBLE
    assert (result.operations, result.objective) == (best.operations, best.objective)
    assert result.objective <= dispatch_edd(problem).objective
    assert_valid(problem, result, ObjectiveWeights())
