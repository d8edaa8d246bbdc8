"""Landed cost roll-up along supply lanes and bills of materials.

Every *stocking point* (one item at one site, owned by one member) adds its own cost per unit —
the purchase price of a bought item or the conversion cost of a made one — and its handling.
Its *supply lanes* bring ``quantity`` units of an upstream point per unit (the bill of
materials; 1 for a plain transfer), each with freight per unit moved, an ad valorem duty and a
transit time. Per unit of point ``j``, with ``i -> j`` its inbound lanes and ``r`` the annual
carrying rate:

* **inventory value** (IAS 2 "Inventories", para. 10-11: purchase price, import duties,
  transport, handling and conversion; carrying costs are period costs, never capitalised)
  ``v_j = sum_i q_ij (v_i + f_ij + d_ij) + handling_j + added_j`` with the duty
  ``d_ij = duty rate_ij x customs value``; the customs value of one unit is ``v_i`` on an FOB
  basis (e.g. the United States) or ``v_i + f_ij`` on a CIF basis (e.g. the European Union),
  WTO Customs Valuation Agreement, art. 8.2. ``v_j`` is the *cumulative value* on which the
  guaranteed-service model charges holding cost (``h_j = r v_j``; Graves & Willems 2000,
  section 2; Humair & Willems 2011 use 35 % a year);
* **carrying at j**: pipeline ``r sum_i q_ij v_i t_ij / 365`` (the goods on a lane, valued at
  shipment, for ``t_ij`` days; Silver, Pyke & Thomas 2017, section 2.3), cycle stock
  ``r v_j (Q_j / 2) / D_j`` and safety stock ``r v_j SS_j / D_j`` per unit of annual
  throughput ``D_j`` (order quantity ``Q_j``, safety stock ``SS_j`` in units, e.g. from a
  :class:`~tandem.planning.meio.gsm.GSMSolution`);
* **landed cost** ``L_j = material_j + sum_i q_ij (f_ij + d_ij) + handling_j + added_j +
  carrying_j`` with ``material_j = sum_i q_ij L_i``: everything spent to put one unit at ``j``,
  upstream carrying included.

The costs incurred at a point (its own added cost, handling and carrying, plus the freight,
duty and pipeline carrying of its *inbound* lanes, borne by the receiving member as importer)
are attributed to its member; rolling them up with the BOM quantities splits each point's
landed cost into per-member shares that sum to it exactly.

Examples
--------
A part bought at 10, shipped (freight 1, 10 % duty on the CIF value, 36.5 days) to a retailer
that adds 2 of handling; carrying rate 20 % a year, no cycle or safety stock.

>>> points = (
...     StockingPoint("part", member="maker", item="P", site="plant", added_cost=10.0),
...     StockingPoint("shelf", member="shop", item="P", site="store", handling_cost=2.0),
... )
>>> lanes = (SupplyLane("part", "shelf", freight_cost=1.0, duty_rate=0.1, transit_days=36.5),)
>>> result = roll_up_landed_cost(points, lanes, carrying_rate=0.2)
>>> shelf = result.point("shelf")
>>> round(shelf.breakdown.value, 4), round(shelf.breakdown.landed_cost, 4)
(14.1, 14.3)
>>> {s.member: round(s.total, 4) for s in shelf.member_shares}
{'maker': 10.0, 'shop': 4.3}
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import networkx as nx
import numpy as np
import numpy.typing as npt

__all__ = [
    "CostComponents",
    "CustomsBasis",
    "LandedCostBreakdown",
    "LandedCostResult",
    "MemberShare",
    "PointLandedCost",
    "StockingPoint",
    "SupplyLane",
    "holding_costs",
    "roll_up_landed_cost",
]

FloatArray = npt.NDArray[np.float64]

DAYS_PER_YEAR = 365.0


class CustomsBasis(enum.Enum):
    """What the duty rate applies to (WTO Customs Valuation Agreement, art. 8.2)."""

    FOB = "fob"
    """Free on board: the value of the goods shipped."""
    CIF = "cif"
    """Cost, insurance and freight: the value of the goods plus the lane's freight."""


