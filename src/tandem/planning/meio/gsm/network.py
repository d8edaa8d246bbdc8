"""Guaranteed-service network model (Simpson 1958; Graves & Willems 2000).

Each stage ``j`` has a processing time ``T_j``, a holding cost ``h_j`` per unit of safety stock,
an inbound service time ``SI_j`` (the time its slowest supplier quotes it) and an outbound
service time ``S_j`` (the time it quotes its customers). It holds the safety stock
``z sigma_j sqrt(SI_j + T_j - S_j)`` against the demand over its net lead time, so the
guaranteed-service model is

``min sum_j h_j z sigma_j sqrt(SI_j + T_j - S_j)`` subject to ``SI_j >= S_i`` on every arc
``i -> j``, ``SI_j >= si_j`` (external suppliers), ``S_j <= s_j`` (maximum service times, the
customer service times at demand stages), net lead times ``>= 0``.

Service times are integer periods (Graves & Willems 2000, section 3); processing times and
bounds may be real, in which case ``S_j <= floor(s_j)`` and ``SI_j >= ceil(si_j)``.

Internal stages pool the demand of the demand stages ``k`` they serve:
``sigma_j = (sum_k (phi_jk z_k sigma_k)^r)^(1/r) / z`` with ``phi_jk`` the units of ``j`` in
one unit of ``k`` summed over all paths and ``r = 2`` (independent demands). With one ``z`` this
is ``sigma_j = sqrt(sum_k (phi_jk sigma_k)^2)``.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

__all__ = ["Arc", "GSMNetwork", "Stage", "Structure"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_EPS = 1e-9


@dataclass(frozen=True)
class Stage:
    """One stage of a guaranteed-service network.

    Attributes
    ----------
    name
        Unique identifier.
    processing_time
        ``T_j``, periods from the arrival of all inputs to the output being available.
    holding_cost
        ``h_j``, cost per unit of safety stock held at the stage.
    demand_std
        Standard deviation of the external demand per period at the stage (0 if none).
    max_service_time
        ``s_j``, the longest outbound service time allowed (``None``: unbounded); at a demand
        stage this is the customer service time.
    external_inbound_service_time
        ``si_j``, the service time quoted by external suppliers; a lower bound on ``SI_j``.
    service_factor
        ``z`` for this stage's external demand; ``None`` uses the network's.
    """

    name: str
    processing_time: float
    holding_cost: float
    demand_std: float = 0.0
    max_service_time: float | None = None
    external_inbound_service_time: float = 0.0
    service_factor: float | None = None


@dataclass(frozen=True)
class Arc:
    """Stage ``upstream`` supplies ``quantity`` units per unit of stage ``downstream``."""

    upstream: str
    downstream: str
    quantity: float = 1.0


@dataclass(frozen=True, eq=False)
class Structure:
    """Arrays derived from a network, indexed by stage position (read-only by convention)."""

    n: int
    processing_time: FloatArray
    holding_cost: FloatArray
    max_service: IntArray
    min_inbound: IntArray
    arc_up: IntArray
    arc_down: IntArray
    preds: tuple[IntArray, ...]
    succs: tuple[IntArray, ...]
    topological_order: IntArray
    pooled_std: FloatArray
    safety_coefficient: FloatArray
    cost_coefficient: FloatArray
    max_inbound: IntArray
    max_outbound: IntArray
    is_forest: bool

    @property
    def floor_processing_time(self) -> IntArray:
        """``floor(T_j)``: with integer service times ``S_j <= SI_j + floor(T_j)``."""
        return np.floor(self.processing_time + _EPS).astype(np.int64)


@dataclass(frozen=True)
class GSMNetwork:
    """An acyclic guaranteed-service network.

    Examples
    --------
    S&S Example 6.3: the serial system 3 -> 2 -> 1 -> customer.

    >>> net = GSMNetwork(
    ...     stages=(
    ...         Stage("1", 1, 7, demand_std=1.0, max_service_time=1),
    ...         Stage("2", 0, 4),
    ...         Stage("3", 1, 2, external_inbound_service_time=1),
    ...     ),
    ...     arcs=(Arc("3", "2"), Arc("2", "1")),
    ... )
    >>> net.structure.pooled_std.tolist()
    [1.0, 1.0, 1.0]
    """

    stages: tuple[Stage, ...]
    arcs: tuple[Arc, ...] = ()
    service_factor: float = 1.0
    risk_pool_exponent: float = 2.0

    def __post_init__(self) -> None:
        names = [s.name for s in self.stages]
        if len(set(names)) != len(names):
            raise ValueError("stage names must be unique")
        known = set(names)
        for arc in self.arcs:
            if arc.upstream not in known or arc.downstream not in known:
                raise ValueError(f"arc {arc.upstream}->{arc.downstream} names an unknown stage")
            if arc.upstream == arc.downstream or not arc.quantity > 0:
                raise ValueError("arcs need distinct ends and a positive quantity")
        for st in self.stages:
            if st.processing_time < 0 or st.holding_cost < 0 or st.demand_std < 0:
                raise ValueError(f"stage {st.name}: times, costs and std must be >= 0")
            if st.max_service_time is not None and st.max_service_time < 0:
                raise ValueError(f"stage {st.name}: max service time must be >= 0")
        if not self.risk_pool_exponent > 0:
            raise ValueError("risk pool exponent must be positive")

    @cached_property
    def index(self) -> dict[str, int]:
        """Position of each stage name."""
        return {s.name: i for i, s in enumerate(self.stages)}

    @cached_property
    def structure(self) -> Structure:
        """Derived arrays: adjacency, pooled demand, bounds on the service times."""
        return _build_structure(self)

    def cost(self, outbound: Sequence[int] | IntArray, inbound: Sequence[int] | IntArray) -> float:
        """Safety-stock cost of service times; raises if they are infeasible."""
        st = self.structure
        s_out = np.asarray(outbound, dtype=np.int64)
        s_in = np.asarray(inbound, dtype=np.int64)
        check_feasible(st, s_out, s_in)
        net = s_in + st.processing_time - s_out
        return float(st.cost_coefficient @ np.sqrt(np.maximum(net, 0.0)))


def minimal_inbound(st: Structure, outbound: IntArray) -> IntArray:
    """``SI_j = max(ceil(si_j), max_i S_i)``, the least feasible inbound service times."""
    inbound = st.min_inbound.copy()
    if st.arc_up.size:
        np.maximum.at(inbound, st.arc_down, outbound[st.arc_up])
    return inbound


def check_feasible(st: Structure, outbound: IntArray, inbound: IntArray) -> None:
    """Raise ``ValueError`` unless the service times satisfy every constraint."""
    if outbound.shape != (st.n,) or inbound.shape != (st.n,):
        raise ValueError("need one outbound and one inbound service time per stage")
    problems = []
    if np.any(outbound < 0):
        problems.append("negative outbound service time")
    if np.any(outbound > st.max_service):
        problems.append("outbound service time above its maximum")
    if np.any(inbound < st.min_inbound):
        problems.append("inbound service time below the external suppliers'")
    if np.any(inbound + st.processing_time - outbound < -_EPS):
        problems.append("negative net lead time")
    if st.arc_up.size and np.any(inbound[st.arc_down] < outbound[st.arc_up]):
        problems.append("inbound service time below a supplier's outbound service time")
    if problems:
        raise ValueError("infeasible service times: " + "; ".join(problems))


def _build_structure(net: GSMNetwork) -> Structure:
    n = len(net.stages)
    idx = net.index
    up = np.array([idx[a.upstream] for a in net.arcs], dtype=np.int64)
    down = np.array([idx[a.downstream] for a in net.arcs], dtype=np.int64)
    qty = np.array([a.quantity for a in net.arcs], dtype=np.float64)
    preds_l: list[list[int]] = [[] for _ in range(n)]
    succs_l: list[list[int]] = [[] for _ in range(n)]
    for a, (u, d) in enumerate(zip(up.tolist(), down.tolist(), strict=True)):
        preds_l[d].append(a)
        succs_l[u].append(a)
    order = _topological_order(n, up, down)
    t = np.array([s.processing_time for s in net.stages], dtype=np.float64)
    big = np.iinfo(np.int64).max // 4
    max_service = np.array(
        [
            big if s.max_service_time is None else math.floor(s.max_service_time + _EPS)
            for s in net.stages
        ],
        dtype=np.int64,
    )
    min_inbound = np.array(
        [math.ceil(s.external_inbound_service_time - _EPS) for s in net.stages], dtype=np.int64
    )
    floor_t = np.floor(t + _EPS).astype(np.int64)
    max_in = min_inbound.copy()
    max_out = np.zeros(n, dtype=np.int64)
    for j in order.tolist():
        for a in preds_l[j]:
            max_in[j] = max(max_in[j], max_out[up[a]])
        max_out[j] = min(max_service[j], max_in[j] + floor_t[j])
    weighted = np.array(
        [
            s.demand_std * (net.service_factor if s.service_factor is None else s.service_factor)
            for s in net.stages
        ],
        dtype=np.float64,
    )
    plain = np.array([s.demand_std for s in net.stages], dtype=np.float64)
    forest = _is_forest(n, up, down)
    r = net.risk_pool_exponent
    pool = _pool_forest if forest else _pool_dag
    pooled_w = pool(order, down, qty, succs_l, weighted, r)
    pooled = pool(order, down, qty, succs_l, plain, r)
    h = np.array([s.holding_cost for s in net.stages], dtype=np.float64)
    return Structure(
        n=n,
        processing_time=t,
        holding_cost=h,
        max_service=max_service,
        min_inbound=min_inbound,
        arc_up=up,
        arc_down=down,
        preds=tuple(up[np.array(p, dtype=np.int64)] for p in preds_l),
        succs=tuple(down[np.array(s, dtype=np.int64)] for s in succs_l),
        topological_order=order,
        pooled_std=pooled,
        safety_coefficient=pooled_w,
        cost_coefficient=h * pooled_w,
        max_inbound=max_in,
        max_outbound=max_out,
        is_forest=forest,
    )


def _topological_order(n: int, up: IntArray, down: IntArray) -> IntArray:
    indegree = np.bincount(down, minlength=n)
    succ: list[list[int]] = [[] for _ in range(n)]
    for u, d in zip(up.tolist(), down.tolist(), strict=True):
        succ[u].append(d)
    queue = deque(i for i in range(n) if indegree[i] == 0)
    order: list[int] = []
    while queue:
        i = queue.popleft()
        order.append(i)
        for d in succ[i]:
            indegree[d] -= 1
            if indegree[d] == 0:
                queue.append(d)
    if len(order) != n:
        raise ValueError("the network has a cycle")
    return np.array(order, dtype=np.int64)


def _is_forest(n: int, up: IntArray, down: IntArray) -> bool:
    """Whether the underlying undirected graph has no cycle (union-find)."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for u, d in zip(up.tolist(), down.tolist(), strict=True):
        ru, rd = find(u), find(d)
        if ru == rd:
            return False
        parent[ru] = rd
    return True


