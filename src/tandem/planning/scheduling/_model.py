"""The CP-SAT model behind the scheduler and capable-to-promise (see ``cpsat.py``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from tandem.planning.scheduling.problem import SchedulingProblem
from tandem.planning.scheduling.result import (
    ObjectiveWeights,
    OrderOutcome,
    ScheduledOperation,
    ScheduleResult,
    ScheduleStatus,
)

__all__ = ["ScheduleModel", "SolverSettings"]

_STATUS = {
    cp_model.OPTIMAL: ScheduleStatus.OPTIMAL,
    cp_model.FEASIBLE: ScheduleStatus.FEASIBLE,
    cp_model.INFEASIBLE: ScheduleStatus.INFEASIBLE,
}


@dataclass(frozen=True)
class SolverSettings:
    """CP-SAT search parameters (one worker and a fixed seed give repeatable results)."""

    time_limit_s: float = 10.0
    num_workers: int = 1
    random_seed: int = 0

    def solver(self) -> cp_model.CpSolver:
        """A configured CP-SAT solver."""
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = self.time_limit_s
        solver.parameters.num_workers = self.num_workers
        solver.parameters.random_seed = self.random_seed
        return solver


@dataclass
class _Arc:
    before: int | None  # flat index, None for the resource's start
    after: int
    literal: cp_model.IntVar
    setup: int


@dataclass
class ScheduleModel:
    """Variables: start/end per operation, a presence literal per eligible resource, and per
    resource a circuit (``AddCircuit``) whose arc literals sequence its operations with the
    family setup between consecutive ones."""

    problem: SchedulingProblem
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    start: list[cp_model.IntVar] = field(default_factory=list)
    end: list[cp_model.IntVar] = field(default_factory=list)
    presence: list[dict[str, cp_model.IntVar]] = field(default_factory=list)
    arcs: list[_Arc] = field(default_factory=list)
    completion: list[cp_model.IntVar] = field(default_factory=list)
    tardiness: list[cp_model.IntVar] = field(default_factory=list)
    total_setup: cp_model.LinearExpr | int = 0
    makespan: cp_model.IntVar | None = None

    @classmethod
    def build(cls, problem: SchedulingProblem) -> ScheduleModel:
        """Operations, precedence, sequencing with setups, completions and tardiness."""
        self = cls(problem)
        horizon = problem.horizon()
        self._operations(horizon)
        for res in problem.resources:
            self._sequence(res.id)
        self.close(horizon)
        return self

    def _operations(self, horizon: int) -> None:
        m, orders = self.model, self.problem.orders
        for f in self.problem.operations:
            d = f.operation.duration
            s = m.new_int_var(orders[f.order].release, horizon, f"s{f.index}")
            e = m.new_int_var(0, horizon, f"e{f.index}")
            m.add(e == s + d)
            lits: dict[str, cp_model.IntVar] = {}
            for r in f.operation.resources:
                lits[r] = m.new_bool_var(f"x{f.index}_{r}")
            m.add_exactly_one(lits.values())
            for p in f.predecessors:
                m.add(s >= self.end[p])
            self.start.append(s)
            self.end.append(e)
            self.presence.append(lits)

    def _sequence(self, resource: str) -> None:
        m = self.model
        setups = self.problem.setups_on(resource)
        ops = [f for f in self.problem.operations if resource in f.operation.resources]
        if not ops:
            return
        node = {f.index: k + 1 for k, f in enumerate(ops)}
        circuit: list[tuple[int, int, cp_model.LiteralT]] = []
        intervals = []
        for f in ops:
            present = self.presence[f.index][resource]
            intervals.append(
                m.new_optional_interval_var(
                    self.start[f.index], f.operation.duration, self.end[f.index], present, ""
                )
            )
            circuit.append((node[f.index], node[f.index], ~present))
            first = m.new_bool_var("")
            m.add(self.start[f.index] >= setups.minutes(None, f.family)).only_enforce_if(first)
            circuit += [(0, node[f.index], first), (node[f.index], 0, m.new_bool_var(""))]
            self.arcs.append(_Arc(None, f.index, first, setups.minutes(None, f.family)))
            for g in ops:
                if g.index == f.index:
                    continue
                lit = m.new_bool_var("")
                setup = setups.minutes(f.family, g.family)
                m.add(self.start[g.index] >= self.end[f.index] + setup).only_enforce_if(lit)
                circuit.append((node[f.index], node[g.index], lit))
                self.arcs.append(_Arc(f.index, g.index, lit, setup))
        idle = m.new_bool_var("")  # the depot may be skipped only when nothing runs here
        for f in ops:
            m.add_implication(self.presence[f.index][resource], ~idle)
        circuit.append((0, 0, idle))
        m.add_circuit(circuit)
        m.add_no_overlap(intervals)

    def close(self, horizon: int) -> None:
        """Completion and tardiness per order, total setup and makespan, once the operations
        and sequences are in."""
        m = self.model
        by_order: list[list[int]] = [[] for _ in self.problem.orders]
        for f in self.problem.operations:
            by_order[f.order].append(f.index)
        for o, order in enumerate(self.problem.orders):
            c = m.new_int_var(0, horizon, f"c{o}")
            m.add_max_equality(c, [self.end[i] for i in by_order[o]])
            t = m.new_int_var(0, horizon, f"t{o}")
            m.add(t >= c - order.due)
            self.completion.append(c)
            self.tardiness.append(t)
        self.total_setup = sum(a.setup * a.literal for a in self.arcs if a.setup > 0)
        self.makespan = m.new_int_var(0, horizon, "cmax")
        m.add_max_equality(self.makespan, self.end)

    def minimise(self, weights: ObjectiveWeights) -> None:
        """Weighted tardiness + setup weight x total setup + makespan weight x makespan."""
        orders = self.problem.orders
        terms = sum(o.weight * t for o, t in zip(orders, self.tardiness, strict=True))
        assert self.makespan is not None
        self.model.minimize(
            weights.tardiness * terms
            + weights.setup * self.total_setup
            + weights.makespan * self.makespan
        )

    def hint(self, schedule: Sequence[ScheduledOperation]) -> None:
        """Warm start from a complete schedule of the same problem."""
        placed = _in_flat_order(self.problem, schedule)
        previous: dict[int, int | None] = {}
        by_resource: dict[str, list[int]] = {}
        for i, op in enumerate(placed):
            self.model.add_hint(self.start[i], op.start)
            for r, lit in self.presence[i].items():
                self.model.add_hint(lit, r == op.resource)
            by_resource.setdefault(op.resource, []).append(i)
        for seq in by_resource.values():
            seq.sort(key=lambda i: (placed[i].start, placed[i].end))
            previous.update({i: seq[k - 1] if k else None for k, i in enumerate(seq)})
        for arc in self.arcs:
            resource = placed[arc.after].resource
            same = arc.before is None or placed[arc.before].resource == resource
            self.model.add_hint(arc.literal, same and previous[arc.after] == arc.before)

    def extract(self, solver: cp_model.CpSolver, status: cp_model.CpSolverStatus) -> ScheduleResult:
        """Read the schedule (empty when the solver found none)."""
        state = _STATUS.get(status, ScheduleStatus.UNKNOWN)
        if state not in (ScheduleStatus.OPTIMAL, ScheduleStatus.FEASIBLE):
            return ScheduleResult(state, (), (), math.inf, solver.best_objective_bound, 0)
        chosen = [a for a in self.arcs if solver.boolean_value(a.literal)]
        setup_before = {a.after: a.setup for a in chosen}
        position = _positions(chosen)
        orders = self.problem.orders
        ops = []
        for f in self.problem.operations:
            resource = next(r for r, x in self.presence[f.index].items() if solver.boolean_value(x))
            ops.append(
                ScheduledOperation(
                    orders[f.order].id,
                    f.operation.id,
                    resource,
                    solver.value(self.start[f.index]),
                    solver.value(self.end[f.index]),
                    f.family,
                    setup_before[f.index],
                    position[f.index],
                )
            )
        outcomes = tuple(
            OrderOutcome(o.id, c, o.due, max(0, c - o.due))
            for o, c in ((o, solver.value(self.completion[k])) for k, o in enumerate(orders))
        )
        # integer objective: round away the float scaling, round the bound up
        return ScheduleResult(
            state,
            tuple(ops),
            outcomes,
            float(round(solver.objective_value)),
            float(math.ceil(solver.best_objective_bound - 1e-6)),
            sum(op.setup_before for op in ops),
        )


def _positions(chosen: Sequence[_Arc]) -> dict[int, int]:
    """Place of each operation in its resource's sequence, following the chosen arcs."""
    successor = {a.before: a.after for a in chosen if a.before is not None}
    position: dict[int, int] = {}
    for first in (a.after for a in chosen if a.before is None):
        node: int | None = first
        k = 0
        while node is not None:
            position[node] = k
            node, k = successor.get(node), k + 1
    return position


def _in_flat_order(
    problem: SchedulingProblem, schedule: Sequence[ScheduledOperation]
) -> list[ScheduledOperation]:
    """The schedule's operations indexed like ``problem.operations``."""
    at = {(op.order_id, op.operation_id): op for op in schedule}
    orders = problem.orders
    return [at[(orders[f.order].id, f.operation.id)] for f in problem.operations]
