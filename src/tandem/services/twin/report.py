"""Traditional versus SCM: the evidence members see before they consent to share.

Three runs of the caller's network on the same random numbers (replication ``i`` sees the
same demand in every column):

* **traditional** — every stocking point orders up to its moving-average forecast of the
  orders it receives plus ``z`` error deviations, on its own (installation) position;
* **shared** — the same policy on end-customer demand and echelon positions (Lee,
  Padmanabhan & Whang 1997; Chen, Drezner, Ryan & Simchi-Levi 2000: sharing demand damps the
  bullwhip but does not remove it);
* **adopted** — installation base stock at the base-stock levels of the network's adopted
  inventory proposal (the guaranteed-service optimum; Graves & Willems 2000), or no column
  ("no adopted policy").

Reported with 95 % intervals over replications (:mod:`tandem.services.twin.runner`):
bullwhip (order variance / variance of the end-customer demand served) per stage, safety
stock (mean period-end net stock, on hand minus backlog: the stock left when a replenishment
is due, Silver, Pyke & Thomas 2017, §6.2) and average inventory on hand per member, fill rate
at the customer, total cost per day, and the landed cost per unit at the customer-facing points
(the landed-cost roll-up, :func:`~tandem.planning.meio.roll_up_landed_cost`, with each
replication's safety stock carried; weighted by demand), with the paired difference shared −
traditional.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tandem.domain.identity import Principal
from tandem.planning.simulation import Estimate
from tandem.services.context import ServiceContext
from tandem.services.inventory_plan.results import DEFAULT_CARRYING_RATE
from tandem.services.twin.build import TwinBuild, build_twin
from tandem.services.twin.model import Mode
from tandem.services.twin.runner import (
    Difference,
    ModeResult,
    RunOptions,
    difference,
    estimate,
    run_mode,
)

__all__ = ["MemberFigures", "Report", "traditional_vs_scm"]

FloatArray = NDArray[np.float64]
NO_ADOPTED_POLICY = "no adopted policy"


@dataclass(frozen=True)
class MemberFigures:
    member: str
    safety_stock: Estimate
    average_inventory: Estimate


@dataclass(frozen=True)
class Column:
    """One mode: its runs, figures per member and landed cost per unit."""

    mode: Mode
    result: ModeResult
    members: tuple[MemberFigures, ...]
    landed_cost: Estimate
    landed_values: FloatArray

    def figure(self, name: str) -> Estimate:
        return self.result.figure(name)


@dataclass(frozen=True)
class Report:
    options: RunOptions
    columns: tuple[Column, ...]  # traditional, shared, then adopted if any
    stages: tuple[str, ...]
    members: dict[str, str]  # stage -> member code
    adopted_proposal_id: int | None
    adopted_note: str
    warnings: tuple[str, ...]

    def column(self, mode: Mode) -> Column | None:
        return next((c for c in self.columns if c.mode is mode), None)

    def sharing_gain(self, figure: str) -> Difference:
        """Shared minus traditional, paired over replications."""
        a, b = self.columns[0], self.columns[1]
        if figure == "landed_cost":
            return difference(a.landed_values, b.landed_values)
        return difference(a.result.network_values[figure], b.result.network_values[figure])


def _members(twin: TwinBuild, result: ModeResult) -> tuple[MemberFigures, ...]:
    by_member: dict[str, list[str]] = {}
    for n in twin.network.nodes:
        by_member.setdefault(n.member, []).append(n.name)
    out = []
    for member, names in sorted(by_member.items()):
        stock = np.sum([result.node_values[n]["net_stock"] for n in names], axis=0)
        on_hand = np.sum([result.node_values[n]["on_hand"] for n in names], axis=0)
        out.append(MemberFigures(member, estimate(stock), estimate(on_hand)))
    return tuple(out)


def _landed(twin: TwinBuild, result: ModeResult) -> FloatArray:
    """Demand-weighted landed cost per unit at the end points, per replication."""
    names = {str(p.id): twin.point_names[p.id] for p in twin.built.points}
    weights = twin.built.demand_mean
    replications = len(result.network_values["total_cost"])
    out = np.empty(replications)
    for k in range(replications):
        stock = {
            key: max(0.0, float(result.node_values[name]["net_stock"][k]))
            for key, name in names.items()
            if name in result.node_values
        }
        rolled = twin.built.roll_up(stock, DEFAULT_CARRYING_RATE)
        ends = [(p.breakdown.landed_cost, weights.get(p.point, 0.0)) for p in rolled.end_points()]
        total = sum(w for _, w in ends)
        out[k] = sum(c * w for c, w in ends) / total if total > 0 else float("nan")
    return out


def _column(twin: TwinBuild, mode: Mode, options: RunOptions, ctx: ServiceContext) -> Column:
    executor = ctx.replication_executor
    result = run_mode(mode.value, twin.network, mode, options, executor)
    landed = _landed(twin, result)
    return Column(mode, result, _members(twin, result), estimate(landed), landed)


def traditional_vs_scm(
    ctx: ServiceContext, principal: Principal, options: RunOptions, replay: bool = False
) -> Report:
    """The report of the caller's network (module docstring)."""
    twin = build_twin(ctx, principal, replay=replay)
    modes = [Mode.TRADITIONAL, Mode.SHARED]
    if twin.adopted_proposal_id is not None:
        modes.append(Mode.ADOPTED)
    columns = tuple(_column(twin, mode, options, ctx) for mode in modes)
    note = (
        f"proposal {twin.adopted_proposal_id}"
        if twin.adopted_proposal_id is not None
        else NO_ADOPTED_POLICY
    )
    return Report(
        options,
        columns,
        tuple(n.name for n in twin.network.nodes),
        {n.name: n.member for n in twin.network.nodes},
        twin.adopted_proposal_id,
        note,
        twin.warnings,
    )