def _pool_forest(
    order: IntArray,
    down: IntArray,
    qty: FloatArray,
    succs: list[list[int]],
    own: FloatArray,
    r: float,
) -> FloatArray:
    """Pooled deviations on a forest, where at most one path joins two stages, so
    ``b_j^r = own_j^r + sum_children (phi_jc b_c)^r``; linear time."""
    powered = own**r
    for j in order[::-1].tolist():
        for a in succs[j]:
            powered[j] += qty[a] ** r * powered[down[a]]
    return np.asarray(powered ** (1.0 / r), dtype=np.float64)


def _pool_dag(
    order: IntArray,
    down: IntArray,
    qty: FloatArray,
    succs: list[list[int]],
    own: FloatArray,
    r: float,
) -> FloatArray:
    """Pooled deviations on a DAG via ``phi`` (units of each stage per unit of each demand
    stage, summed over paths), built in reverse topological order a block of demand stages at
    a time."""
    n = own.size
    demand = np.flatnonzero(own > 0)
    total = np.zeros(n)
    block = max(1, 4_000_000 // max(n, 1))
    reverse = order[::-1].tolist()
    for start in range(0, demand.size, block):
        cols = demand[start : start + block]
        phi = np.zeros((n, cols.size))
        phi[cols, np.arange(cols.size)] = 1.0
        for j in reverse:
            for a in succs[j]:
                phi[j] += qty[a] * phi[down[a]]
        total += ((phi * own[cols]) ** r).sum(axis=1)
    return np.asarray(total ** (1.0 / r), dtype=np.float64)
