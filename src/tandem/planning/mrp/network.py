"""The supply network of an MRP problem: BOM and transfer edges, low-level codes, cycles.

An edge runs from a parent item-site to an item-site it draws from: a BOM component, or the
source of a transfer lane. The low-level code of an item-site is the length of the longest path
reaching it from an item-site nobody draws from (Orlicky 1975; Vollmann et al. 2005, ch. 6), so
planning in increasing low-level code nets every item-site after all of its parents.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tandem.planning.mrp.inputs import (
    BOMLine,
    ItemSite,
    ItemSiteKey,
    MRPInputError,
    SupplyKind,
    TransferLane,
)

__all__ = ["Edge", "SupplyNetwork", "build_network"]


@dataclass(frozen=True)
class Edge:
    """``parent`` draws ``quantity_per * (1 + scrap_rate)`` of ``child`` per unit released."""

    parent: ItemSiteKey
    child: ItemSiteKey
    quantity_per: float
    scrap_rate: float

    @property
    def factor(self) -> float:
        return self.quantity_per * (1.0 + self.scrap_rate)


@dataclass(frozen=True)
class SupplyNetwork:
    """Edges by item-site, supply kinds, transfer lead times and the planning order.

    Attributes
    ----------
    parents
        For each item-site, the edges into it from the item-sites that draw from it, sorted.
    children
        For each item-site, the edges to the item-sites it draws from.
    supply_kind
        How each item-site is replenished.
    transfer_lead_time
        Lane lead time of each transfer-supplied item-site.
    low_level_code
        Longest path length from a top item-site.
    order
        Item-sites by (low-level code, key): the netting order.
    """

    parents: Mapping[ItemSiteKey, tuple[Edge, ...]]
    children: Mapping[ItemSiteKey, tuple[Edge, ...]]
    supply_kind: Mapping[ItemSiteKey, SupplyKind]
    transfer_lead_time: Mapping[ItemSiteKey, int]
    low_level_code: Mapping[ItemSiteKey, int]
    order: tuple[ItemSiteKey, ...]

    def descendants(self, keys: Iterable[ItemSiteKey]) -> set[ItemSiteKey]:
        """``keys`` and every item-site reachable from them (what a change there can affect)."""
        seen = set(keys)
        stack = list(seen)
        while stack:
            for edge in self.children[stack.pop()]:
                if edge.child not in seen:
                    seen.add(edge.child)
                    stack.append(edge.child)
        return seen


def _edges(
    known: Mapping[ItemSiteKey, ItemSite],
    bom: Iterable[BOMLine],
    lanes: Iterable[TransferLane],
) -> tuple[list[Edge], dict[ItemSiteKey, int]]:
    edges: list[Edge] = []
    for line in bom:
        for role, key in (("parent", line.parent), ("component", line.component)):
            if key not in known:
                raise MRPInputError(
                    f"BOM line {line.parent} -> {line.component}: unknown {role} item-site {key}"
                )
        edges.append(Edge(line.parent, line.component, line.quantity_per, line.scrap_rate))
    transfer: dict[ItemSiteKey, int] = {}
    for lane in lanes:
        for role, key in (("source", lane.source), ("destination", lane.destination)):
            if key not in known:
                raise MRPInputError(
                    f"transfer lane {lane.item} {lane.from_site} -> {lane.to_site}: "
                    f"unknown {role} item-site {key}"
                )
        if lane.destination in transfer:
            raise MRPInputError(
                f"transfer lane {lane.item} {lane.from_site} -> {lane.to_site}: "
                f"{lane.destination} already has a lane (single sourcing)"
            )
        transfer[lane.destination] = lane.lead_time
        edges.append(Edge(lane.destination, lane.source, 1.0, 0.0))
    return edges, transfer


def _find_cycle(children: Mapping[ItemSiteKey, tuple[Edge, ...]]) -> list[ItemSiteKey]:
    """One directed cycle, as the list of its item-sites (the graph is known to have one)."""
    state: dict[ItemSiteKey, int] = {}  # 1 on the stack, 2 done
    for root in sorted(children):
        if root in state:
            continue
        path: list[ItemSiteKey] = [root]
        iterators = [iter(children[root])]
        state[root] = 1
        while iterators:
            edge = next(iterators[-1], None)
            if edge is None:
                state[path.pop()] = 2
                iterators.pop()
            elif state.get(edge.child) == 1:
                return [*path[path.index(edge.child) :], edge.child]
            elif edge.child not in state:
                state[edge.child] = 1
                path.append(edge.child)
                iterators.append(iter(children[edge.child]))
    raise AssertionError("no cycle found")  # pragma: no cover


def build_network(
    item_sites: Mapping[ItemSiteKey, ItemSite],
    bom: Iterable[BOMLine],
    lanes: Iterable[TransferLane],
) -> SupplyNetwork:
    """Check the references, compute low-level codes; a cycle raises naming its item-sites."""
    edges, transfer = _edges(item_sites, bom, lanes)
    parents: dict[ItemSiteKey, list[Edge]] = defaultdict(list)
    children: dict[ItemSiteKey, list[Edge]] = defaultdict(list)
    for edge in edges:
        parents[edge.child].append(edge)
        children[edge.parent].append(edge)
    frozen_children = {k: tuple(children[k]) for k in item_sites}
    kinds: dict[ItemSiteKey, SupplyKind] = {}
    for key in item_sites:
        bom_children = [e for e in frozen_children[key] if key not in transfer]
        if key in transfer and len(frozen_children[key]) > 1:
            raise MRPInputError(f"item-site {key}: supplied by a transfer lane and by a BOM")
        kinds[key] = (
            SupplyKind.TRANSFER
            if key in transfer
            else SupplyKind.PRODUCTION
            if bom_children
            else SupplyKind.PURCHASE
        )
    indegree = {k: len(parents[k]) for k in item_sites}
    code = dict.fromkeys(item_sites, 0)
    queue = deque(sorted(k for k, n in indegree.items() if n == 0))
    visited = 0
    while queue:
        key = queue.popleft()
        visited += 1
        for edge in frozen_children[key]:
            code[edge.child] = max(code[edge.child], code[key] + 1)
            indegree[edge.child] -= 1
            if indegree[edge.child] == 0:
                queue.append(edge.child)
    if visited < len(item_sites):
        loop = _find_cycle(frozen_children)
        raise MRPInputError("cycle in the BOM/transfer network: " + " -> ".join(map(str, loop)))
    return SupplyNetwork(
        parents={k: tuple(sorted(parents[k], key=lambda e: e.parent)) for k in item_sites},
        children=frozen_children,
        supply_kind=kinds,
        transfer_lead_time=transfer,
        low_level_code=code,
        order=tuple(sorted(item_sites, key=lambda k: (code[k], k))),
    )
