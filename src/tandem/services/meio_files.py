"""Guaranteed-service network files: parse, validate, solve, report.

The JSON format read by ``tandem meio solve`` (all times in periods, service times whole)::

    {"service_level": 0.95,          # or "z": 1.645 (optional; a stage may override either)
     "holding_rate": 0.3,            # optional: holding cost = rate x cumulative added cost
     "stages": [{"id": "...", "processing_time": 4, "added_cost": 8000.0, "holding_cost": null,
                 "demand_mean": 5.0, "demand_std": 3.0, "max_service_time": 0,
                 "external_inbound_service_time": 0, "service_level": 0.97,
                 "member": "supplier-co"}],                # member: optional label
     "arcs": [{"from": "supplier-stage-id", "to": "customer-stage-id", "quantity": 1}]}

Definitions (the CLI help and ``docs/engines/meio.md`` repeat them):

* ``z`` of a demand stage is its own ``z`` or ``Phi^-1(service_level)``, else the network's.
  A *demand stage* has ``demand_mean > 0`` or ``demand_std > 0``; it needs a service level and
  a ``max_service_time`` (the service time quoted to its customers).
* ``holding_cost`` of a stage is its explicit value, else ``holding_rate x cumulative cost`` with
  ``cumulative cost = added_cost + sum over its supplier arcs of quantity x supplier's
  cumulative cost``.
* ``safety_stock = z sigma_j sqrt(net lead time)`` with the engine's pooled ``z sigma_j``;
  ``base_stock = mu_j x net lead time + safety_stock`` with ``mu_j = sum_k phi_jk mu_k`` the
  mean demand through the stage (``phi_jk``: units of ``j`` per unit of demand stage ``k``,
  summed over paths); the stage's ``holding_cost`` in the result is ``h_j x safety_stock``, and
  ``total_cost`` is their sum.

``tandem meio compare`` (:func:`compare_problem`) costs three placements for the same customer
service — ``buffer_everywhere`` (every stage quotes 0, demand stages their customer service
time), ``push_to_customer`` (every stage quotes its longest feasible service time) and
``optimal`` — per stage, per ``member`` (stages without a label are grouped under
``"(unlabelled)"``) and in total, with ``safety_stock_value = sum_j cumulative cost_j x
safety_stock_j`` and ``holding_cost_per_unit = total_cost / sum of the demand stages'
demand_mean``.

Every function here is pure; invalid input raises :class:`ValidationFailed` with one
:class:`Violation` per problem, located at ``stage 'X'`` or ``arc 'A' -> 'B'``.
"""

from __future__ import annotations

import enum
import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scipy.stats import norm  # type: ignore[import-untyped, unused-ignore]

from tandem.domain.errors import ValidationFailed, Violation
from tandem.planning.meio.gsm import (
    Arc,
    GSMMethod,
    GSMNetwork,
    GSMSolution,
    GuaranteedServiceOptimizer,
    Policy,
    PolicyComparison,
    PolicyResult,
    Stage,
    compare_policies,
)

__all__ = [
    "UNLABELLED",
    "MeioComparison",
    "MeioProblem",
    "MeioResult",
    "SolveMethod",
    "StageResult",
    "compare_problem",
    "parse_network",
    "solve_problem",
]

NETWORK_KEYS = frozenset({"service_level", "z", "holding_rate", "stages", "arcs"})
STAGE_KEYS = frozenset(
    {
        "id",
        "processing_time",
        "added_cost",
        "holding_cost",
        "demand_mean",
        "demand_std",
        "max_service_time",
        "external_inbound_service_time",
        "service_level",
        "z",
        "member",
    }
)
UNLABELLED = "(unlabelled)"
"""The member of stages without a ``member`` label in ``tandem meio compare``."""
ARC_KEYS = frozenset({"from", "to", "quantity"})


