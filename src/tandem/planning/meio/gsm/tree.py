"""Exact dynamic program for guaranteed-service spanning trees (Graves & Willems 2000).

The stages are labelled by repeatedly removing a leaf of the undirected tree, so that every stage
but the last has exactly one neighbour with a higher label, its *parent* (Graves & Willems 2000,
section 4; Snyder & Shen 2019, section 6.5.4). Processing stages in label order, stage ``k``'s
subtree cost is

``c_k(S, SI) = h_k z sigma_k sqrt(SI + T_k - S) + sum_{i->k} F_i(SI) + sum_{k->j} G_j(S)``

over its lower-labelled neighbours, where a stage upstream of its parent passes on
``F_k(x) = min_{S <= x} min_SI c_k(S, SI)`` and one downstream of its parent passes on
``G_k(y) = min_{SI >= y} min_S c_k(S, SI)``. Each ``c_k`` is a numpy matrix over the integer
service times ``SI in [si_k, max SI_k]``, ``S in [0, max S_k]``, so the whole DP costs
``O(sum_k |SI_k| |S_k|)`` arithmetic in vectorised form.

The same routine serves the general-network heuristic: it accepts a subset of arcs forming a
forest, per-stage bounds ``S_k <= u_k`` and ``SI_k >= l_k``, and linear terms added to the cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.planning.meio.gsm.network import GSMNetwork, Structure
from tandem.planning.meio.gsm.solution import GSMMethod, GSMSolution, build_solution

__all__ = ["TreeDPResult", "solve_tree", "tree_dp"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class TreeDPResult:
    """Service times minimising the (possibly Lagrangian) tree objective."""

    outbound: IntArray
    inbound: IntArray
    objective: float


@dataclass(eq=False)
class _Node:
    """What a stage passes to its parent and what backtracking needs."""

    upstream_of_parent: bool
    lo: int  # smallest SI in the stage's domain
    value: FloatArray  # F over x = 0..len-1, or G over y = 0..len-1
    pick: IntArray  # argmin index behind value (S for F, SI - lo for G)
    partner: IntArray  # best SI - lo per S (F) or best S per SI - lo (G)


def _labelling(n: int, up: IntArray, down: IntArray) -> tuple[list[int], IntArray, IntArray]:
    """Leaf-removal order, parent (-1 for roots) and the arc joining each stage to its parent."""
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for a, (u, d) in enumerate(zip(up.tolist(), down.tolist(), strict=True)):
        adjacency[u].append((d, a))
        adjacency[d].append((u, a))
    degree = [len(x) for x in adjacency]
    removed = [False] * n
    parent = np.full(n, -1, dtype=np.int64)
    parent_arc = np.full(n, -1, dtype=np.int64)
    order: list[int] = []
    stack = [i for i in range(n) if degree[i] <= 1]
    while stack:
        k = stack.pop()
        if removed[k]:
            continue
        removed[k] = True
        order.append(k)
        for nb, a in adjacency[k]:
            if not removed[nb]:
                parent[k], parent_arc[k] = nb, a
                degree[nb] -= 1
                if degree[nb] <= 1:
                    stack.append(nb)
    if len(order) != n:
        raise ValueError("the arcs do not form a forest")
    return order, parent, parent_arc


def tree_dp(
    st: Structure,
    arcs: IntArray | None = None,
    max_outbound: IntArray | None = None,
    min_inbound: IntArray | None = None,
    linear_outbound: FloatArray | None = None,
    linear_inbound: FloatArray | None = None,
) -> TreeDPResult:
    """Minimise the tree objective exactly.

    Parameters
    ----------
    st
        The network's structure (bounds and cost coefficients).
    arcs
        Indices of the arcs to enforce; they must form a forest (default: all arcs).
    max_outbound, min_inbound
        Extra bounds ``S_k <= u_k`` and ``SI_k >= l_k``.
    linear_outbound, linear_inbound
        Coefficients of ``S_k`` and ``SI_k`` added to the objective.
    """
    arc_ids = np.arange(st.arc_up.size) if arcs is None else np.asarray(arcs, dtype=np.int64)
    up, down = st.arc_up[arc_ids], st.arc_down[arc_ids]
    order, parent, parent_arc = _labelling(st.n, up, down)
    si_lo, si_hi, s_hi = _domains(st, max_outbound, min_inbound)
    lin_s = np.zeros(st.n) if linear_outbound is None else linear_outbound
    lin_si = np.zeros(st.n) if linear_inbound is None else linear_inbound
    t = st.processing_time
    coef = st.cost_coefficient
    row_add: list[FloatArray | None] = [None] * st.n  # sum of children's F over SI
    col_add: list[FloatArray | None] = [None] * st.n  # sum of children's G over S
    nodes: list[_Node | None] = [None] * st.n
    roots: list[tuple[int, int, int]] = []
    total = 0.0
    for k in order:
        lo, hi, top = int(si_lo[k]), int(si_hi[k]), int(s_hi[k])
        si = np.arange(lo, hi + 1, dtype=np.float64)
        s = np.arange(0, top + 1, dtype=np.float64)
        net = si[:, None] + (t[k] - s)[None, :]
        cost = np.where(net >= -1e-9, coef[k] * np.sqrt(np.maximum(net, 0.0)), np.inf)
        cost += (lin_si[k] * si + (0.0 if row_add[k] is None else row_add[k]))[:, None]
        cost += (lin_s[k] * s + (0.0 if col_add[k] is None else col_add[k]))[None, :]
        p = int(parent[k])
        if p < 0:
            flat = int(np.argmin(cost))
            total += float(cost.flat[flat])
            roots.append((k, flat // s.size + lo, flat % s.size))
            continue
        if int(st.arc_up[arc_ids[parent_arc[k]]]) == k:  # k supplies its parent: pass F
            best_si = np.argmin(cost, axis=0)
            f = cost[best_si, np.arange(s.size)]
            value = np.minimum.accumulate(f)
            pick = _running_argmin(f)
            nodes[k] = _Node(True, lo, value, pick, best_si)
            x = np.minimum(np.arange(int(si_lo[p]), int(si_hi[p]) + 1), top)
            row_add[p] = value[x] if row_add[p] is None else row_add[p] + value[x]
        else:  # k is supplied by its parent: pass G
            best_s = np.argmin(cost, axis=1)
            g = cost[np.arange(si.size), best_s]
            value = np.minimum.accumulate(g[::-1])[::-1]
            pick = (si.size - 1 - _running_argmin(g[::-1]))[::-1]
            nodes[k] = _Node(False, lo, value, pick, best_s)
            y = np.clip(np.arange(0, int(s_hi[p]) + 1) - lo, 0, si.size - 1)
            col_add[p] = value[y] if col_add[p] is None else col_add[p] + value[y]
    outbound, inbound = _backtrack(st.n, order, parent, nodes, roots)
    return TreeDPResult(outbound, inbound, total)


def _backtrack(
    n: int,
    order: list[int],
    parent: IntArray,
    nodes: list[_Node | None],
    roots: list[tuple[int, int, int]],
) -> tuple[IntArray, IntArray]:
    """Recover the service times top-down from the roots' choices."""
    outbound = np.zeros(n, dtype=np.int64)
    inbound = np.zeros(n, dtype=np.int64)
    for k, si_k, s_k in roots:
        inbound[k], outbound[k] = si_k, s_k
    for k in reversed(order):
        node = nodes[k]
        if node is None:
            continue
        p = int(parent[k])
        if node.upstream_of_parent:
            at = min(int(inbound[p]), node.value.size - 1)
            outbound[k] = node.pick[at]
            inbound[k] = node.partner[outbound[k]] + node.lo
        else:
            at = min(max(int(outbound[p]) - node.lo, 0), node.value.size - 1)
            inbound[k] = node.pick[at] + node.lo
            outbound[k] = node.partner[inbound[k] - node.lo]
    return outbound, inbound


