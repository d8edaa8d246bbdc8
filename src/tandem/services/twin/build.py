"""Map the platform's network, as the caller may see it, to the twin.

The stocking points, arcs, values and landed-cost inputs are those of the coordinated
inventory plan (:func:`tandem.services.inventory_plan.loading.load_inputs` reads what the
caller may see, auditing partner rows; :func:`~tandem.services.inventory_plan.builder.
build_network` joins lanes and bills of materials), so the twin and the inventory plan see the
same network. Per stocking point ``SKU@SITE`` (days are periods):

* **Arcs**: a lane's mean lead time plus the receiving point's ``processing_days`` (rounded to
  whole days; stochastic — a discretised normal — where the lane's deviation is positive),
  its ``capacity_per_day`` and ``cost_per_unit``; a bill of materials at one site takes the
  processing days (0: same-day assembly). Quantities are the bill's ``quantity_per``.
* **Source points** (no visible supplier) are supplied from outside after the lead time of the
  lanes into their site for their item (else for every item), plus processing days, at least 1.
* **Demand**: end customers at points with a forecast (mean and one-step error) or history
  (mean and deviation), normal and truncated at zero; with ``replay`` the recorded daily
  history is replayed instead (the same in every replication).
* **Costs** per unit and day: holding ``rate x value / 365`` (the plan's values and rates);
  backlog at demand points ``shortage_ratio x`` that (default 19: a 95 % critical ratio).
* **Policies**: planning parameters (:mod:`tandem.services.twin.model`); the adopted
  proposal's base-stock levels for the ``ADOPTED`` mode.
"""

from __future__ import annotations

from dataclasses import dataclass

from tandem.domain.coordination import ProposalStatus
from tandem.domain.errors import Violation
from tandem.domain.identity import Principal
from tandem.domain.network import DemandPoint, ItemSite, Lane
from tandem.domain.sharing import DataCategory
from tandem.services.context import MAX_PAGE, PageRequest, ServiceContext
from tandem.services.inventory_plan.builder import BuiltNetwork, build_network
from tandem.services.inventory_plan.loading import PlanInputs, load_inputs
from tandem.services.inventory_plan.results import NoDemandStages, PlanRequest, StageArc
from tandem.services.sharing import read_scoped
from tandem.services.twin.model import DEFAULT_SERVICE_LEVEL, TwinArc, TwinNetwork, TwinNode

__all__ = ["DEFAULT_SHORTAGE_RATIO", "TwinBuild", "build_twin"]

DEFAULT_SHORTAGE_RATIO = 19.0
DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class TwinBuild:
    """The twin of a network, the plan network it came from and the adopted proposal."""

    network: TwinNetwork
    built: BuiltNetwork
    point_names: dict[int, str]  # item-site id -> node name
    adopted_proposal_id: int | None
    warnings: tuple[str, ...]


def _outside_lead_time(inputs: PlanInputs, point: ItemSite) -> tuple[float, float]:
    into = [lane for lane in inputs.lanes if lane.to_site_id == point.site_id]
    lanes = [lane for lane in into if lane.item_id == point.item_id] or [
        lane for lane in into if lane.item_id is None
    ]
    if not lanes:
        return 1.0, 0.0
    slowest = max(lanes, key=lambda lane: lane.lead_time_mean_days)
    return slowest.lead_time_mean_days, slowest.lead_time_std_days


def _adopted(ctx: ServiceContext, network_id: int) -> tuple[int | None, dict[int, float]]:
    with ctx.uow() as uow:
        adopted = uow.inventory_proposals.find(network_id=network_id, status=ProposalStatus.ADOPTED)
        if not adopted:
            return None, {}
        proposal = adopted[-1]
        placements = uow.proposal_placements.find(proposal_id=proposal.id)
    return proposal.id, {p.item_site_id: p.base_stock_level for p in placements}


def _history(ctx: ServiceContext, principal: Principal) -> dict[tuple[int, int], list[float]]:
    rows: list[DemandPoint] = []
    while True:
        page = read_scoped(
            ctx,
            principal,
            DataCategory.DEMAND_HISTORY,
            lambda u: u.demand,
            ("item_id", "site_id"),
            PageRequest(len(rows), MAX_PAGE),
            "twin: demand history",
        )
        rows += page.items
        if len(rows) >= page.total or not page.items:
            break
    series: dict[tuple[int, int], list[tuple[object, float]]] = {}
    for p in rows:
        series.setdefault((p.item_id, p.site_id), []).append((p.day, p.quantity))
    return {k: [q for _, q in sorted(v)] for k, v in series.items()}


