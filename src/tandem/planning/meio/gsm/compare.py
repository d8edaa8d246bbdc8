"""Traditional against coordinated safety-stock placement, side by side.

For one network and the same end-customer service (the demand stages' ``z`` and customer
service times), three placements of safety stock are costed with the optimiser's own cost
``sum_j h_j z sigma_j sqrt(SI_j + T_j - S_j)``:

* :attr:`Policy.BUFFER_EVERYWHERE` (a) — every stage buffers everything it promises: stages
  without external demand quote ``S_j = 0``; a demand stage quotes its customer service time,
  ``S_j = min(s_j, SI_j + floor(T_j))``. Then ``SI_j = max(ceil(si_j), max_i S_i)``.
* :attr:`Policy.PUSH_TO_CUSTOMER` (b) — stock sits at the stages nearest the customer: every
  stage quotes the longest service time it can, ``S_j = min(s_j, SI_j + floor(T_j))`` in
  topological order, so stages with no bound hold no safety stock (net lead time
  ``T_j - floor(T_j)``) and the demand stages cover the whole replenishment time beyond their
  customer service time.
* :attr:`Policy.OPTIMAL` (c) — :class:`~tandem.planning.meio.gsm.GuaranteedServiceOptimizer`.

Both (a) and (b) are feasible service times, so the optimum never costs more than either
(when the optimiser proves optimality; see :attr:`PolicyComparison.optimal_proven`).

Examples
--------
S&S Example 6.3 (serial 3 -> 2 -> 1 -> customer, ``z = 1``): (a) is already optimal here,
(b) holds all ``sqrt(2)`` units at stage 1 at ``h = 7``.

>>> from tandem.planning.meio.gsm.network import Arc, Stage
>>> net = GSMNetwork(
...     stages=(
...         Stage("1", 1, 7, demand_std=1.0, max_service_time=1),
...         Stage("2", 0, 4),
...         Stage("3", 1, 2, external_inbound_service_time=1),
...     ),
...     arcs=(Arc("3", "2"), Arc("2", "1")),
... )
>>> cmp = compare_policies(net)
>>> [round(r.total_cost, 6) for r in cmp.results()]
[2.828427, 9.899495, 2.828427]
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.planning.meio.gsm.network import GSMNetwork, check_feasible, minimal_inbound
from tandem.planning.meio.gsm.optimizer import GuaranteedServiceOptimizer

__all__ = [
    "Policy",
    "PolicyComparison",
    "PolicyResult",
    "buffer_everywhere",
    "compare_policies",
    "evaluate_policy",
    "push_to_customer",
]

IntArray = npt.NDArray[np.int64]


class Policy(enum.StrEnum):
    """The three placements compared."""

    BUFFER_EVERYWHERE = "buffer_everywhere"
    """(a) every stage buffers what it promises (``S_j = 0`` except the customer service time)."""
    PUSH_TO_CUSTOMER = "push_to_customer"
    """(b) every stage quotes its longest feasible service time; stock at the customer end."""
    OPTIMAL = "optimal"
    """(c) the guaranteed-service optimum."""


@dataclass(frozen=True)
class PolicyResult:
    """Service times, safety stock and holding cost of one placement (``network.stages``
    order)."""

    policy: Policy
    stage_names: tuple[str, ...]
    outbound_service_times: tuple[int, ...]
    inbound_service_times: tuple[int, ...]
    net_lead_times: tuple[float, ...]
    safety_stocks: tuple[float, ...]
    """``z sigma_j sqrt(net lead time)`` in units."""
    holding_costs: tuple[float, ...]
    """``h_j x safety stock_j``."""
    total_cost: float
    """``sum_j h_j x safety stock_j``."""

    def holding_cost_by_stage(self) -> dict[str, float]:
        """Holding cost by stage name."""
        return dict(zip(self.stage_names, self.holding_costs, strict=True))


@dataclass(frozen=True)
class PolicyComparison:
    """The three placements and the changes the optimum brings."""

    buffer_everywhere: PolicyResult
    push_to_customer: PolicyResult
    optimal: PolicyResult
    optimal_proven: bool
    """Whether the optimiser proved its solution optimal (always on spanning trees)."""

    def results(self) -> tuple[PolicyResult, PolicyResult, PolicyResult]:
        """(a), (b), (c)."""
        return (self.buffer_everywhere, self.push_to_customer, self.optimal)

    def result(self, policy: Policy) -> PolicyResult:
        """The result of one policy."""
        return {r.policy: r for r in self.results()}[policy]

    def stage_change(self, baseline: Policy) -> dict[str, float]:
        """Optimal minus ``baseline`` holding cost, by stage (negative: the optimum saves)."""
        base = self.result(baseline).holding_costs
        return {
            name: opt - old
            for name, opt, old in zip(
                self.optimal.stage_names, self.optimal.holding_costs, base, strict=True
            )
        }

    def total_change(self, baseline: Policy) -> float:
        """Optimal minus ``baseline`` total holding cost."""
        return self.optimal.total_cost - self.result(baseline).total_cost

    def group_costs(self, groups: Mapping[str, str]) -> dict[str, dict[Policy, float]]:
        """Holding cost per group (e.g. supply-chain member) under each policy.

        ``groups`` maps stage name to group; stages it omits are left out. Groups appear in
        the order of their first stage.
        """
        totals: dict[str, dict[Policy, float]] = {}
        for result in self.results():
            for name, cost in zip(result.stage_names, result.holding_costs, strict=True):
                group = groups.get(name)
                if group is None:
                    continue
                row = totals.setdefault(group, dict.fromkeys(Policy, 0.0))
                row[result.policy] += cost
        return totals


def _demand_mask(network: GSMNetwork) -> npt.NDArray[np.bool_]:
    return np.array([s.demand_std > 0 for s in network.stages], dtype=bool)


def buffer_everywhere(network: GSMNetwork) -> tuple[IntArray, IntArray]:
    """Outbound and inbound service times of policy (a)."""
    st = network.structure
    demand = _demand_mask(network)
    floor_t = st.floor_processing_time
    outbound = np.zeros(st.n, dtype=np.int64)
    inbound = st.min_inbound.copy()
    for j in st.topological_order.tolist():
        preds = st.preds[j]
        if preds.size:
            inbound[j] = max(int(inbound[j]), int(outbound[preds].max()))
        if demand[j]:
            outbound[j] = min(int(st.max_service[j]), int(inbound[j] + floor_t[j]))
    return outbound, inbound


def push_to_customer(network: GSMNetwork) -> tuple[IntArray, IntArray]:
    """Outbound and inbound service times of policy (b): the longest feasible everywhere."""
    st = network.structure
    outbound = st.max_outbound.copy()
    return outbound, minimal_inbound(st, outbound)


def evaluate_policy(
    network: GSMNetwork, policy: Policy, outbound: IntArray, inbound: IntArray
) -> PolicyResult:
    """Cost service times with the optimiser's cost function (raises if infeasible)."""
    st = network.structure
    check_feasible(st, outbound, inbound)
    net = np.maximum(inbound + st.processing_time - outbound, 0.0)
    root = np.sqrt(net)
    safety = st.safety_coefficient * root
    holding = st.holding_cost * safety
    return PolicyResult(
        policy=policy,
        stage_names=tuple(s.name for s in network.stages),
        outbound_service_times=tuple(int(v) for v in outbound),
        inbound_service_times=tuple(int(v) for v in inbound),
        net_lead_times=tuple(float(v) for v in net),
        safety_stocks=tuple(float(v) for v in safety),
        holding_costs=tuple(float(v) for v in holding),
        total_cost=float(st.cost_coefficient @ root),
    )


def compare_policies(
    network: GSMNetwork, optimizer: GuaranteedServiceOptimizer | None = None
) -> PolicyComparison:
    """Cost policies (a), (b) and the optimum (c) on one network."""
    solution = (optimizer or GuaranteedServiceOptimizer()).solve(network)
    optimal = evaluate_policy(
        network,
        Policy.OPTIMAL,
        np.asarray(solution.outbound_service_times, dtype=np.int64),
        np.asarray(solution.inbound_service_times, dtype=np.int64),
    )
    return PolicyComparison(
        buffer_everywhere=evaluate_policy(
            network, Policy.BUFFER_EVERYWHERE, *buffer_everywhere(network)
        ),
        push_to_customer=evaluate_policy(
            network, Policy.PUSH_TO_CUSTOMER, *push_to_customer(network)
        ),
        optimal=optimal,
        optimal_proven=solution.is_proven_optimal(),
    )