def _domains(
    st: Structure, max_outbound: IntArray | None, min_inbound: IntArray | None
) -> tuple[IntArray, IntArray, IntArray]:
    """Service-time ranges ``SI in [lo, hi]``, ``S in [0, top]`` under the extra bounds.

    Without extra bounds these are the network's own. With them, the largest useful ``SI`` and
    ``S`` are recomputed in topological order over *all* arcs (``hi_j = max(lo_j, max_i
    top_i)``, ``top_j = min(u_j, s_j, hi_j + floor(T_j))``): clipping any feasible solution to
    these ranges keeps it feasible and does not raise its cost, so the DP stays exact.
    """
    if max_outbound is None and min_inbound is None:
        return st.min_inbound, st.max_inbound, st.max_outbound
    lo = st.min_inbound if min_inbound is None else np.maximum(st.min_inbound, min_inbound)
    cap = st.max_service if max_outbound is None else np.minimum(st.max_service, max_outbound)
    floor_t = st.floor_processing_time
    hi = lo.copy()
    top = np.zeros(st.n, dtype=np.int64)
    for j in st.topological_order.tolist():
        preds = st.preds[j]
        if preds.size:
            hi[j] = max(int(hi[j]), int(top[preds].max()))
        top[j] = min(int(cap[j]), int(hi[j] + floor_t[j]))
    return lo, hi, np.maximum(top, 0)


def _running_argmin(values: FloatArray) -> IntArray:
    """Index of the first minimum of ``values[:i + 1]`` for every ``i``."""
    running = np.minimum.accumulate(values)
    is_new = np.concatenate([[True], values[1:] < running[:-1]])
    return np.maximum.accumulate(np.where(is_new, np.arange(values.size), 0)).astype(np.int64)


def solve_tree(network: GSMNetwork) -> GSMSolution:
    """Exact guaranteed-service optimum of a spanning tree (or forest).

    Examples
    --------
    S&S Example 6.3 (serial 3 -> 2 -> 1 -> customer): ``S = {3: 0, 2: 0, 1: 1}``, cost
    ``2 sqrt(2)``.

    >>> from tandem.planning.meio.gsm.network import Arc, Stage
    >>> net = GSMNetwork(
    ...     stages=(
    ...         Stage("1", 1, 7, demand_std=1.0, max_service_time=1),
    ...         Stage("2", 0, 4),
    ...         Stage("3", 1, 2, external_inbound_service_time=1),
    ...     ),
    ...     arcs=(Arc("3", "2"), Arc("2", "1")),
    ... )
    >>> solution = solve_tree(net)
    >>> solution.outbound(), round(solution.cost, 6)
    ({'1': 1, '2': 0, '3': 0}, 2.828427)
    """
    st = network.structure
    if not st.is_forest:
        raise ValueError("the network is not a spanning tree (or forest): use solve_mip")
    result = tree_dp(st)
    return build_solution(
        network, result.outbound, result.inbound, result.objective, GSMMethod.TREE_DP
    )