def _node(
    inputs: PlanInputs,
    built: BuiltNetwork,
    point: ItemSite,
    shortage_ratio: float,
    adopted: dict[int, float],
    history: list[float],
) -> TwinNode:
    item, site = inputs.items[point.item_id], inputs.sites[point.site_id]
    key = str(point.id)
    holding = built.rates[key] * built.values[key] / DAYS_PER_YEAR
    demand = inputs.demand.get((point.item_id, point.site_id))
    params = point.parameters
    lead, std = _outside_lead_time(inputs, point)
    return TwinNode(
        name=f"{item.sku}@{site.code}",
        item=item.sku,
        site=site.code,
        member=inputs.members[point.owner_member_id].code,
        item_site_id=point.id,
        holding_cost=holding,
        shortage_cost=shortage_ratio * holding if demand is not None else 0.0,
        lead_time_days=lead + (params.processing_days or 0.0),
        lead_time_std_days=std,
        review_days=max(1, round(params.review_period_days or 1)),
        service_level=params.target_service_level or DEFAULT_SERVICE_LEVEL,
        order_up_to=params.order_up_to_level,
        safety_stock=params.safety_stock,
        adopted_level=adopted.get(point.id),
        demand_mean=0.0 if demand is None else demand.mean,
        demand_std=0.0 if demand is None else demand.std,
        history=tuple(history) if demand is not None else (),
    )


def _arc(
    inputs: PlanInputs, names: dict[int, str], points: dict[int, ItemSite], arc: StageArc
) -> TwinArc:
    upstream, downstream, lane_id = arc.upstream, arc.downstream, arc.lane_id
    processing = points[downstream].parameters.processing_days or 0.0
    lane: Lane | None = next((x for x in inputs.lanes if x.id == lane_id), None)
    supplier_site = inputs.sites[points[upstream].site_id]
    return TwinArc(
        supplier=names[upstream],
        customer=names[downstream],
        quantity=arc.quantity,
        lane=None
        if lane is None
        else f"{inputs.sites[lane.from_site_id].code}>{inputs.sites[lane.to_site_id].code}",
        supplier_member=inputs.members[supplier_site.member_id].code,
        lead_time_days=processing + (0.0 if lane is None else lane.lead_time_mean_days),
        lead_time_std_days=0.0 if lane is None else lane.lead_time_std_days,
        capacity=None if lane is None else lane.capacity_per_day,
        cost_per_unit=0.0 if lane is None else lane.cost_per_unit,
    )


def build_twin(
    ctx: ServiceContext,
    principal: Principal,
    *,
    replay: bool = False,
    shortage_ratio: float = DEFAULT_SHORTAGE_RATIO,
) -> TwinBuild:
    """The twin of the caller's network as the caller may see it (module docstring)."""
    inputs = load_inputs(ctx, principal)
    built = build_network(inputs, PlanRequest())
    adopted_id, adopted = _adopted(ctx, principal.network_id)
    history = _history(ctx, principal) if replay else {}
    points = {p.id: p for p in built.points}
    nodes = tuple(
        _node(inputs, built, p, shortage_ratio, adopted, history.get((p.item_id, p.site_id), []))
        for p in built.points
    )
    names = {n.item_site_id: n.name for n in nodes}
    arcs = tuple(_arc(inputs, names, points, a) for a in built.arcs)
    network, left_out = _serving(TwinNetwork(nodes, arcs, replay=replay))
    warnings = inputs.warnings
    if left_out:
        warnings += (
            f"{len(left_out)} stocking points serve no end-customer demand you can see and are "
            f"left out of the twin: {', '.join(left_out[:10])}",
        )
    return TwinBuild(network, built, names, adopted_id, warnings)


def _serving(net: TwinNetwork) -> tuple[TwinNetwork, list[str]]:
    """Keep the points with end-customer demand and those supplying them (the engine needs
    every node to have customers); raise if no point has demand."""
    keep = {n.name for n in net.nodes if n.demand_mean > 0 or n.history}
    if not keep:
        raise NoDemandStages(
            "no stocking point you can see has a forecast or demand history",
            violations=[Violation("network", "needs demand at one stocking point at least")],
        )
    grew = True
    while grew:
        more = {a.supplier for a in net.arcs if a.customer in keep} - keep
        keep |= more
        grew = bool(more)
    nodes = tuple(n for n in net.nodes if n.name in keep)
    arcs = tuple(a for a in net.arcs if a.supplier in keep and a.customer in keep)
    left_out = [n.name for n in net.nodes if n.name not in keep]
    return TwinNetwork(nodes, arcs, replay=net.replay), left_out
