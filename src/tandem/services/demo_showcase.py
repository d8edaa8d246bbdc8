"""The demo network's collaboration: what its members consent to share, and what they do with it.

:func:`seed_demo_showcase` runs, once after the demo's flows and first plan, the steps a real
coffee chain would take on the platform, each through the service a member would call:

1. **Consent** (:data:`GRANTS`, :func:`tandem.services.sharing.grant_access`). The café chain
   shares its demand history and forecasts with its distributor and the roaster; the
   distributor its forecasts and stock with the roaster; every member that holds stock lets the
   roaster, the network's planner, read its planning parameters, bills of materials and stock;
   the roaster shares its production plans with its green-coffee importer; risk owners share
   their risks with the members they would hit.
2. **Forecasts** (:func:`tandem.services.forecasts.run_forecasts`, one run per member and
   item): the distributor's wholesale demand and the cafés' retail demand
   (:data:`FORECAST_SITE_KINDS`, 44 series, some 12 s). The smart machines' 85 drink series
   keep their demand history, which the café chain shares: forecasting them all (AutoETS
   and Theta on two years of daily data) took nearly three minutes on a two-core machine, so
   the plan reads their history and says so in its warnings.
3. **Coordinated inventory** (:func:`tandem.services.inventory_plan.plan_inventory`, Graves &
   Willems 2000): the roaster's plan at :data:`SERVICE_LEVEL` with the Lagrangian heuristic
   (:data:`PLAN_METHOD`: bounded time; it proves its plan optimal on this network, where the
   default branch and bound can take up to a minute), put to the network's vote; the
   distributor approves.
4. **Risks** (:data:`RISKS`, :func:`tandem.services.risks.create_risk`), each with its
   mitigations.
5. **Twin scenarios** (:func:`tandem.services.twin.scenarios.create_scenario`): a regional DC
   down for three days, and café demand up a fifth for four weeks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tandem.domain.coordination import VoteChoice
from tandem.domain.errors import NotFound
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.network import Member, SiteKind
from tandem.domain.risks import RiskCategory
from tandem.domain.scenarios import lane_code
from tandem.domain.sharing import DataCategory
from tandem.planning.meio import GSMMethod
from tandem.services import forecasts, inventory_plan, proposals, risks, sharing
from tandem.services.context import ServiceContext
from tandem.services.twin import scenarios

__all__ = [
    "FORECAST_HORIZON_DAYS",
    "GRANTS",
    "PLAN_METHOD",
    "RISKS",
    "SERVICE_LEVEL",
    "ShowcaseStep",
    "seed_demo_showcase",
]

PLANNER = "ELBE"  # the roaster plans the network
APPROVER = "NORDLOG"  # the distributor casts the first vote
SERVICE_LEVEL = 0.95
PLAN_METHOD = GSMMethod.HEURISTIC
FORECAST_HORIZON_DAYS = 28
FORECAST_SITE_KINDS = (SiteKind.DISTRIBUTION_CENTRE, SiteKind.STORE)

_D = DataCategory
# grantor, grantee, categories, why
GRANTS: tuple[tuple[str, str, tuple[DataCategory, ...], str], ...] = (
    ("BOHNE", "NORDLOG", (_D.DEMAND_HISTORY, _D.FORECASTS),
     "café sell-through so the distributor can plan its regional centres"),
    ("BOHNE", "ELBE", (_D.DEMAND_HISTORY, _D.FORECASTS, _D.PLANNING_PARAMETERS,
                       _D.BILLS_OF_MATERIALS, _D.INVENTORY_POSITIONS),
     "café demand, recipes, stock and parameters for the network plan"),
    ("NORDLOG", "ELBE", (_D.FORECASTS, _D.INVENTORY_POSITIONS, _D.PLANNING_PARAMETERS),
     "wholesale forecasts and DC stock for the roaster's plan"),
    ("VERDE", "ELBE", (_D.PLANNING_PARAMETERS, _D.INVENTORY_POSITIONS),
     "green-coffee stock at origin and in Hamburg for the network plan"),
    ("CUPWORKS", "ELBE", (_D.PLANNING_PARAMETERS, _D.INVENTORY_POSITIONS),
     "cup and bag stock for the network plan"),
    ("ALPENMILCH", "ELBE", (_D.PLANNING_PARAMETERS, _D.INVENTORY_POSITIONS),
     "milk stock for the network plan"),
    ("ELBE", "VERDE", (_D.PRODUCTION_PLANS,),
     "roasting plan so the importer can release green coffee in time"),
    ("VERDE", "ELBE", (_D.RISKS,), "origin and port risks of green coffee"),
    ("ELBE", "NORDLOG", (_D.RISKS,), "roasting-plant risks"),
    ("ELBE", "BOHNE", (_D.RISKS,), "roasting-plant risks"),
    ("NORDLOG", "ELBE", (_D.RISKS,), "distribution risks"),
    ("NORDLOG", "BOHNE", (_D.RISKS,), "distribution risks"),
)  # fmt: skip


@dataclass(frozen=True)
class RiskSpec:
    owner: str
    title: str
    category: RiskCategory
    likelihood: int  # 1 rare … 5 almost certain
    impact: int  # 1 negligible … 5 severe
    recovery_days: float
    sites: tuple[str, ...]
    items: tuple[str, ...]
    lanes: tuple[tuple[str, str], ...]
    description: str
    mitigations: tuple[str, ...]


RISKS: tuple[RiskSpec, ...] = (
    RiskSpec("VERDE", "Port strike in Santos halts green-coffee exports",
             RiskCategory.GEOPOLITICAL, 3, 4, 21.0, ("VRD-SANTOS",), ("GC-BR-SANTOS",),
             (("VRD-SANTOS", "VRD-HAMBURG"),),
             "Dock workers' strikes at Santos have stopped container loading for two to three "
             "weeks; Brazilian beans are half of every blend.",
             ("Hold four weeks of Santos beans in the Hamburg bonded warehouse",
              "Qualify shipping through Vitória as a second Brazilian port")),
    RiskSpec("ELBE", "Roasting line breakdown at Harburg", RiskCategory.PLANT, 2, 5, 10.0,
             ("ELB-HARBURG",), (), (),
             "A burner or drum-bearing failure stops the only roasting line; spare parts come "
             "from the manufacturer in Italy.",
             ("Service contract with 48-hour spare-parts delivery",
              "Toll-roasting agreement with a partner roaster in Bremen")),
    RiskSpec("NORDLOG", "Elbe flood at DC North Billbrook", RiskCategory.NATURAL_HAZARD, 2, 4,
             14.0, ("DC-N",), (), (),
             "Billbrook lies in the Elbe flood plain; a storm surge closes the centre that "
             "serves the six northern cafés.",
             ("Serve the northern cafés from DC West Unna during a closure",)),
    RiskSpec("NORDLOG", "Ransomware in the distributor's warehouse system", RiskCategory.CYBER,
             3, 4, 5.0, ("DC-N", "DC-W", "DC-S"), (), (),
             "An encrypted warehouse-management system stops picking at all three centres.",
             ("Offline backups restored in a monthly drill",
              "Paper pick lists as a fallback for the cafés' standing orders")),
)  # fmt: skip


@dataclass(frozen=True)
class ShowcaseStep:
    """One step of the showcase: what it made, as a line for the demo's summary."""

    name: str
    summary: str
    seconds: float