class SolveMethod(enum.StrEnum):
    """Algorithm choice of ``tandem meio solve --method``."""

    AUTO = "auto"
    """Engine default: tree DP on spanning trees, else heuristic then branch and bound."""
    TREE_DP = "tree-dp"
    """Graves & Willems (2000) DP; only for networks whose undirected graph has no cycle."""
    EXACT = "exact"
    """The MIP on HiGHS (adaptive breakpoints), optimal when its gap closes."""
    HEURISTIC = "heuristic"
    """Spanning-tree heuristic with its Lagrangian lower bound (gap)."""


@dataclass(frozen=True)
class MeioProblem:
    """A validated network file: the engine network plus what the report needs."""

    network: GSMNetwork
    mean_demand: tuple[float, ...]
    """Pooled mean demand per period through each stage, in ``network.stages`` order."""
    cumulative_cost: tuple[float | None, ...]
    """Cumulative (landed) cost per stage; ``None`` where an added cost upstream is missing."""
    members: tuple[str | None, ...] = ()
    """Optional supply-chain member label per stage (empty: none given); not in the engine."""


@dataclass(frozen=True)
class StageResult:
    inbound_service_time: int
    outbound_service_time: int
    net_lead_time: float
    safety_stock: float
    base_stock: float
    holding_cost: float


@dataclass(frozen=True)
class MeioResult:
    total_cost: float
    optimal: bool
    gap: float
    method: str
    seconds: float
    stages: dict[str, StageResult]

    def to_json(self) -> dict[str, Any]:
        """The documented ``--json`` object."""
        return {
            "total_cost": self.total_cost,
            "optimal": self.optimal,
            "gap": self.gap,
            "method": self.method,
            "seconds": self.seconds,
            "stages": {
                name: {
                    "inbound_service_time": s.inbound_service_time,
                    "outbound_service_time": s.outbound_service_time,
                    "net_lead_time": s.net_lead_time,
                    "safety_stock": s.safety_stock,
                    "base_stock": s.base_stock,
                    "holding_cost": s.holding_cost,
                }
                for name, s in self.stages.items()
            },
        }


# ---------------------------------------------------------------------------------------------
# parsing


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a finite number")


def parse_network(text: str) -> MeioProblem:
    """Parse and validate a network file; raise :class:`ValidationFailed` listing every
    problem."""
    try:
        raw = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            violations=[Violation(f"line {exc.lineno}, column {exc.colno}", exc.msg)],
        ) from None
    except ValueError as exc:
        raise ValidationFailed(f"not valid JSON: {exc}") from None
    return _Parser().parse(raw)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


@dataclass
class _RawStage:
    id: str
    processing_time: float
    added_cost: float | None
    holding_cost: float | None
    demand_mean: float
    demand_std: float
    max_service_time: float | None
    external_inbound_service_time: float
    z: float | None
    member: str | None = None


