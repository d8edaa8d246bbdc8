"""Dispatch rules: ATCS on a hand-checked instance, validity and the best-of-rules warm start."""

from __future__ import annotations

from hypothesis import given, settings
from tests.unit.scheduling.shops import assert_valid, job_shops, one_machine, seeded_shop

from tandem.planning.scheduling import (
    FamilySetups,
    ObjectiveWeights,
    SchedulingProblem,
    dispatch_atcs,
    dispatch_best,
    dispatch_edd,
)


def test_atcs_keeps_the_family_running_where_edd_changes_over() -> None:
    # One machine, changeover 10 between red (A) and blue (B), none at start; k1 = 2, k2 = 1,
    # p̄ = 5, s̄ = 10.  Jobs (family, p, release, due, weight): j0 (A, 5, d 5), j1 (B, 5, d 100),
    # j2 (A, 5, d 100).
    # t = 0: log I = log(1/5) - slack/(2*5) - setup/(1*10); slack j0 = 5-5-0 = 0, j1 = j2 = 95
    #   -> j0 runs 0-5.
    # t = 5 after red: j1 -9 - 10/10 = -10, j2 -9 - 0 -> j2 runs 5-10, then j1 after the
    #   changeover 20-25: no tardiness, 10 setup minutes, objective 10.
    # EDD takes j1 before j2 (equal due dates, order index): setups 10 + 10, objective 20.
    jobs = [("A", 5, 0, 5, 1), ("B", 5, 0, 100, 1), ("A", 5, 0, 100, 1)]
    problem = one_machine(jobs, FamilySetups(default=10))
    atcs = dispatch_atcs(problem, k1=2.0, k2=1.0)
    assert [(op.order_id, op.start, op.end, op.setup_before) for op in atcs.operations] == [
        ("j0", 0, 5, 0), ("j2", 5, 10, 0), ("j1", 20, 25, 10)
    ]  # fmt: skip
    assert atcs.objective == 10
    edd = dispatch_edd(problem)
    assert [(op.order_id, op.start) for op in edd.operations] == [("j0", 0), ("j1", 15), ("j2", 30)]
    assert edd.objective == 20
    assert dispatch_best(problem).objective == 10


def test_atcs_puts_the_heavy_order_first_when_both_are_urgent() -> None:
    # a (w 1, d 10) and b (w 5, d 12), 10 minutes each, same family. ATCS index at t = 0:
    # a 1/10 * exp(0) = 0.1, b 5/10 * exp(-2/(k1*10)) > 0.1 for k1 > 0.13 -> b, a: a is 10 late
    # (objective 10); EDD runs a, b: b is 8 late x 5 = 40.
    problem = one_machine([("A", 10, 0, 10, 1), ("A", 10, 0, 12, 5)], FamilySetups())
    assert dispatch_atcs(problem, k1=0.5).objective == 10
    assert dispatch_edd(problem).objective == 40


def test_best_dispatch_beats_edd_on_a_seeded_shop() -> None:
    problem = seeded_shop(30, seed=1)
    weights = ObjectiveWeights(tardiness=1, setup=1)
    best, edd = dispatch_best(problem, weights), dispatch_edd(problem, weights)
    assert_valid(problem, best, weights)
    assert best.objective < edd.objective


@settings(max_examples=40, deadline=None)
@given(job_shops())
def test_atcs_schedules_are_valid_and_the_best_rule_is_no_worse(problem: SchedulingProblem) -> None:
    weights = ObjectiveWeights(tardiness=2, setup=1)
    atcs = dispatch_atcs(problem, weights)
    assert_valid(problem, atcs, weights)
    best = dispatch_best(problem, weights)
    assert_valid(problem, best, weights)
    assert best.objective <= min(atcs.objective, dispatch_edd(problem, weights).objective)
