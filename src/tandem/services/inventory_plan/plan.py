"""Run the coordinated inventory plan: load, build, optimise and compare, share the savings.

Three visible steps: :func:`~tandem.services.inventory_plan.loading.load_inputs` reads what the
caller may see (audited), :func:`~tandem.services.inventory_plan.builder.build_network` turns it
into a guaranteed-service network, and the engines of :mod:`tandem.planning.meio` cost policies
(a) buffer everywhere, (b) push to the customer and (c) the optimum (Graves & Willems 2000),
per member, with landed costs and fair shares (proportional; Shapley 1953 up to
:data:`~tandem.planning.meio.MAX_EXACT_MEMBERS` members). :func:`propose` puts the optimum to the
network's vote through :func:`tandem.services.proposals.create_proposal`.
"""

from __future__ import annotations

import math

from tandem.domain.coordination import (
    MemberShare,
    Placement,
    PolicyTotals,
    Proposal,
    ProposalDraft,
    TransferRule,
)
from tandem.domain.errors import Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import raise_if
from tandem.domain.sharing import DataCategory
from tandem.planning.meio import (
    MAX_EXACT_MEMBERS,
    FairShare,
    GSMMethod,
    GSMNetwork,
    GSMSolution,
    GuaranteedServiceOptimizer,
    MemberAllocation,
    PolicyComparison,
    PolicyResult,
    SharingRule,
    compare_members,
    compare_policies,
    proportional_allocation,
    share_savings,
)
from tandem.services.context import ServiceContext
from tandem.services.inventory_plan.builder import BuiltNetwork, build_network
from tandem.services.inventory_plan.loading import PlanInputs, load_inputs
from tandem.services.inventory_plan.results import (
    EndPointCost,
    Exclusion,
    InventoryPlan,
    LandedCostLine,
    MemberComparisonRow,
    MemberCost,
    MemberTotals,
    NoDemandStages,
    PlanRequest,
    PolicySummary,
    StagePlan,
)
from tandem.services.proposals import create_proposal

GAME_BUDGET = 20_000
"""Most stage solves (stages x 2^members) spent on the coalition game of the fair shares."""

REASONS = {
    DataCategory.PLANNING_PARAMETERS: "stocking points left out: no active planning_parameters "
    "grant covers them",
    DataCategory.BILLS_OF_MATERIALS: "bill-of-materials lines not linked: no active "
    "bills_of_materials grant covers them",
}


class _RememberingOptimizer(GuaranteedServiceOptimizer):
    """Solves each distinct network once (the comparison, both sharing rules and the coalition
    game ask for the same networks again)."""

    def __init__(self, method: GSMMethod | None) -> None:
        super().__init__(method=method)
        self._solved: dict[GSMNetwork, GSMSolution] = {}

    def solve(self, network: GSMNetwork) -> GSMSolution:
        if network not in self._solved:
            self._solved[network] = super().solve(network)
        return self._solved[network]


def _check(request: PlanRequest) -> None:
    found = []
    if not (math.isfinite(request.service_level) and 0 < request.service_level < 1):
        found.append(Violation("request", "must lie strictly between 0 and 1", "service_level"))
    if not (math.isfinite(request.carrying_rate) and request.carrying_rate >= 0):
        found.append(Violation("request", "must be a finite number ≥ 0", "carrying_rate"))
    if request.customer_service_days < 0:
        found.append(Violation("request", "must not be negative", "customer_service_days"))
    raise_if(found, "invalid inventory plan request")