class _Parser:
    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def add(self, location: str, message: str, field: str | None = None) -> None:
        self.violations.append(Violation(location, message, field))

    def fail_if_any(self) -> None:
        if self.violations:
            n = len(self.violations)
            raise ValidationFailed(
                f"invalid network: {n} problem{'s' if n != 1 else ''}",
                violations=self.violations,
            )

    def number(
        self,
        obj: Mapping[str, Any],
        key: str,
        location: str,
        *,
        default: float | None = None,
        required: bool = False,
        nullable: bool = False,
        minimum: float | None = 0.0,
        positive: bool = False,
    ) -> float | None:
        if key not in obj:
            if required:
                self.add(location, "missing (required)", key)
            return default
        value = obj[key]
        if value is None:
            if nullable:
                return None
            self.add(location, "must be a number, not null", key)
            return default
        if not _is_number(value) or not math.isfinite(value):
            self.add(location, f"must be a finite number, got {json.dumps(value)}", key)
            return default
        number = float(value)
        if positive and not number > 0:
            self.add(location, f"must be > 0, got {value}", key)
            return default
        if minimum is not None and number < minimum:
            self.add(location, f"must be >= {minimum:g}, got {value}", key)
            return default
        return number

    def unknown_keys(self, obj: Mapping[str, Any], allowed: frozenset[str], location: str) -> None:
        for key in obj:
            if key not in allowed:
                self.add(location, f"unknown key (allowed: {', '.join(sorted(allowed))})", str(key))

    def service_factor(self, obj: Mapping[str, Any], location: str) -> float | None:
        level = self.number(obj, "service_level", location, nullable=True, minimum=None)
        z = self.number(obj, "z", location, nullable=True, minimum=0.0)
        if level is not None and z is not None:
            self.add(location, "give service_level or z, not both", "z")
            return None
        if level is not None:
            if not 0.5 <= level < 1.0:
                self.add(location, f"must be in [0.5, 1), got {level:g}", "service_level")
                return None
            return float(norm.ppf(level))
        return z

    def parse(self, raw: object) -> MeioProblem:
        top = "network"
        if not isinstance(raw, dict):
            self.add(top, "the file must hold one JSON object")
            self.fail_if_any()
            raise AssertionError  # pragma: no cover
        self.unknown_keys(raw, NETWORK_KEYS, top)
        network_z = self.service_factor(raw, top)
        holding_rate = self.number(raw, "holding_rate", top, nullable=True)
        stages_raw = raw.get("stages")
        if not isinstance(stages_raw, list) or not stages_raw:
            self.add(top, "must be a non-empty list of stage objects", "stages")
            stages_raw = []
        arcs_raw = raw.get("arcs", [])
        if not isinstance(arcs_raw, list):
            self.add(top, "must be a list of arc objects", "arcs")
            arcs_raw = []

        stages: dict[str, _RawStage] = {}
        named = {
            item["id"] for item in stages_raw if isinstance(item, dict) and _is_id(item.get("id"))
        }
        for position, item in enumerate(stages_raw):
            stage = self.stage(item, position)
            if stage is None:
                continue
            if stage.id in stages:
                self.add(f"stage '{stage.id}'", "duplicate stage id", "id")
                continue
            stages[stage.id] = stage

        arcs: list[Arc] = []
        seen_arcs: set[tuple[str, str]] = set()
        for position, item in enumerate(arcs_raw):
            arc = self.arc(item, position, named)
            if arc is None:
                continue
            key = (arc.upstream, arc.downstream)
            if key in seen_arcs:
                self.add(f"arc '{key[0]}' -> '{key[1]}'", "duplicate arc (merge the quantities)")
                continue
            seen_arcs.add(key)
            arcs.append(arc)
        self.fail_if_any()

        order = self.topological_order(list(stages), arcs)
        self.fail_if_any()
        return self.build(stages, arcs, order, network_z, holding_rate)

    def stage(self, item: object, position: int) -> _RawStage | None:
        if not isinstance(item, dict):
            self.add(f"stages[{position}]", "must be an object")
            return None
        sid = item.get("id")
        if not _is_id(sid):
            self.add(f"stages[{position}]", "missing or not a non-empty string", "id")
            return None
        assert isinstance(sid, str)
        loc = f"stage '{sid}'"
        before = len(self.violations)
        self.unknown_keys(item, STAGE_KEYS, loc)
        t = self.number(item, "processing_time", loc, required=True)
        added = self.number(item, "added_cost", loc, nullable=True)
        holding = self.number(item, "holding_cost", loc, nullable=True)
        mean = self.number(item, "demand_mean", loc, default=0.0)
        std = self.number(item, "demand_std", loc, default=0.0)
        max_s = self.number(item, "max_service_time", loc, nullable=True)
        si = self.number(item, "external_inbound_service_time", loc, default=0.0)
        z = self.service_factor(item, loc)
        member = item.get("member")
        if member is not None and not _is_id(member):
            self.add(loc, "must be a non-empty string or null", "member")
        if len(self.violations) > before:
            return None
        assert t is not None and mean is not None and std is not None and si is not None
        return _RawStage(sid, t, added, holding, mean, std, max_s, si, z, member)

    def arc(self, item: object, position: int, named: set[str]) -> Arc | None:
        if not isinstance(item, dict):
            self.add(f"arcs[{position}]", "must be an object")
            return None
        ends = [item.get("from"), item.get("to")]
        if not all(_is_id(e) for e in ends):
            loc = f"arcs[{position}]"
            for key, end in zip(("from", "to"), ends, strict=True):
                if not _is_id(end):
                    self.add(loc, "missing or not a non-empty stage id", key)
            return None
        up, down = str(ends[0]), str(ends[1])
        loc = f"arc '{up}' -> '{down}'"
        before = len(self.violations)
        self.unknown_keys(item, ARC_KEYS, loc)
        quantity = self.number(item, "quantity", loc, default=1.0, positive=True)
        for key, end in (("from", up), ("to", down)):
            if end not in named:
                self.add(loc, f"unknown stage id '{end}'", key)
        if up == down:
            self.add(loc, "an arc must join two different stages")
        if len(self.violations) > before or quantity is None:
            return None
        return Arc(up, down, quantity)

    def topological_order(self, names: list[str], arcs: list[Arc]) -> list[str]:
        succ: dict[str, list[str]] = {n: [] for n in names}
        indegree = dict.fromkeys(names, 0)
        for arc in arcs:
            succ[arc.upstream].append(arc.downstream)
            indegree[arc.downstream] += 1
        ready = [n for n in names if indegree[n] == 0]
        order: list[str] = []
        while ready:
            n = ready.pop()
            order.append(n)
            for d in succ[n]:
                indegree[d] -= 1
                if indegree[d] == 0:
                    ready.append(d)
        if len(order) < len(names):
            cycle = _find_cycle({n: succ[n] for n in names if indegree[n] > 0})
            path = " -> ".join(f"'{n}'" for n in [*cycle, cycle[0]])
            self.add(f"stage '{cycle[0]}'", f"the network has a cycle: {path}")
        return order

    def build(
        self,
        stages: dict[str, _RawStage],
        arcs: list[Arc],
        order: list[str],
        network_z: float | None,
        holding_rate: float | None,
    ) -> MeioProblem:
        preds: dict[str, list[Arc]] = {n: [] for n in stages}
        succs: dict[str, list[Arc]] = {n: [] for n in stages}
        for arc in arcs:
            preds[arc.downstream].append(arc)
            succs[arc.upstream].append(arc)

        cumulative, missing_added = _cumulative_costs(stages, preds, order)

        # mean demand through each stage, customers first
        mean: dict[str, float] = {}
        for name in reversed(order):
            mean[name] = stages[name].demand_mean + sum(
                arc.quantity * mean[arc.downstream] for arc in succs[name]
            )

        engine_stages: list[Stage] = []
        for name, st in stages.items():
            loc = f"stage '{name}'"
            holding = st.holding_cost
            if holding is None:
                if holding_rate is None:
                    self.add(loc, "no holding_cost and no network holding_rate", "holding_cost")
                elif cumulative[name] is None:
                    self.add(
                        loc,
                        "no holding_cost, and the cumulative cost is unknown: stage "
                        f"'{missing_added[name]}' has no added_cost",
                        "holding_cost",
                    )
                else:
                    holding = holding_rate * float(cumulative[name] or 0.0)
            is_demand = st.demand_mean > 0 or st.demand_std > 0
            if is_demand and st.z is None and network_z is None:
                self.add(
                    loc,
                    "a demand stage needs a service level: give service_level or z on the "
                    "stage or the network",
                    "service_level",
                )
            if is_demand and st.max_service_time is None:
                self.add(
                    loc,
                    "a demand stage needs max_service_time (the service time quoted to its "
                    "customers)",
                    "max_service_time",
                )
            engine_stages.append(
                Stage(
                    name=name,
                    processing_time=st.processing_time,
                    holding_cost=holding if holding is not None else 0.0,
                    demand_std=st.demand_std,
                    max_service_time=st.max_service_time,
                    external_inbound_service_time=st.external_inbound_service_time,
                    service_factor=st.z,
                )
            )
        self.fail_if_any()
        network = GSMNetwork(
            stages=tuple(engine_stages),
            arcs=tuple(arcs),
            service_factor=1.0 if network_z is None else network_z,
        )
        return MeioProblem(
            network=network,
            mean_demand=tuple(mean[name] for name in stages),
            cumulative_cost=tuple(cumulative[name] for name in stages),
            members=tuple(st.member for st in stages.values()),
        )