@dataclass(frozen=True)
class StockingPoint:
    """One item at one site, owned by one member.

    Attributes
    ----------
    id
        Unique identifier (also the GSM stage name when the two are used together).
    member, item, site
        Who owns the stock, what it is and where it is.
    added_cost
        Cost added here per unit: purchase price (bought) or conversion cost (made).
    handling_cost
        Receiving, storage and picking per unit.
    annual_demand
        Units a year through the point (needed when it holds cycle or safety stock).
    order_quantity
        Replenishment batch ``Q``; cycle stock averages ``Q / 2``.
    safety_stock
        Units of safety stock held.
    """

    id: str
    member: str
    item: str = ""
    site: str = ""
    added_cost: float = 0.0
    handling_cost: float = 0.0
    annual_demand: float = 0.0
    order_quantity: float = 0.0
    safety_stock: float = 0.0


@dataclass(frozen=True)
class SupplyLane:
    """``quantity`` units of ``upstream`` go into one unit of ``downstream``.

    ``freight_cost`` is per unit moved on the lane, ``duty_rate`` a fraction of the customs
    value, ``transit_days`` the time the goods spend on the lane.
    """

    upstream: str
    downstream: str
    quantity: float = 1.0
    freight_cost: float = 0.0
    duty_rate: float = 0.0
    transit_days: float = 0.0


@dataclass(frozen=True)
class CostComponents:
    """Cost per unit by kind; the parts of a landed cost other than the material."""

    added_cost: float = 0.0
    freight: float = 0.0
    duty: float = 0.0
    handling: float = 0.0
    pipeline_carrying: float = 0.0
    cycle_stock_carrying: float = 0.0
    safety_stock_carrying: float = 0.0

    @property
    def carrying(self) -> float:
        """Pipeline, cycle-stock and safety-stock carrying."""
        return self.pipeline_carrying + self.cycle_stock_carrying + self.safety_stock_carrying

    @property
    def total(self) -> float:
        """Sum of every component."""
        return sum(self.as_tuple())

    def as_tuple(self) -> tuple[float, ...]:
        """The components in field order."""
        return tuple(float(getattr(self, f.name)) for f in fields(self))


_N_COMPONENTS = len(fields(CostComponents))


@dataclass(frozen=True)
class LandedCostBreakdown:
    """The landed cost of one unit at one point.

    ``material`` is ``sum_i q_ij L_i`` (upstream landed costs, their carrying included);
    ``material_value`` is ``sum_i q_ij v_i``; ``local`` holds the costs arising at this point
    and on its inbound lanes.
    """

    material: float
    material_value: float
    local: CostComponents

    @property
    def value(self) -> float:
        """Inventory value ``v_j``: the GSM holding cost basis (carrying excluded)."""
        local = self.local
        return self.material_value + local.freight + local.duty + local.handling + local.added_cost

    @property
    def landed_cost(self) -> float:
        """``L_j = material + local costs``."""
        return self.material + self.local.total


@dataclass(frozen=True)
class MemberShare:
    """The part of a point's landed cost that arises at one member, by kind."""

    member: str
    costs: CostComponents

    @property
    def total(self) -> float:
        """The member's share of the landed cost."""
        return self.costs.total


@dataclass(frozen=True)
class PointLandedCost:
    """Roll-up result for one stocking point."""

    point: str
    member: str
    item: str
    site: str
    breakdown: LandedCostBreakdown
    member_shares: tuple[MemberShare, ...]
    """Members with a non-zero share, in order of first appearance among the points."""
    is_end_point: bool
    """Whether no lane leaves the point (it serves end customers)."""

    def share_of(self, member: str) -> float:
        """The landed cost arising at ``member`` (0 if none)."""
        return sum(s.total for s in self.member_shares if s.member == member)


