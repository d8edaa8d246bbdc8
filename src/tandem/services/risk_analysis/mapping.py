"""Map the visible platform network onto the engine's :class:`SupplyNetwork`.

Rules (``docs/risk-register.md`` explains them with an example); nodes are sites (by code),
products are items (by SKU), every rate is per day:

* **Rows.** Every visible stocking point (item at site), and every component of a bill of
  materials at the site that makes its parent, is a balance row of the engine.
* **Made here.** A stocking point whose item has a visible bill of materials at its site (the
  site's own lines, else the every-site lines) is a :class:`Process` of unlimited capacity (the
  platform records no production capacity). The engine's BOM is global: the recipe of the first
  making site is used, and a different recipe elsewhere is reported.
* **Lanes.** A lane into the site that carries the item (``item_id`` the item or every item)
  from a site with a visible stocking point of the same item is an :class:`Arc` with the lane's
  ``capacity_per_day`` (unlimited when absent; two lanes between the same sites add up).
* **Assumed sources.** A row that is not made at its site and is fed by a lane from a site whose
  stocking points the caller may not see is supplied by that site as an unlimited source with no
  visible stock: the site becomes a node and its outage is measured all the same.
* **Outside supply.** A row that is neither made, nor fed by a lane from a visible stocking
  point, nor by an assumed source is bought from outside the network: an unlimited source at the
  row's own site.
* **Stock** is on hand plus in transit (the pipeline) of the visible positions of the rows.
* **Demand** at a stocking point is its rate per day; each unit lost costs the item's
  ``unit_value`` (the only per-unit value the platform holds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tandem.domain.network import BomLine, Lane
from tandem.planning.risk import Arc, Demand, Process, Stock, SupplyNetwork
from tandem.planning.risk import BomLine as EngineBom
from tandem.services.risk_analysis.loading import RiskInputs

Row = tuple[int, int]  # (item_id, site_id)


@dataclass(frozen=True)
class DemandLine:
    """One demand line handed to the engine, for the result's explanation."""

    site_id: int
    item_id: int
    rate: float
    margin: float
    source: str


@dataclass(frozen=True)
class Built:
    network: SupplyNetwork
    site_of: dict[str, int]  # node name -> site id
    demand: tuple[DemandLine, ...]
    assumed_sources: tuple[Row, ...]
    outside_supply: tuple[Row, ...]
    notes: tuple[str, ...]


@dataclass
class _Draft:
    inputs: RiskInputs
    processes: dict[Row, float] = field(default_factory=dict)
    arcs: dict[tuple[int, int, int], float] = field(default_factory=dict)  # (from, to, item)
    assumed: list[Row] = field(default_factory=list)
    outside: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def site(self, site_id: int) -> str:
        return self.inputs.sites[site_id].code

    def sku(self, item_id: int) -> str:
        return self.inputs.items[item_id].sku

    def add_arc(self, lane: Lane, item_id: int) -> None:
        key = (lane.from_site_id, lane.to_site_id, item_id)
        capacity = math.inf if lane.capacity_per_day is None else lane.capacity_per_day
        self.arcs[key] = self.arcs.get(key, 0.0) + capacity


def recipe(lines: tuple[BomLine, ...], item_id: int, site_id: int) -> list[BomLine]:
    """The lines of ``item_id`` at ``site_id``: the site's own lines, else the every-site ones."""
    own = [b for b in lines if b.parent_item_id == item_id and b.site_id == site_id]
    return own or [b for b in lines if b.parent_item_id == item_id and b.site_id is None]


def _carries(lane: Lane, item_id: int) -> bool:
    return lane.item_id is None or lane.item_id == item_id