def _cumulative_costs(
    stages: Mapping[str, _RawStage], preds: Mapping[str, list[Arc]], order: list[str]
) -> tuple[dict[str, float | None], dict[str, str | None]]:
    """Cumulative (landed) cost per stage, suppliers first: ``added_cost + sum quantity x
    supplier's cumulative cost``; ``None`` where some stage upstream has no added cost (the
    second mapping names one such stage)."""
    cumulative: dict[str, float | None] = {}
    missing_added: dict[str, str | None] = {}
    for name in order:
        added = stages[name].added_cost
        total: float | None = added
        missing = None if added is not None else name
        for arc in preds[name]:
            supplier = cumulative[arc.upstream]
            if supplier is None:
                missing = missing or missing_added[arc.upstream]
                total = None
            elif total is not None:
                total += arc.quantity * supplier
        cumulative[name] = total
        missing_added[name] = missing
    return cumulative, missing_added


def _find_cycle(succ: dict[str, list[str]]) -> list[str]:
    """One directed cycle among the stages a topological sort could not remove: each of them
    has a predecessor among them, so walking backwards must repeat a stage."""
    pred: dict[str, str] = {}
    for node, outs in succ.items():
        for d in outs:
            if d in succ:
                pred.setdefault(d, node)
    seen: dict[str, int] = {}
    path: list[str] = []
    node = next(iter(succ))
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = pred[node]
    return path[seen[node] :][::-1]