def plan_inventory(
    ctx: ServiceContext, principal: Principal, request: PlanRequest
) -> InventoryPlan:
    """The coordinated inventory plan of everything the caller may see."""
    principal.require(Scope.DATA_READ)
    _check(request)
    inputs = load_inputs(ctx, principal)
    built = build_network(inputs, request)
    if not any(s.demand_std > 0 for s in built.network.stages):
        raise NoDemandStages(
            "no visible stocking point has a forecast or demand history: nothing to protect"
        )
    optimizer = _RememberingOptimizer(request.method)
    comparison = compare_policies(built.network, optimizer)
    solution = optimizer.solve(built.network)
    shares, notes = _fair_shares(built, optimizer, comparison, request)
    return InventoryPlan(
        network_id=inputs.network_id,
        request=request,
        stages=_stages(inputs, built, comparison.optimal),
        arcs=built.arcs,
        policies=_policies(built, comparison, request.carrying_rate),
        members=_members(inputs, built, comparison),
        landed_costs=_landed_costs(built, comparison.optimal, request.carrying_rate),
        fair_shares=shares,
        method=solution.method.value,
        gap=solution.gap,
        optimal_proven=comparison.optimal_proven,
        included_member_ids=tuple(sorted({p.owner_member_id for p in built.points})),
        exclusions=_exclusions(inputs),
        warnings=(*inputs.warnings, *notes),
        assumptions=built.assumptions,
    )


def _stages(
    inputs: PlanInputs, built: BuiltNetwork, optimal: PolicyResult
) -> tuple[StagePlan, ...]:
    stages = []
    for k, p in enumerate(built.points):
        name, stage = str(p.id), built.network.stages[k]
        demand = inputs.demand.get((p.item_id, p.site_id)) if stage.demand_std > 0 else None
        net, safety = optimal.net_lead_times[k], optimal.safety_stocks[k]
        stages.append(
            StagePlan(
                p.id,
                p.owner_member_id,
                built.members[name],
                inputs.items[p.item_id].sku,
                inputs.sites[p.site_id].code,
                built.depth[name],
                0.0 if demand is None else demand.mean,
                stage.demand_std,
                "" if demand is None else demand.source,
                built.flow[name],
                stage.processing_time,
                built.values[name],
                built.rates[name],
                optimal.inbound_service_times[k],
                optimal.outbound_service_times[k],
                net,
                safety,
                built.flow[name] * net + safety,
                p.parameters.safety_stock,
                p.parameters.order_up_to_level,
            )
        )
    return tuple(stages)


def _policies(
    built: BuiltNetwork, comparison: PolicyComparison, rate: float
) -> tuple[PolicySummary, PolicySummary, PolicySummary]:
    def summary(result: PolicyResult) -> PolicySummary:
        stock = dict(zip(result.stage_names, result.safety_stocks, strict=True))
        landed = built.roll_up(stock, rate)
        return PolicySummary(
            result.policy,
            sum(result.safety_stocks),
            sum(built.values[n] * s for n, s in stock.items()),
            result.total_cost,
            tuple(EndPointCost(int(e.point), e.breakdown.landed_cost) for e in landed.end_points()),
        )

    a, b, c = comparison.results()
    return summary(a), summary(b), summary(c)


def _members(
    inputs: PlanInputs, built: BuiltNetwork, comparison: PolicyComparison
) -> tuple[MemberComparisonRow, ...]:
    ids = {inputs.members[p.owner_member_id].code: p.owner_member_id for p in built.points}

    def totals(result: PolicyResult, code: str) -> MemberTotals:
        rows = [
            (n, s, h)
            for n, s, h in zip(
                result.stage_names, result.safety_stocks, result.holding_costs, strict=True
            )
            if built.members[n] == code
        ]
        return MemberTotals(
            sum(s for _, s, _ in rows),
            sum(built.values[n] * s for n, s, _ in rows),
            sum(h for *_, h in rows),
        )

    a, b, c = comparison.results()
    return tuple(
        MemberComparisonRow(ids[code], code, totals(a, code), totals(b, code), totals(c, code))
        for code in dict.fromkeys(built.members.values())
    )


def _landed_costs(
    built: BuiltNetwork, optimal: PolicyResult, rate: float
) -> tuple[LandedCostLine, ...]:
    stock = dict(zip(optimal.stage_names, optimal.safety_stocks, strict=True))
    result = built.roll_up(stock, rate)
    return tuple(
        LandedCostLine(
            int(e.point),
            e.item,
            e.site,
            e.member,
            e.breakdown.value,
            e.breakdown.material,
            e.breakdown.local,
            e.breakdown.landed_cost,
            tuple(MemberCost(s.member, s.costs) for s in e.member_shares),
        )
        for e in result.end_points()
    )


