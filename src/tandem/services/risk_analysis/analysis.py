"""Time-to-survive and time-to-recover of every node of the visible network, with what-ifs.

Three visible steps: load what the caller may see (:mod:`.loading`), map it onto the engine's
network (:mod:`.mapping`), and rank the nodes with :func:`tandem.planning.risk.rank_nodes`
(Simchi-Levi et al. 2015, *Interfaces* 45(5)): TTS per node, the performance impact (lost margin)
over the node's TTR, the exposure flag ``TTS < TTR`` and the rank by lost margin. What-ifs
(strategic stock, a second source) rerun the ranking on the modified network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.risks import RiskNetworkInfeasible
from tandem.domain.sharing import DataCategory
from tandem.planning.risk import Arc as EngineArc
from tandem.planning.risk import (
    DownStock,
    InfeasibleNetworkError,
    Process,
    RiskRanking,
    SupplyNetwork,
    rank_nodes,
    with_arc,
    with_stock,
)
from tandem.services.context import ServiceContext
from tandem.services.risk_analysis.loading import RiskInputs, load_inputs
from tandem.services.risk_analysis.mapping import Built, DemandLine, build_network

MAX_DAYS = 3650.0


@dataclass(frozen=True)
class ExtraStock:
    """What-if: ``quantity`` more units of ``item_id`` held at ``site_id`` (strategic stock)."""

    site_id: int
    item_id: int
    quantity: float


@dataclass(frozen=True)
class SecondSource:
    """What-if: ``from_site_id`` can also ship ``item_id`` to ``to_site_id``, up to
    ``capacity_per_day`` (unlimited when ``None``)."""

    from_site_id: int
    to_site_id: int
    item_id: int
    capacity_per_day: float | None = None


@dataclass(frozen=True)
class AnalysisRequest:
    default_ttr_days: float = 14.0
    horizon_days: float = 100.0
    extra_stock: tuple[ExtraStock, ...] = ()
    second_sources: tuple[SecondSource, ...] = ()
    stock_lost_at_down_node: bool = False

    @property
    def has_what_ifs(self) -> bool:
        return bool(self.extra_stock or self.second_sources)


@dataclass(frozen=True)
class Outcome:
    """TTS (days; ``capped`` when it reaches the horizon), exposure and lost margin."""

    tts_days: float
    tts_capped: bool
    exposed: bool
    lost_margin: float
    lost_units: float


@dataclass(frozen=True)
class NodeRisk:
    """One row of the TTS/TTR table."""

    site_id: int
    site_code: str
    site_name: str
    member_id: int
    member_code: str
    ttr_days: float
    ttr_risk_ids: tuple[int, ...]  # the register's risks that set the TTR (empty: the default)
    base: Outcome
    exposure_rank: int
    what_if: Outcome | None = None


@dataclass(frozen=True)
class LeftOut:
    """``rows`` of ``member_id``'s ``category`` that no grant lets the caller see."""

    member_id: int
    member_code: str
    category: DataCategory
    rows: int


@dataclass(frozen=True)
class RiskAnalysis:
    nodes: tuple[NodeRisk, ...]  # in exposure rank order
    horizon_days: float
    currency: str
    demand: tuple[DemandLine, ...]
    left_out: tuple[LeftOut, ...]
    notes: tuple[str, ...]


def _check(request: AnalysisRequest) -> None:
    found: list[Violation] = []
    for name in ("default_ttr_days", "horizon_days"):
        value = getattr(request, name)
        if not (math.isfinite(value) and 0 <= value <= MAX_DAYS) or (
            name == "horizon_days" and value == 0
        ):
            found.append(Violation("analysis", f"must lie in (0, {MAX_DAYS:g}] days", name))
    for n, extra in enumerate(request.extra_stock, start=1):
        if not (math.isfinite(extra.quantity) and extra.quantity > 0):
            found.append(Violation(f"extra_stock[{n}]", "must be positive", "quantity"))
    for n, source in enumerate(request.second_sources, start=1):
        cap = source.capacity_per_day
        if cap is not None and not (math.isfinite(cap) and cap > 0):
            found.append(Violation(f"second_sources[{n}]", "must be positive", "capacity_per_day"))
    if found:
        raise ValidationFailed("invalid risk analysis request", violations=found)


def _ttr(
    inputs: RiskInputs, built: Built, default: float
) -> dict[str, tuple[float, tuple[int, ...]]]:
    """TTR per node: the longest ``recovery_days`` of the active risks naming its site."""
    found = {}
    for node, site_id in built.site_of.items():
        risks = [
            r
            for r in inputs.risks
            if r.is_active and r.recovery_days is not None and site_id in r.site_ids
        ]
        if risks:
            days = max(r.recovery_days for r in risks if r.recovery_days is not None)
            found[node] = (days, tuple(sorted(r.id for r in risks)))
        else:
            found[node] = (default, ())
    return found


