"""The CP-SAT neighbourhood model of the large-neighbourhood search (see ``lns.py``).

Operations of the *freed* orders choose a resource and a place in its sequence; every other
operation keeps its resource and its order relative to the other kept operations there. Kept
operations overlapping the freed orders' time band ``[lo, hi]`` (their earliest start and latest
end in the incumbent) may shift in time; the others are pinned at their incumbent start (a
time-window decomposition). Freed operations may be inserted only next to a shiftable kept
operation or into an idle gap inside the band. Per resource an ``AddCircuit`` runs over a
depot, the kept and the freed operations; arc ``a -> b`` forces ``start_b >= end_a + setup(a, b)``
as in the full model. The objective is the full objective and the incumbent is a solution of
the model (it is hinted; its own gaps are always allowed), so a neighbourhood solve never
returns a worse schedule.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from tandem.planning.scheduling._model import ScheduleModel, _Arc, _in_flat_order
from tandem.planning.scheduling.problem import FlatOperation, SchedulingProblem
from tandem.planning.scheduling.result import ScheduledOperation

__all__ = ["build_window"]


@dataclass
class _Nodes:
    """One resource: kept operations in sequence, freed ones, and where freed ones may go."""

    kept: list[int] = field(default_factory=list)
    freed: list[int] = field(default_factory=list)
    gaps: set[int] = field(default_factory=set)
    """Gap ``g`` lies before ``kept[g]`` (``g = len(kept)``: after the last)."""


def build_window(
    problem: SchedulingProblem,
    incumbent: Sequence[ScheduledOperation],
    freed_orders: Collection[int],
) -> ScheduleModel:
    """The neighbourhood of ``incumbent`` where the operations of ``freed_orders`` move."""
    placed = _in_flat_order(problem, incumbent)
    free = [f.order in freed_orders for f in problem.operations]
    lo = min((op.start for op, x in zip(placed, free, strict=True) if x), default=0)
    hi = max((op.end for op, x in zip(placed, free, strict=True) if x), default=0)
    pinned = [not x and (op.end < lo or op.start > hi) for op, x in zip(placed, free, strict=True)]
    window = ScheduleModel(problem)
    horizon = max(problem.horizon(), max((op.end for op in incumbent), default=0) + 1)
    _operations(window, placed, free, pinned, horizon)
    nodes = {r.id: _Nodes() for r in problem.resources}
    for f in sorted(problem.operations, key=lambda f: placed[f.index].position):
        if not free[f.index]:
            nodes[placed[f.index].resource].kept.append(f.index)
        else:
            for eligible in f.operation.resources:
                nodes[eligible].freed.append(f.index)
    for r in problem.resources:
        kept = nodes[r.id].kept
        for g in range(len(kept) + 1):
            before, after = kept[g - 1] if g else None, kept[g] if g < len(kept) else None
            in_band = (before is None or placed[before].end <= hi) and (
                after is None or placed[after].start >= lo
            )
            shiftable = any(i is not None and not pinned[i] for i in (before, after))
            if in_band or shiftable:
                nodes[r.id].gaps.add(g)
        _sequence(window, r.id, nodes[r.id])
    window.close(horizon)
    return window


def _operations(
    window: ScheduleModel,
    placed: list[ScheduledOperation],
    free: list[bool],
    pinned: list[bool],
    horizon: int,
) -> None:
    m, problem = window.model, window.problem
    for f in problem.operations:
        earliest = placed[f.index].start if pinned[f.index] else problem.orders[f.order].release
        s = m.new_int_var(earliest, placed[f.index].start if pinned[f.index] else horizon, "")
        e = m.new_int_var(0, horizon, "")
        m.add(e == s + f.operation.duration)
        eligible = f.operation.resources if free[f.index] else (placed[f.index].resource,)
        lits = {r: m.new_bool_var("") for r in eligible}
        m.add_exactly_one(lits.values())
        for p in f.predecessors:
            m.add(s >= window.end[p])
        window.start.append(s)
        window.end.append(e)
        window.presence.append(lits)


def _arc(
    window: ScheduleModel, resource: str, before: FlatOperation | None, after: FlatOperation
) -> cp_model.IntVar:
    setups = window.problem.setups_on(resource)
    setup = setups.minutes(before.family if before else None, after.family)
    lit = window.model.new_bool_var("")
    earliest = window.end[before.index] + setup if before else setup
    window.model.add(window.start[after.index] >= earliest).only_enforce_if(lit)
    window.arcs.append(_Arc(before.index if before else None, after.index, lit, setup))
    return lit


def _sequence(window: ScheduleModel, resource: str, nodes: _Nodes) -> None:
    m, ops = window.model, window.problem.operations
    kept, freed, gaps = nodes.kept, nodes.freed, nodes.gaps
    if not kept and not freed:
        return
    node = {i: k + 1 for k, i in enumerate(kept + freed)}
    arcs: list[tuple[int | None, int | None]] = []  # None is the depot
    if kept:
        arcs += list(zip([None, *kept], [*kept, None], strict=True))
    for g in sorted(gaps):
        before, after = kept[g - 1] if g else None, kept[g] if g < len(kept) else None
        arcs += [(before, j) for j in freed] + [(j, after) for j in freed]
    arcs += [(i, j) for i in freed for j in freed if i != j]
    circuit: list[tuple[int, int, cp_model.LiteralT]] = []
    for a, b in dict.fromkeys(arcs):  # unique, in a fixed order
        if b is None:
            lit: cp_model.LiteralT = m.new_bool_var("")
        else:
            lit = _arc(window, resource, ops[a] if a is not None else None, ops[b])
        circuit.append((node[a] if a is not None else 0, node[b] if b is not None else 0, lit))
    for i in freed:
        circuit.append((node[i], node[i], ~window.presence[i][resource]))
    for a, b in itertools.pairwise(kept):
        m.add(window.start[b] >= window.end[a])  # kept operations keep their order
    if not kept:
        idle = m.new_bool_var("")
        for i in freed:
            m.add_implication(window.presence[i][resource], ~idle)
        circuit.append((0, 0, idle))
    m.add_circuit(circuit)
    m.add_no_overlap(
        m.new_optional_interval_var(
            window.start[i], ops[i].operation.duration, window.end[i],
            window.presence[i][resource], "",
        )
        for i in kept + freed
    )  # fmt: skip
