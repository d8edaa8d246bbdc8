"""Safety stock and its holding cost per supply-chain member under the three placements.

Wraps :func:`~tandem.planning.meio.gsm.compare_policies`: every stage belongs to one member;
for each member and each :class:`~tandem.planning.meio.gsm.Policy` — (a) buffer everywhere,
(b) push to the customer, (c) the guaranteed-service optimum (Graves & Willems 2000) — it totals

* ``safety_stock_units`` = ``sum_j z sigma_j sqrt(net lead time_j)`` over the member's stages,
* ``safety_stock_value`` = ``sum_j v_j x safety stock_j`` with ``v_j`` the stage's inventory
  value (e.g. :meth:`~tandem.planning.meio.landed_cost.LandedCostResult.values`); ``None`` when
  no values are given,
* ``holding_cost`` = ``sum_j h_j x safety stock_j``,

and the change each member sees when the network moves from a baseline to the optimum.

Examples
--------
S&S Example 6.3 with stage 3 at a supplier and stages 2, 1 at a retailer: (a) is optimal here.

>>> from tandem.planning.meio.gsm import Arc, GSMNetwork, Stage, compare_policies
>>> net = GSMNetwork(
...     stages=(
...         Stage("1", 1, 7, demand_std=1.0, max_service_time=1),
...         Stage("2", 0, 4),
...         Stage("3", 1, 2, external_inbound_service_time=1),
...     ),
...     arcs=(Arc("3", "2"), Arc("2", "1")),
... )
>>> owners = {"1": "retailer", "2": "retailer", "3": "supplier"}
>>> view = compare_members(compare_policies(net), owners)
>>> [(m.member, round(m.optimal.holding_cost, 6)) for m in view.members]
[('retailer', 0.0), ('supplier', 2.828427)]
>>> round(view.member("retailer").change(Policy.PUSH_TO_CUSTOMER).holding_cost, 6)
-9.899495
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tandem.planning.meio.gsm.compare import Policy, PolicyComparison, PolicyResult

__all__ = [
    "MemberComparison",
    "MemberPolicyTotals",
    "MemberView",
    "compare_members",
    "stage_members",
]


@dataclass(frozen=True)
class MemberPolicyTotals:
    """One member's safety stock under one placement (or a change between two)."""

    safety_stock_units: float
    safety_stock_value: float | None
    holding_cost: float


@dataclass(frozen=True)
class MemberView:
    """One member's stages and totals under (a), (b) and (c)."""

    member: str
    stages: tuple[str, ...]
    buffer_everywhere: MemberPolicyTotals
    push_to_customer: MemberPolicyTotals
    optimal: MemberPolicyTotals

    def totals(self, policy: Policy) -> MemberPolicyTotals:
        """The totals under one policy."""
        return {
            Policy.BUFFER_EVERYWHERE: self.buffer_everywhere,
            Policy.PUSH_TO_CUSTOMER: self.push_to_customer,
            Policy.OPTIMAL: self.optimal,
        }[policy]

    def change(self, baseline: Policy) -> MemberPolicyTotals:
        """Optimal minus ``baseline`` (negative: the member holds less under the optimum)."""
        old, new = self.totals(baseline), self.optimal
        value = (
            None
            if old.safety_stock_value is None or new.safety_stock_value is None
            else new.safety_stock_value - old.safety_stock_value
        )
        return MemberPolicyTotals(
            safety_stock_units=new.safety_stock_units - old.safety_stock_units,
            safety_stock_value=value,
            holding_cost=new.holding_cost - old.holding_cost,
        )


@dataclass(frozen=True)
class MemberComparison:
    """Every member's view, in order of each member's first stage in the network."""

    members: tuple[MemberView, ...]
    optimal_proven: bool

    def member(self, name: str) -> MemberView:
        """The view of one member."""
        for view in self.members:
            if view.member == name:
                return view
        raise KeyError(f"unknown member {name!r}")

    def holding_costs(self, policy: Policy) -> dict[str, float]:
        """Holding cost by member under one policy."""
        return {v.member: v.totals(policy).holding_cost for v in self.members}


def stage_members(stage_names: tuple[str, ...], members: Mapping[str, str]) -> dict[str, list[str]]:
    """Stages of each member (members in order of first stage); every stage needs a member.

    Raises ``ValueError`` naming a stage without a member or a mapped name that is no stage.
    """
    known = set(stage_names)
    for name in members:
        if name not in known:
            raise ValueError(f"member map names an unknown stage {name!r}")
    grouped: dict[str, list[str]] = {}
    for name in stage_names:
        if name not in members:
            raise ValueError(f"stage {name!r} has no member")
        grouped.setdefault(members[name], []).append(name)
    return grouped


def compare_members(
    comparison: PolicyComparison,
    members: Mapping[str, str],
    unit_values: Mapping[str, float] | None = None,
) -> MemberComparison:
    """Totals per member under (a), (b) and (c).

    ``members`` maps every stage to its member; ``unit_values`` (optional, every stage) gives
    the inventory value per unit used for ``safety_stock_value``.
    """
    names = comparison.optimal.stage_names
    grouped = stage_members(names, members)
    if unit_values is not None:
        missing = [n for n in names if n not in unit_values]
        if missing:
            raise ValueError(f"stage {missing[0]!r} has no unit value")
    position = {name: k for k, name in enumerate(names)}

    def totals(result: PolicyResult, stages: list[str]) -> MemberPolicyTotals:
        idx = [position[s] for s in stages]
        value = (
            None
            if unit_values is None
            else sum(unit_values[names[k]] * result.safety_stocks[k] for k in idx)
        )
        return MemberPolicyTotals(
            safety_stock_units=sum(result.safety_stocks[k] for k in idx),
            safety_stock_value=value,
            holding_cost=sum(result.holding_costs[k] for k in idx),
        )

    return MemberComparison(
        members=tuple(
            MemberView(
                member=member,
                stages=tuple(stages),
                buffer_everywhere=totals(comparison.buffer_everywhere, stages),
                push_to_customer=totals(comparison.push_to_customer, stages),
                optimal=totals(comparison.optimal, stages),
            )
            for member, stages in grouped.items()
        ),
        optimal_proven=comparison.optimal_proven,
    )
