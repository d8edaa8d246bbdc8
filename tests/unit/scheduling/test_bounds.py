"""Single-resource lower bounds: hand-checked values and never above the optimum."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.scheduling.shops import SETUPS, brute_force, job_shops, one_machine

from tandem.planning.scheduling import (
    CpSatScheduler,
    ObjectiveWeights,
    ScheduleStatus,
    SchedulingProblem,
    lower_bound,
)
from tandem.planning.scheduling.bounds import srpt_completions


def test_every_family_must_be_entered_once() -> None:
    # Families A, B, C on one machine, loose due dates. Cheapest entry: A from B 3, B from
    # A 7 / C 5 -> 5, C from A or B 5; first family B (initial 0): 3 + 5 = 8, first A: 5 + 5 = 10,
    # first C (initial 2): 2 + 3 + 5 = 10 -> bound 8 = the optimum B, A, C (0 + 3 + 5).
    problem = one_machine([("A", 5, 0, 99, 1), ("B", 5, 0, 99, 1), ("C", 5, 0, 99, 1)], SETUPS)
    weights = ObjectiveWeights(tardiness=1, setup=1)
    assert lower_bound(problem, weights) == 8 == brute_force(problem, weights)


def test_srpt_completions_with_releases() -> None:
    # (head, minutes): (0, 4) runs 0-2, pre-empted by (2, 1) at 2-3, resumes 3-5; (6, 3) 6-9.
    assert srpt_completions([(0, 4), (2, 1), (6, 3)]) == [3, 5, 9]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 9)), min_size=1, max_size=6))
def test_srpt_finishes_each_count_no_later_than_any_sequence(jobs: list[tuple[int, int]]) -> None:
    srpt = srpt_completions(jobs)
    for perm in itertools.permutations(jobs):
        clock, ends = 0, []
        for head, minutes in perm:
            clock = max(clock, head) + minutes
            ends.append(clock)
        assert all(a <= b for a, b in zip(srpt, sorted(ends), strict=True))


@settings(max_examples=40, deadline=None)
@given(
    jobs=st.lists(
        st.tuples(st.sampled_from("ABC"), st.integers(0, 9), st.integers(0, 10),
                  st.integers(0, 40), st.integers(0, 3)),
        min_size=1, max_size=5,
    ),
    setup_weight=st.integers(0, 3),
)  # fmt: skip
def test_bound_never_exceeds_the_single_machine_optimum(
    jobs: list[tuple[str, int, int, int, int]], setup_weight: int
) -> None:
    problem = one_machine(jobs, SETUPS)
    weights = ObjectiveWeights(tardiness=1, setup=setup_weight)
    assert lower_bound(problem, weights) <= brute_force(problem, weights)


@settings(max_examples=30, deadline=None)
@given(job_shops(), st.integers(0, 1))
def test_bound_never_exceeds_the_job_shop_optimum(problem: SchedulingProblem, cmax: int) -> None:
    weights = ObjectiveWeights(tardiness=2, setup=1, makespan=cmax)
    result = CpSatScheduler(weights).solve(problem)
    assert result.status is ScheduleStatus.OPTIMAL
    assert lower_bound(problem, weights) <= result.objective