@dataclass(frozen=True)
class _Network:
    id: int
    members: dict[str, Member]
    principals: dict[str, Principal]
    sites: dict[str, int]
    site_kinds: dict[str, SiteKind]
    site_owners: dict[str, str]
    items: dict[str, int]
    lanes: dict[str, int]


def _load(ctx: ServiceContext, network_code: str) -> _Network:
    with ctx.uow() as uow:
        found = uow.networks.find(code=network_code)
        if not found:
            raise NotFound(f"network {network_code} not found")
        nid = found[0].id
        members = {m.code: m for m in uow.members.find(network_id=nid)}
        principals = {}
        for code, member in members.items():
            users = sorted(
                (u for u in uow.users.find(member_id=member.id) if u.is_active), key=lambda u: u.id
            )
            user = users[0] if users else None
            principals[code] = Principal(
                member.id, nid, f"{user.email if user else 'demo'} ({code})", ALL_SCOPES,
                user_id=user.id if user else None,
                is_network_admin=bool(user and user.is_network_admin),
            )  # fmt: skip
        sites = uow.sites.find(network_id=nid)
        codes = {s.id: s.code for s in sites}
        lanes = {
            lane_code(codes[lane.from_site_id], codes[lane.to_site_id]): lane.id
            for lane in uow.lanes.find(network_id=nid)
        }
        items = {i.sku: i.id for i in uow.items.find(network_id=nid)}
    code_of = {m.id: code for code, m in members.items()}
    owner = {s.code: code_of[s.member_id] for s in sites}
    return _Network(
        nid, members, principals, {s.code: s.id for s in sites},
        {s.code: s.kind for s in sites}, owner, items, lanes,
    )  # fmt: skip


def _grant(ctx: ServiceContext, net: _Network) -> str:
    made = 0
    for grantor, grantee, categories, note in GRANTS:
        for category in categories:
            command = sharing.GrantAccess(net.members[grantee].id, category, note=note)
            sharing.grant_access(ctx, net.principals[grantor], command)
            made += 1
    givers = len({g for g, *_ in GRANTS})
    return f"{made} grants from {givers} members"


