"""Shared assembly of the flow-balance linear programs of the disruption-risk engine.

Columns are the production ``x_k`` of each :class:`Process` then the flow ``f_a`` on each
:class:`Arc`, all totals over the horizon. One balance row per (node, product) item:

``sum_q bom[q, p] x_(n,q) + sum_out f - x_(n,p) - sum_in f + demand <= stock``

so stock is used, never created, and whatever is not used is left over.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.risk.errors import InfeasibleNetworkError, RiskSolverError
from tandem.planning.risk.network import DownStock, SupplyNetwork

FloatArray = npt.NDArray[np.float64]
Bounds = list[tuple[float, float | None]]

_INFEASIBLE = 2


@dataclass(frozen=True)
class Layout:
    """The balance rows and flow columns of one network with one node (or none) down."""

    balance: sparse.csr_matrix  # items x (processes + arcs)
    stock: FloatArray  # per item
    demand: FloatArray  # demand rate per item
    demand_rows: tuple[int, ...]  # the item row of each demand line
    process_capacity: FloatArray
    arc_capacity: FloatArray
    down_columns: frozenset[int]  # flow columns forced to zero

    @property
    def n_flows(self) -> int:
        return int(self.balance.shape[1])


def layout(network: SupplyNetwork, down: str | None) -> Layout:
    """Assemble the balance rows of ``network`` with node ``down`` (or none) down."""
    items: dict[tuple[str, str], int] = {}

    def row(node: str, product: str) -> int:
        return items.setdefault((node, product), len(items))

    n_proc = len(network.processes)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    components: dict[str, list[tuple[str, float]]] = {}
    for line in network.bom:
        components.setdefault(line.product, []).append((line.component, line.quantity))
    down_columns: set[int] = set()
    for k, process in enumerate(network.processes):
        rows.append(row(process.node, process.product))
        cols.append(k)
        vals.append(-1.0)
        for component, quantity in components.get(process.product, []):
            rows.append(row(process.node, component))
            cols.append(k)
            vals.append(quantity)
        if process.node == down:
            down_columns.add(k)
    for a, arc in enumerate(network.arcs):
        col = n_proc + a
        rows += [row(arc.source, arc.product), row(arc.destination, arc.product)]
        cols += [col, col]
        vals += [1.0, -1.0]
        if arc.destination == down:
            down_columns.add(col)
    demand_rows = tuple(row(d.node, d.product) for d in network.demands)
    stock = np.zeros(len(items))
    for s in network.stocks:
        lost = s.node == down and network.down_stock is DownStock.LOST
        if not lost and (s.node, s.product) in items:
            stock[items[(s.node, s.product)]] += s.quantity
    demand = np.zeros(len(items))
    for d, r in zip(network.demands, demand_rows, strict=True):
        demand[r] += d.rate
    balance = sparse.csr_matrix(
        (vals, (rows, cols)), shape=(len(items), n_proc + len(network.arcs))
    )
    return Layout(
        balance=balance,
        stock=stock,
        demand=demand,
        demand_rows=demand_rows,
        process_capacity=np.array([p.capacity for p in network.processes], dtype=float),
        arc_capacity=np.array([a.capacity for a in network.arcs], dtype=float),
        down_columns=frozenset(down_columns),
    )


def capacities(lay: Layout) -> FloatArray:
    """Capacity per period of every flow column (``inf`` where unlimited)."""
    return np.concatenate([lay.process_capacity, lay.arc_capacity])


def solve(
    c: FloatArray,
    a_ub: sparse.csr_matrix,
    b_ub: FloatArray,
    bounds: Bounds,
    what: str,
) -> optimize.OptimizeResult:
    """Solve ``min c x, A x <= b`` on HiGHS, raising :class:`RiskSolverError` unless optimal."""
    if c.size == 0:  # nothing to decide: an empty network
        return optimize.OptimizeResult(x=np.zeros(0), status=0)
    rows = a_ub.shape[0] > 0
    result = optimize.linprog(
        c,
        A_ub=a_ub if rows else None,
        b_ub=b_ub if rows else None,
        bounds=bounds,
        method="highs",
    )
    if result.status != 0:
        raise RiskSolverError(f"{what}: HiGHS status {result.status}: {result.message}")
    return result


def check_base(network: SupplyNetwork) -> None:
    """Raise :class:`InfeasibleNetworkError` unless the undisrupted network meets demand.

    The check is the steady state: with every node up and no stock, one period of capacity must
    cover one period of demand. Otherwise the network runs out without any disruption and no
    time-to-survive is meaningful.
    """
    lay = layout(network, None)
    if lay.balance.shape[0] == 0:
        return
    n = lay.n_flows
    cap = capacities(lay)
    a_ub = sparse.hstack([lay.balance, sparse.csr_matrix(lay.demand.reshape(-1, 1))]).tocsr()
    bounds: Bounds = [(0.0, None if math.isinf(u) else float(u)) for u in cap]
    bounds.append((1.0, 1.0))
    result = optimize.linprog(
        np.zeros(n + 1),
        A_ub=a_ub,
        b_ub=np.zeros(a_ub.shape[0]),
        bounds=bounds,
        method="highs",
    )
    if result.status == _INFEASIBLE:
        raise InfeasibleNetworkError(
            "the undisrupted network cannot meet its demand per period from capacity: "
            "raise capacities or add sources before measuring disruption risk"
        )
    if result.status != 0:
        raise RiskSolverError(f"base check: HiGHS status {result.status}: {result.message}")
