"""Naive references for the guaranteed-service tests: random networks and brute force.

Shared through the session fixture ``gsm_reference`` (test modules here are not a package).
"""

from __future__ import annotations

import itertools
import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import strategies as st

from tandem.planning.meio import Arc, GSMNetwork, Stage


def path_pooled_std(network: GSMNetwork) -> dict[str, float]:
    """``sqrt(sum_k (phi_jk z_k sigma_k)^2)`` by enumerating every path explicitly."""
    succ: dict[str, list[tuple[str, float]]] = {s.name: [] for s in network.stages}
    for arc in network.arcs:
        succ[arc.upstream].append((arc.downstream, arc.quantity))
    own = {
        s.name: s.demand_std * (s.service_factor or network.service_factor) for s in network.stages
    }

    def phi(start: str) -> dict[str, float]:
        units: dict[str, float] = {}
        stack = [(start, 1.0)]
        while stack:
            node, q = stack.pop()
            if own[node] > 0:
                units[node] = units.get(node, 0.0) + q
            stack.extend((nxt, q * qty) for nxt, qty in succ[node])
        return units

    return {name: math.sqrt(sum((q * own[k]) ** 2 for k, q in phi(name).items())) for name in own}


def brute_force_cost(network: GSMNetwork) -> float:
    """Enumerate every vector of integer outbound service times ``S`` with the least ``SI``."""
    stages = network.stages
    index = {s.name: i for i, s in enumerate(stages)}
    preds: list[list[int]] = [[] for _ in stages]
    for arc in network.arcs:
        preds[index[arc.downstream]].append(index[arc.upstream])
    horizon = sum(math.ceil(s.processing_time) for s in stages) + max(
        int(s.external_inbound_service_time) for s in stages
    )
    pooled = path_pooled_std(network)
    coef = np.array([s.holding_cost * pooled[s.name] for s in stages])
    ranges = [
        range(
            0,
            min(horizon, int(s.max_service_time) if s.max_service_time is not None else horizon)
            + 1,
        )
        for s in stages
    ]
    grid = np.array(list(itertools.product(*ranges)), dtype=np.int64)
    total = np.zeros(len(grid))
    feasible = np.ones(len(grid), dtype=bool)
    for j, s in enumerate(stages):
        inbound = np.full(len(grid), int(s.external_inbound_service_time))
        for i in preds[j]:
            inbound = np.maximum(inbound, grid[:, i])
        net = inbound + s.processing_time - grid[:, j]
        feasible &= net >= 0
        total += coef[j] * np.sqrt(np.maximum(net, 0))
    return float(total[feasible].min())


@st.composite
def small_networks(
    draw: st.DrawFn, tree: bool, max_stages: int = 5, fractional: bool = False
) -> GSMNetwork:
    """Random acyclic networks; every sink faces demand; ``fractional`` allows T like 1.5."""
    times = [0.0, 0.5, 1.0, 1.5, 2.5] if fractional else [0.0, 1.0, 2.0]
    n = draw(st.integers(2, max_stages))
    arcs: set[tuple[int, int]] = set()
    for i in range(1, n):
        p = draw(st.integers(0, i - 1))
        arcs.add((p, i) if draw(st.booleans()) else (i, p))
    if not tree:
        for i, j in itertools.combinations(range(n), 2):
            if (i, j) not in arcs and (j, i) not in arcs and draw(st.integers(0, 3)) == 0:
                arcs.add((i, j))
    # orient every arc from lower to higher topological rank given by a random permutation
    rank = draw(st.permutations(list(range(n))))
    oriented = {(a, b) if rank[a] < rank[b] else (b, a) for a, b in arcs}
    has_succ = {a for a, _ in oriented}
    has_pred = {b for _, b in oriented}
    stages = []
    for i in range(n):
        sink = i not in has_succ
        stages.append(
            Stage(
                name=f"s{i}",
                processing_time=draw(st.sampled_from(times)),
                holding_cost=draw(st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0])),
                demand_std=draw(st.sampled_from([0.5, 1.0, 2.0]))
                if sink or draw(st.integers(0, 4)) == 0
                else 0.0,
                max_service_time=float(draw(st.integers(0, 2))) if sink else None,
                external_inbound_service_time=float(draw(st.integers(0, 1)))
                if i not in has_pred
                else 0.0,
            )
        )
    return GSMNetwork(
        tuple(stages),
        tuple(Arc(f"s{a}", f"s{b}", float(draw(st.integers(1, 2)))) for a, b in sorted(oriented)),
        service_factor=draw(st.sampled_from([1.0, 1.645])),
    )


@pytest.fixture(scope="session")
def gsm_reference() -> SimpleNamespace:
    """The brute-force references and the random-network strategy."""
    return SimpleNamespace(
        brute_force_cost=brute_force_cost,
        path_pooled_std=path_pooled_std,
        small_networks=small_networks,
    )