def _forecast_scope(ctx: ServiceContext, net: _Network) -> dict[str, set[int]]:
    """Per member, the items with demand history at its sites of :data:`FORECAST_SITE_KINDS`."""
    scope: dict[str, set[int]] = {}
    with ctx.uow() as uow:
        for code, kind in sorted(net.site_kinds.items()):
            if kind in FORECAST_SITE_KINDS:
                rows = uow.demand.find(site_id=net.sites[code])
                scope.setdefault(net.site_owners[code], set()).update(r.item_id for r in rows)
    return {owner: items for owner, items in scope.items() if items}


def _forecast(ctx: ServiceContext, net: _Network) -> str:
    series = points = 0
    scope = _forecast_scope(ctx, net)
    for owner, items in sorted(scope.items()):
        for item_id in sorted(items):
            run = forecasts.run_forecasts(
                ctx, net.principals[owner], FORECAST_HORIZON_DAYS, item_id=item_id
            )
            series, points = series + run.series, points + run.points
    return (
        f"{series} series of {' and '.join(sorted(scope))}, {FORECAST_HORIZON_DAYS} days ahead "
        f"({points:,} forecast days): the distribution centres' and cafés' demand, not the "
        "smart machines' drinks, which keep their demand history"
    )


def _propose(ctx: ServiceContext, net: _Network) -> str:
    planner, approver = net.principals[PLANNER], net.principals[APPROVER]
    request = inventory_plan.PlanRequest(SERVICE_LEVEL, method=PLAN_METHOD)
    plan = inventory_plan.plan_inventory(ctx, planner, request)
    title = f"Network plan at {SERVICE_LEVEL:.0%} service"
    draft = inventory_plan.proposal_draft(plan, title)
    proposal = proposals.create_proposal(ctx, planner, draft)
    detail = proposals.vote(ctx, approver, proposal.id, VoteChoice.APPROVE, "Fine for our DCs")
    alone, _, optimum = plan.policies
    quality = "proven optimal" if plan.optimal_proven else f"gap {plan.gap:.1%}"
    demand = sum(1 for s in plan.stages if s.demand_std > 0)
    return (
        f"{PLANNER} at {SERVICE_LEVEL:.0%} service ({plan.method}, {quality}): "
        f"{len(plan.stages)} stocking points, {demand} with demand; safety stock costs "
        f"{alone.holding_cost:,.0f} EUR a year with every member alone, "
        f"{optimum.holding_cost:,.0f} EUR coordinated; proposal {proposal.id} "
        f"{detail.proposal.status.value}, approved by {APPROVER}, {len(detail.pending)} members "
        "still to vote"
    )


def _risks(ctx: ServiceContext, net: _Network) -> str:
    mitigations = 0
    for spec in RISKS:
        owner = net.principals[spec.owner]
        fields = risks.RiskFields(
            spec.title, spec.category, spec.likelihood, spec.impact, spec.description,
            site_ids=frozenset(net.sites[s] for s in spec.sites),
            lane_ids=frozenset(net.lanes[lane_code(*lane)] for lane in spec.lanes),
            item_ids=frozenset(net.items[i] for i in spec.items),
            recovery_days=spec.recovery_days,
        )  # fmt: skip
        risk = risks.create_risk(ctx, owner, fields)
        for text in spec.mitigations:
            risk = risks.add_mitigation(ctx, owner, risk.id, text)
            mitigations += 1
    return f"{len(RISKS)} risks with {mitigations} mitigations"


def _scenario_deltas(net: _Network) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    yield (
        "DC North down for 3 days",
        [{"type": "node_down", "site": "DC-N", "from_day": 14, "to_day": 16}],
    )
    cafes = sorted(c for c, k in net.site_kinds.items() if k in (SiteKind.STORE, SiteKind.DEVICE))
    yield (
        "Café demand +20 % for four weeks",
        [
            {"type": "demand_scale", "factor": 1.2, "site": c, "from_day": 0, "to_day": 27}
            for c in cafes
        ],
    )


def _scenarios(ctx: ServiceContext, net: _Network) -> str:
    names = [
        scenarios.create_scenario(ctx, net.principals[PLANNER], name, deltas).name
        for name, deltas in _scenario_deltas(net)
    ]
    return f"{len(names)} scenarios of {PLANNER}: " + "; ".join(names)


def seed_demo_showcase(ctx: ServiceContext, network_code: str) -> list[ShowcaseStep]:
    """Consent, forecasts, a coordinated inventory proposal, risks and twin scenarios."""
    net = _load(ctx, network_code)
    steps: list[tuple[str, Callable[[ServiceContext, _Network], str]]] = [
        ("consent", _grant),
        ("forecasts", _forecast),
        ("inventory", _propose),
        ("risks", _risks),
        ("scenarios", _scenarios),
    ]
    done = []
    for name, step in steps:
        started = time.perf_counter()
        summary = step(ctx, net)
        done.append(ShowcaseStep(name, summary, time.perf_counter() - started))
    return done
