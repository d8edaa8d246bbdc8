"""Large-neighbourhood search: exact on tiny instances, never worse than its warm start,
repeatable with a seed, and chosen by the CP-SAT scheduler for large order sets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.scheduling.shops import (
    SETUPS,
    assert_valid,
    brute_force,
    job_shops,
    one_machine,
    seeded_shop,
)

from tandem.planning.scheduling import (
    CpSatScheduler,
    LnsScheduler,
    ObjectiveWeights,
    ScheduleStatus,
    SchedulingInputError,
    SchedulingProblem,
    SolverSettings,
    dispatch_best,
)

JOBS = st.lists(
    st.tuples(st.sampled_from("ABC"), st.integers(0, 9), st.integers(0, 10),
              st.integers(0, 40), st.integers(0, 3)),
    min_size=1, max_size=5,
)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(jobs=JOBS, setup_weight=st.integers(0, 3))
def test_search_freeing_every_order_equals_brute_force(
    jobs: list[tuple[str, int, int, int, int]], setup_weight: int
) -> None:
    problem = one_machine(jobs, SETUPS)
    weights = ObjectiveWeights(tardiness=1, setup=setup_weight)
    result = LnsScheduler(weights, window_orders=5).solve(problem)
    assert result.status is ScheduleStatus.OPTIMAL
    assert result.objective == result.best_bound == brute_force(problem, weights)
    assert_valid(problem, result, weights)


@settings(max_examples=25, deadline=None)
@given(jobs=JOBS)
def test_small_windows_stay_between_the_optimum_and_the_warm_start(
    jobs: list[tuple[str, int, int, int, int]],
) -> None:
    problem = one_machine(jobs, SETUPS)
    weights = ObjectiveWeights(tardiness=1, setup=1)
    result = LnsScheduler(weights, window_orders=2, max_iterations=8).solve(problem)
    assert_valid(problem, result, weights)
    optimum = brute_force(problem, weights)
    assert (
        result.best_bound
        <= optimum
        <= result.objective
        <= dispatch_best(problem, weights).objective
    )


@settings(max_examples=20, deadline=None)
@given(job_shops())
def test_job_shop_windows_give_valid_schedules_no_worse_than_dispatch(
    problem: SchedulingProblem,
) -> None:
    weights = ObjectiveWeights(tardiness=2, setup=1)
    result = LnsScheduler(weights, window_orders=2, max_iterations=6).solve(problem)
    assert_valid(problem, result, weights)
    assert result.best_bound <= result.objective <= dispatch_best(problem, weights).objective


def test_same_seed_and_iteration_cap_repeat_the_search_and_improve_the_warm_start() -> None:
    problem = seeded_shop(40, seed=7)
    weights = ObjectiveWeights(tardiness=1, setup=1)
    search = LnsScheduler(weights, SolverSettings(time_limit_s=120), max_iterations=25)
    first = search.solve(problem)
    assert search.solve(problem) == first
    assert_valid(problem, first, weights)
    assert first.objective < dispatch_best(problem, weights).objective
    assert first.status is ScheduleStatus.FEASIBLE


def test_the_cp_sat_scheduler_searches_neighbourhoods_above_its_order_threshold() -> None:
    # Three orders above a threshold of 2: the first neighbourhood frees all three, so the
    # search solves the full model; one machine, optimum by enumeration.
    jobs = [("A", 10, 0, 15, 2), ("B", 6, 0, 20, 1), ("A", 4, 5, 25, 3)]
    problem = one_machine(jobs, SETUPS)
    searched = CpSatScheduler(search_from_orders=2).solve(problem)
    assert searched == LnsScheduler().solve(problem)
    assert searched.objective == brute_force(problem, ObjectiveWeights())


@pytest.mark.parametrize(
    "options", [{"window_orders": 0}, {"step_time": 0.0}, {"max_iterations": -1}]
)
def test_search_options_out_of_range_are_refused(options: dict[str, float]) -> None:
    with pytest.raises(SchedulingInputError):
        LnsScheduler(**options)  # type: ignore[arg-type]