# ---------------------------------------------------------------------------------------------
# solving


def _optimizer(
    network: GSMNetwork, method: SolveMethod, time_limit: float
) -> GuaranteedServiceOptimizer:
    engine_method: GSMMethod | None
    if method is SolveMethod.TREE_DP:
        if not network.structure.is_forest:
            raise ValidationFailed(
                "--method tree-dp needs a spanning tree (or forest), but this network has an "
                "undirected cycle (a stage reached along two paths); use --method auto, exact "
                "or heuristic"
            )
        engine_method = GSMMethod.TREE_DP
    elif method is SolveMethod.EXACT:
        engine_method = GSMMethod.MIP
    elif method is SolveMethod.HEURISTIC:
        engine_method = GSMMethod.HEURISTIC
    else:
        engine_method = None
    return GuaranteedServiceOptimizer(method=engine_method, time_limit=time_limit)


def solve_problem(
    problem: MeioProblem, method: SolveMethod = SolveMethod.AUTO, time_limit: float = 60.0
) -> MeioResult:
    """Solve with the chosen algorithm and assemble the per-stage report."""
    optimizer = _optimizer(problem.network, method, time_limit)
    started = time.perf_counter()
    solution = optimizer.solve(problem.network)
    seconds = time.perf_counter() - started
    return _result(problem, solution, seconds)