@dataclass(frozen=True)
class LandedCostResult:
    """Landed costs of every point, in the order the points were given."""

    points: tuple[PointLandedCost, ...]
    carrying_rate: float
    customs_basis: CustomsBasis

    def point(self, point_id: str) -> PointLandedCost:
        """The result of one point."""
        for p in self.points:
            if p.point == point_id:
                return p
        raise KeyError(f"unknown stocking point {point_id!r}")

    def end_points(self) -> tuple[PointLandedCost, ...]:
        """Points no lane leaves."""
        return tuple(p for p in self.points if p.is_end_point)

    def values(self) -> dict[str, float]:
        """Inventory value ``v_j`` by point."""
        return {p.point: p.breakdown.value for p in self.points}


def holding_costs(result: LandedCostResult, rate: float) -> dict[str, float]:
    """GSM holding cost ``h_j = rate x v_j`` by point (``rate`` per the GSM's time unit).

    >>> pts = (StockingPoint("a", "m", added_cost=40.0),)
    >>> holding_costs(roll_up_landed_cost(pts, (), carrying_rate=0.25), 0.25)
    {'a': 10.0}
    """
    _check_non_negative("holding rate", rate)
    return {p.point: rate * p.breakdown.value for p in result.points}


def roll_up_landed_cost(
    points: Sequence[StockingPoint],
    lanes: Sequence[SupplyLane],
    carrying_rate: float,
    customs_basis: CustomsBasis = CustomsBasis.CIF,
) -> LandedCostResult:
    """Roll landed costs up the network in topological order.

    Raises ``ValueError`` naming the offending point or lane for duplicate or unknown ids,
    negative costs, rates or times, non-positive BOM quantities, a cycle of lanes, and cycle or
    safety stock at a point without annual demand.
    """
    _check_non_negative("carrying rate", carrying_rate)
    index = _validate(points, lanes)
    order = _topological_order(points, lanes)
    members = list(dict.fromkeys(p.member for p in points))
    member_row = {m: k for k, m in enumerate(members)}
    inbound: list[list[SupplyLane]] = [[] for _ in points]
    has_outbound = [False] * len(points)
    for lane in lanes:
        inbound[index[lane.downstream]].append(lane)
        has_outbound[index[lane.upstream]] = True
    value = np.zeros(len(points))
    landed = np.zeros(len(points))
    shares = np.zeros((len(points), len(members), _N_COMPONENTS))
    breakdowns: list[LandedCostBreakdown | None] = [None] * len(points)
    for j in order:
        point = points[j]
        local = _local_costs(point, inbound[j], index, value, carrying_rate, customs_basis)
        ups = [(index[lane.upstream], lane.quantity) for lane in inbound[j]]
        material = float(sum(q * float(landed[i]) for i, q in ups))
        breakdown = LandedCostBreakdown(
            material=material,
            material_value=float(sum(q * float(value[i]) for i, q in ups)),
            local=local,
        )
        breakdowns[j] = breakdown
        value[j], landed[j] = breakdown.value, breakdown.landed_cost
        for i, q in ups:
            shares[j] += q * shares[i]
        shares[j, member_row[point.member]] += np.array(local.as_tuple())
    return LandedCostResult(
        points=tuple(
            _point_result(p, b, shares[j], members, has_outbound[j])
            for j, (p, b) in enumerate(zip(points, breakdowns, strict=True))
            if b is not None
        ),
        carrying_rate=carrying_rate,
        customs_basis=customs_basis,
    )