def _supply(draft: _Draft, row: Row, made: bool, points: set[Row]) -> None:
    """Arcs (and assumed sources) feeding ``row``; outside supply if nothing does."""
    item_id, site_id = row
    inputs = draft.inputs
    fed = False
    for lane in sorted(inputs.lanes, key=lambda x: x.id):
        if lane.to_site_id != site_id or not _carries(lane, item_id):
            continue
        origin = lane.from_site_id
        if (item_id, origin) in points:
            draft.add_arc(lane, item_id)
            fed = True
        elif not made and not inputs.knows_points(item_id, origin):
            if (item_id, origin) not in draft.processes:
                draft.processes[(item_id, origin)] = math.inf
                draft.assumed.append((item_id, origin))
            draft.add_arc(lane, item_id)
            fed = True
    if not (made or fed):
        draft.processes[row] = math.inf
        draft.outside.append(row)


def _bom(draft: _Draft, makers: dict[int, list[int]]) -> list[EngineBom]:
    lines: list[EngineBom] = []
    for item_id, sites in sorted(makers.items()):
        chosen = recipe(draft.inputs.bom, item_id, sites[0])
        key = sorted((b.component_item_id, b.quantity_per) for b in chosen)
        for other in sites[1:]:
            theirs = recipe(draft.inputs.bom, item_id, other)
            if sorted((b.component_item_id, b.quantity_per) for b in theirs) != key:
                draft.notes.append(
                    f"{draft.sku(item_id)} at {draft.site(other)} is modelled with the bill of "
                    f"materials of {draft.site(sites[0])} (the engine's BOM is one per item)"
                )
        lines += [EngineBom(draft.sku(item_id), draft.sku(b.component_item_id), b.quantity_per)
                  for b in chosen]  # fmt: skip
    return lines


def build_network(inputs: RiskInputs) -> Built:
    """The engine network of what ``inputs`` hold (see the module docstring)."""
    draft = _Draft(inputs)
    points = {(p.item_id, p.site_id) for p in inputs.points}
    makers: dict[int, list[int]] = {}
    components: set[Row] = set()
    for item_id, site_id in sorted(points, key=lambda r: (r[1], r[0])):
        lines = recipe(inputs.bom, item_id, site_id)
        if lines:
            makers.setdefault(item_id, []).append(site_id)
            draft.processes[(item_id, site_id)] = math.inf
            components |= {(b.component_item_id, site_id) for b in lines}
    made = set(draft.processes)
    for row in sorted(points | components, key=lambda r: (r[1], r[0])):
        _supply(draft, row, made=row in made, points=points)
    bom = _bom(draft, makers)
    rows = points | components
    stock: dict[Row, float] = {}
    for position in inputs.positions:
        row = (position.item_id, position.site_id)
        if row in rows:
            quantity = float(position.on_hand + position.in_transit)
            stock[row] = stock.get(row, 0.0) + max(0.0, quantity)
    demand = tuple(
        DemandLine(site_id, item_id, rate.rate, inputs.items[item_id].unit_value, rate.source)
        for (item_id, site_id), rate in sorted(inputs.demand.items(), key=lambda kv: kv[0][::-1])
        if (item_id, site_id) in points and rate.rate > 0
    )
    used = {s for _, s in draft.processes} | {s for _, s in rows}
    used |= {a for a, _, _ in draft.arcs} | {b for _, b, _ in draft.arcs}
    nodes = tuple(draft.site(s) for s in sorted(used))
    network = SupplyNetwork(
        nodes=nodes,
        processes=tuple(
            Process(draft.site(s), draft.sku(i), cap)
            for (i, s), cap in sorted(draft.processes.items(), key=lambda kv: kv[0][::-1])
        ),
        arcs=tuple(
            Arc(draft.site(a), draft.site(b), draft.sku(i), cap)
            for (a, b, i), cap in sorted(draft.arcs.items())
        ),
        bom=tuple(bom),
        stocks=tuple(
            Stock(draft.site(s), draft.sku(i), q)
            for (i, s), q in sorted(stock.items(), key=lambda kv: kv[0][::-1])
        ),
        demands=tuple(
            Demand(draft.site(d.site_id), draft.sku(d.item_id), d.rate, d.margin) for d in demand
        ),
    )
    return Built(
        network,
        {draft.site(s): s for s in used},
        demand,
        tuple(draft.assumed),
        tuple(draft.outside),
        tuple(draft.notes),
    )