def _what_if(inputs: RiskInputs, built: Built, request: AnalysisRequest) -> SupplyNetwork:
    network = built.network
    node_of = {s: n for n, s in built.site_of.items()}
    found: list[Violation] = []
    for n, extra in enumerate(request.extra_stock, start=1):
        if extra.site_id not in node_of or extra.item_id not in inputs.items:
            found.append(
                Violation(f"extra_stock[{n}]", "not a node of the analysed network", "site_id")
            )
            continue
        network = with_stock(network, node_of[extra.site_id], inputs.items[extra.item_id].sku,
                             extra.quantity)  # fmt: skip
    for n, source in enumerate(request.second_sources, start=1):
        sites = (source.from_site_id, source.to_site_id)
        if any(s not in inputs.sites for s in sites) or source.item_id not in inputs.items:
            found.append(Violation(f"second_sources[{n}]", "unknown site or item", "from_site_id"))
            continue
        origin, destination = (inputs.sites[s].code for s in sites)
        sku = inputs.items[source.item_id].sku
        if any(
            (a.source, a.destination, a.product) == (origin, destination, sku) for a in network.arcs
        ):
            found.append(Violation(f"second_sources[{n}]", "that source already exists", "item_id"))
            continue
        supplied = any((p.node, p.product) == (origin, sku) for p in network.processes)
        cap = math.inf if source.capacity_per_day is None else source.capacity_per_day
        process = None if supplied else Process(origin, sku, math.inf)
        network = with_arc(network, EngineArc(origin, destination, sku, cap), process=process)
    if found:
        raise ValidationFailed("invalid what-if", violations=found)
    return network


def _rank(network: SupplyNetwork, ttr: dict[str, float], horizon: float) -> RiskRanking:
    try:
        return rank_nodes(network, ttr, horizon=horizon)
    except InfeasibleNetworkError as error:
        raise RiskNetworkInfeasible(
            f"{error}: the lanes' capacities per day cannot carry the demand of the visible network"
        ) from error


def _outcome(ranking: RiskRanking, node: str) -> Outcome:
    p = ranking.profile(node)
    return Outcome(
        p.tts.periods, p.tts.capped, p.exposed, p.impact.lost_margin, p.impact.lost_units
    )


def _left_out(inputs: RiskInputs) -> tuple[LeftOut, ...]:
    return tuple(
        LeftOut(member_id, inputs.members[member_id].code, category, rows)
        for (member_id, category), rows in sorted(inputs.hidden.items())
    )


def _notes(inputs: RiskInputs, built: Built) -> tuple[str, ...]:
    def row(r: tuple[int, int]) -> str:
        return f"{inputs.items[r[0]].sku} at {inputs.sites[r[1]].code}"

    notes = [
        f"{row(r)}: its stocking points are not shared with you; treated as an unlimited "
        "source with no stock"
        for r in built.assumed_sources
    ]
    notes += [
        f"{row(r)}: bought from outside the network (unlimited supply)"
        for r in built.outside_supply
    ]
    return (*notes, *built.notes)


def analyse_risks(
    ctx: ServiceContext, principal: Principal, request: AnalysisRequest
) -> RiskAnalysis:
    """The TTS/TTR table of the network the caller may see (see the module docstring)."""
    principal.require(Scope.DATA_READ)
    _check(request)
    inputs = load_inputs(ctx, principal)
    built = build_network(inputs)
    if request.stock_lost_at_down_node:
        built = replace(built, network=replace(built.network, down_stock=DownStock.LOST))
    ttr = _ttr(inputs, built, request.default_ttr_days)
    horizon = max([request.horizon_days, *(days for days, _ in ttr.values())])
    days = {node: d for node, (d, _) in ttr.items()}
    base = _rank(built.network, days, horizon)
    after = _rank(_what_if(inputs, built, request), days, horizon) if request.has_what_ifs else None
    rows = []
    for rank, profile in enumerate(base.profiles, start=1):
        site = inputs.sites[built.site_of[profile.node]]
        rows.append(
            NodeRisk(
                site.id,
                site.code,
                site.name,
                site.member_id,
                inputs.members[site.member_id].code,
                profile.ttr,
                ttr[profile.node][1],
                _outcome(base, profile.node),
                rank,
                None if after is None else _outcome(after, profile.node),
            )
        )
    return RiskAnalysis(
        tuple(rows),
        horizon,
        inputs.currency,
        built.demand,
        _left_out(inputs),
        _notes(inputs, built),
    )