def _fair_shares(
    built: BuiltNetwork,
    optimizer: GuaranteedServiceOptimizer,
    comparison: PolicyComparison,
    request: PlanRequest,
) -> tuple[tuple[FairShare, ...], list[str]]:
    """Proportional shares with the core checks and Shapley values of the coalition game when
    its ``2^n`` optimisations fit :data:`GAME_BUDGET`; otherwise proportional shares alone."""
    n = len(set(built.members.values()))
    stages = len(built.network.stages)
    if request.shapley and n <= MAX_EXACT_MEMBERS and stages * 2**n <= GAME_BUDGET:
        rules = (SharingRule.PROPORTIONAL, SharingRule.SHAPLEY)
        return tuple(share_savings(built.network, built.members, r, optimizer) for r in rules), []
    why = (
        "not requested"
        if not request.shapley
        else f"2^{n} coalition optimisations of {stages} stages exceed the budget of "
        f"{GAME_BUDGET:,} stage solves"
    )
    return (_proportional(built, comparison),), [
        f"Shapley values and the core check were skipped ({why}); savings are shared in "
        "proportion to each member's stand-alone cost under (a)."
    ]


def _proportional(built: BuiltNetwork, comparison: PolicyComparison) -> FairShare:
    view = compare_members(comparison, built.members)
    standalone = [v.buffer_everywhere.holding_cost for v in view.members]
    total = comparison.optimal.total_cost
    allocated = proportional_allocation(standalone, total)
    tolerance = 1e-9 * max(1.0, sum(standalone))
    return FairShare(
        rule=SharingRule.PROPORTIONAL,
        allocations=tuple(
            MemberAllocation(v.member, a, v.optimal.holding_cost, x, None)
            for v, a, x in zip(view.members, standalone, allocated, strict=True)
        ),
        standalone_total=comparison.buffer_everywhere.total_cost,
        coordinated_total=total,
        no_member_worse_off=all(
            x <= a + tolerance for x, a in zip(allocated, standalone, strict=True)
        ),
        individually_rational=None,
        in_core=None,
        blocking_coalition=(),
        proven_optimal=comparison.optimal_proven,
    )


def _exclusions(inputs: PlanInputs) -> tuple[Exclusion, ...]:
    return tuple(
        Exclusion(member_id, inputs.members[member_id].code, category, rows, REASONS[category])
        for (member_id, category), rows in sorted(inputs.hidden.items())
    )


# ---------------------------------------------------------------- proposal


def proposal_draft(
    plan: InventoryPlan, title: str, rule: TransferRule = TransferRule.PROPORTIONAL
) -> ProposalDraft:
    """The optimum of ``plan`` as a proposal: placements, totals and each member's transfer."""
    share = next(f for f in plan.fair_shares if f.rule.value == rule.value)
    ids = {m.member: m.member_id for m in plan.members}
    shapley = next((f for f in plan.fair_shares if f.rule is SharingRule.SHAPLEY), None)
    placements = tuple(
        Placement(
            s.item_site_id,
            s.member_id,
            s.inbound_service_time,
            s.outbound_service_time,
            s.net_lead_time,
            s.safety_stock,
            s.base_stock,
            s.holding_cost_per_unit_year,
            s.current_safety_stock,
            s.current_order_up_to,
        )
        for s in plan.stages
    )
    shares = tuple(
        MemberShare(
            ids[a.member],
            a.standalone_cost,
            a.coordinated_cost,
            a.transfer_received,
            None if shapley is None else shapley.allocation(a.member).allocated_cost,
        )
        for a in share.allocations
    )
    totals = PolicyTotals(*(p.holding_cost for p in plan.policies))
    return ProposalDraft(
        plan.network_id,
        title,
        plan.request.service_level,
        plan.method,
        plan.optimal_proven,
        plan.gap,
        totals,
        placements,
        shares,
        rule,
    )


def propose(
    ctx: ServiceContext,
    principal: Principal,
    request: PlanRequest,
    title: str,
    rule: TransferRule = TransferRule.PROPORTIONAL,
) -> Proposal:
    """Compute the plan and put its optimum to the network's vote."""
    principal.require(Scope.NETWORK_WRITE)
    plan = plan_inventory(ctx, principal, request)
    return create_proposal(ctx, principal, proposal_draft(plan, title, rule))