def _result(problem: MeioProblem, solution: GSMSolution, seconds: float) -> MeioResult:
    stages: dict[str, StageResult] = {}
    for j, stage in enumerate(problem.network.stages):
        net = solution.net_lead_times[j]
        safety = solution.safety_stocks[j]
        stages[stage.name] = StageResult(
            inbound_service_time=solution.inbound_service_times[j],
            outbound_service_time=solution.outbound_service_times[j],
            net_lead_time=net,
            safety_stock=safety,
            base_stock=problem.mean_demand[j] * net + safety,
            holding_cost=stage.holding_cost * safety,
        )
    return MeioResult(
        total_cost=solution.cost,
        optimal=solution.is_proven_optimal(),
        gap=solution.gap,
        method=solution.method.value,
        seconds=seconds,
        stages=stages,
    )


# ---------------------------------------------------------------------------------------------
# traditional against coordinated placement


def _end_customer_demand(problem: MeioProblem) -> float:
    """Sum of the demand stages' own ``demand_mean``: the pooled mean through each stage less
    what its customer stages draw."""
    network = problem.network
    own = list(problem.mean_demand)
    for arc in network.arcs:
        own[network.index[arc.upstream]] -= (
            arc.quantity * problem.mean_demand[network.index[arc.downstream]]
        )
    return max(0.0, sum(own))


def _policy_json(problem: MeioProblem, result: PolicyResult) -> dict[str, Any]:
    value: float | None = 0.0
    for ss, cumulative in zip(result.safety_stocks, problem.cumulative_cost, strict=True):
        if cumulative is None:
            value = None
            break
        assert value is not None
        value += cumulative * ss
    end_demand = _end_customer_demand(problem)
    return {
        "total_cost": result.total_cost,
        "safety_stock_value": value,
        "holding_cost_per_unit": result.total_cost / end_demand if end_demand > 0 else None,
        "stages": {
            name: {
                "inbound_service_time": si,
                "outbound_service_time": so,
                "net_lead_time": net,
                "safety_stock": ss,
                "holding_cost": cost,
            }
            for name, si, so, net, ss, cost in zip(
                result.stage_names,
                result.inbound_service_times,
                result.outbound_service_times,
                result.net_lead_times,
                result.safety_stocks,
                result.holding_costs,
                strict=True,
            )
        },
    }


@dataclass(frozen=True)
class MeioComparison:
    """``tandem meio compare``: policies (a), (b) and the optimum on one network file."""

    problem: MeioProblem
    comparison: PolicyComparison

    def members(self) -> dict[str, dict[Policy, float]]:
        """Holding cost per member under each policy (empty when no stage has a label)."""
        if not any(m is not None for m in self.problem.members):
            return {}
        groups = {
            stage.name: member if member is not None else UNLABELLED
            for stage, member in zip(self.problem.network.stages, self.problem.members, strict=True)
        }
        return self.comparison.group_costs(groups)

    def to_json(self) -> dict[str, Any]:
        """The documented ``--json`` object."""
        cmp = self.comparison
        baselines = (Policy.BUFFER_EVERYWHERE, Policy.PUSH_TO_CUSTOMER)
        out: dict[str, Any] = {
            "optimal_proven": cmp.optimal_proven,
            "policies": {r.policy.value: _policy_json(self.problem, r) for r in cmp.results()},
            "changes": {
                f"vs_{base.value}": {
                    "total_cost": cmp.total_change(base),
                    "stages": cmp.stage_change(base),
                }
                for base in baselines
            },
        }
        members = self.members()
        if members:
            out["members"] = {
                member: {
                    **{policy.value: cost for policy, cost in costs.items()},
                    **{
                        f"change_vs_{base.value}": costs[Policy.OPTIMAL] - costs[base]
                        for base in baselines
                    },
                }
                for member, costs in members.items()
            }
        return out


def compare_problem(
    problem: MeioProblem, method: SolveMethod = SolveMethod.AUTO, time_limit: float = 60.0
) -> MeioComparison:
    """Cost buffer-everywhere, push-to-customer and the optimum (chosen algorithm)."""
    optimizer = _optimizer(problem.network, method, time_limit)
    return MeioComparison(problem, compare_policies(problem.network, optimizer))