def _local_costs(
    point: StockingPoint,
    inbound: list[SupplyLane],
    index: Mapping[str, int],
    value: FloatArray,
    rate: float,
    basis: CustomsBasis,
) -> CostComponents:
    """Costs arising at ``point`` and on its inbound lanes, per unit of the point."""
    freight = duty = pipeline = 0.0
    for lane in inbound:
        shipped = float(value[index[lane.upstream]])
        customs = shipped + (lane.freight_cost if basis is CustomsBasis.CIF else 0.0)
        freight += lane.quantity * lane.freight_cost
        duty += lane.quantity * lane.duty_rate * customs
        pipeline += rate * lane.quantity * shipped * lane.transit_days / DAYS_PER_YEAR
    own_value = (
        sum(lane.quantity * float(value[index[lane.upstream]]) for lane in inbound)
        + freight
        + duty
        + point.handling_cost
        + point.added_cost
    )
    per_unit = 0.0 if point.annual_demand == 0 else rate * own_value / point.annual_demand
    return CostComponents(
        added_cost=point.added_cost,
        freight=freight,
        duty=duty,
        handling=point.handling_cost,
        pipeline_carrying=pipeline,
        cycle_stock_carrying=per_unit * point.order_quantity / 2.0,
        safety_stock_carrying=per_unit * point.safety_stock,
    )


def _point_result(
    point: StockingPoint,
    breakdown: LandedCostBreakdown,
    shares: FloatArray,
    members: list[str],
    has_outbound: bool,
) -> PointLandedCost:
    rows = tuple(
        MemberShare(member, CostComponents(*(float(v) for v in shares[k])))
        for k, member in enumerate(members)
        if np.any(shares[k] != 0.0)
    )
    return PointLandedCost(
        point=point.id,
        member=point.member,
        item=point.item,
        site=point.site,
        breakdown=breakdown,
        member_shares=rows,
        is_end_point=not has_outbound,
    )


def _check_non_negative(what: str, number: float) -> None:
    if not (math.isfinite(number) and number >= 0):
        raise ValueError(f"{what} must be a finite number >= 0, got {number!r}")


def _validate(points: Sequence[StockingPoint], lanes: Sequence[SupplyLane]) -> dict[str, int]:
    index: dict[str, int] = {}
    for k, p in enumerate(points):
        if p.id in index:
            raise ValueError(f"stocking point {p.id!r} appears twice")
        index[p.id] = k
        for name in ("added_cost", "handling_cost", "annual_demand", "order_quantity"):
            _check_non_negative(f"stocking point {p.id!r}: {name}", getattr(p, name))
        _check_non_negative(f"stocking point {p.id!r}: safety_stock", p.safety_stock)
        if p.annual_demand == 0 and (p.order_quantity > 0 or p.safety_stock > 0):
            raise ValueError(f"stocking point {p.id!r} holds stock but has no annual demand")
    for lane in lanes:
        where = f"lane {lane.upstream!r} -> {lane.downstream!r}"
        for end in (lane.upstream, lane.downstream):
            if end not in index:
                raise ValueError(f"{where} names an unknown stocking point {end!r}")
        if lane.upstream == lane.downstream:
            raise ValueError(f"{where} joins a point to itself")
        if not (math.isfinite(lane.quantity) and lane.quantity > 0):
            raise ValueError(f"{where}: quantity must be > 0, got {lane.quantity!r}")
        for name in ("freight_cost", "duty_rate", "transit_days"):
            _check_non_negative(f"{where}: {name}", getattr(lane, name))
    return index


def _topological_order(points: Sequence[StockingPoint], lanes: Sequence[SupplyLane]) -> list[int]:
    graph = nx.MultiDiGraph()
    index = {p.id: k for k, p in enumerate(points)}
    graph.add_nodes_from(range(len(points)))
    graph.add_edges_from((index[lane.upstream], index[lane.downstream]) for lane in lanes)
    try:
        return list(nx.lexicographical_topological_sort(graph))
    except nx.NetworkXUnfeasible:
        cycle = nx.find_cycle(graph)
        names = " -> ".join(points[u].id for u, *_ in cycle)
        raise ValueError(f"the lanes form a cycle: {names} -> {points[cycle[0][0]].id}") from None
