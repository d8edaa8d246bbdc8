"""Load what the caller may see for a coordinated inventory plan.

Network-level data (members, sites, items, lanes) is visible to every member. Stocking points,
bills of materials, forecasts and demand history are member-owned: they are read through
:func:`tandem.services.sharing.read_scoped` page by page, so every partner row served is
audited under the grant that allowed it. Partner rows no grant covers are only *counted* (per
member and category) so that the result can say what was left out.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from tandem.domain.forecasts import ForecastPoint
from tandem.domain.identity import Principal
from tandem.domain.network import BomLine, DemandPoint, Item, ItemSite, Lane, Member, Site
from tandem.domain.sharing import DataCategory
from tandem.services import performance
from tandem.services.context import ServiceContext
from tandem.services.logistics.freight import planned_freight_per_unit
from tandem.services.ports import OwnedRepository, UnitOfWork
from tandem.services.sharing import read_all_scoped

T = TypeVar("T")

Z_80 = 1.2815515655446004  # the 90 % quantile of the standard normal: half an 80 % interval
SCORECARD_DAYS = 365
WEEK_DAYS = 7  # the demand mean is the forecast's average over one weekly cycle


@dataclass(frozen=True)
class DemandEstimate:
    """Demand per day at one stocking point: mean and the standard deviation of the one-step
    forecast error (or, failing a forecast interval, of the history)."""

    mean: float
    std: float
    source: str  # "forecast" or "history"


@dataclass(frozen=True)
class PlanInputs:
    network_id: int
    viewer_member_id: int
    members: dict[int, Member]
    sites: dict[int, Site]
    items: dict[int, Item]
    lanes: tuple[Lane, ...]
    points: tuple[ItemSite, ...]
    bom: tuple[BomLine, ...]
    demand: dict[tuple[int, int], DemandEstimate]  # (item, site)
    scorecard_std: dict[int, float]  # seller member -> actual lead-time std (days)
    hidden: dict[tuple[int, DataCategory], int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # Logistics (issue 8): planned freight per unit by (lane id, item id), from planned loads.
    planned_freight: dict[tuple[int, int], float] = field(default_factory=dict)


def _forecast_estimates(
    points: list[ForecastPoint],
) -> dict[tuple[int, int], tuple[ForecastPoint, float]]:
    """The first forecast day of each (item, site) — its interval is the one-step error — and
    the mean daily forecast of its first :data:`WEEK_DAYS` days: one day alone swings with the
    weekday (a wholesale series closed on Sundays forecasts 0 on a Sunday)."""
    series: dict[tuple[int, int], list[ForecastPoint]] = {}
    for p in points:
        series.setdefault((p.item_id, p.site_id), []).append(p)
    found = {}
    for key, rows in series.items():
        first = min(rows, key=lambda r: r.day)
        week = [r.forecast for r in rows if (r.day - first.day).days < WEEK_DAYS]
        found[key] = (first, statistics.fmean(week))
    return found


def _history_estimates(points: list[DemandPoint]) -> dict[tuple[int, int], DemandEstimate]:
    series: dict[tuple[int, int], list[float]] = {}
    for p in points:
        series.setdefault((p.item_id, p.site_id), []).append(p.quantity)
    return {
        key: DemandEstimate(statistics.fmean(q), statistics.stdev(q), "history")
        for key, q in series.items()
        if len(q) >= 2
    }


def _demand(
    ctx: ServiceContext, principal: Principal, names: Callable[[tuple[int, int]], str]
) -> tuple[dict[tuple[int, int], DemandEstimate], list[str]]:
    forecasts = _forecast_estimates(
        read_all_scoped(
            ctx,
            principal,
            DataCategory.FORECASTS,
            lambda u: u.forecasts,
            ("item_id", "site_id"),
            "inventory plan: forecasts",
        )
    )
    found: dict[tuple[int, int], DemandEstimate] = {}
    for key, (f, mean) in forecasts.items():
        if f.lo_80 is not None and f.hi_80 is not None and mean > 0:
            found[key] = DemandEstimate(mean, (f.hi_80 - f.lo_80) / (2 * Z_80), "forecast")
    warnings: list[str] = []
    history = _history_estimates(
        read_all_scoped(
            ctx,
            principal,
            DataCategory.DEMAND_HISTORY,
            lambda u: u.demand,
            ("item_id", "site_id"),
            "inventory plan: demand history",
        )
    )
    for key, estimate in sorted(history.items()):
        if key in found:
            continue
        why = (
            "it has no forecast"
            if key not in forecasts
            else "its forecast is zero for a week"
            if forecasts[key][1] <= 0
            else "its forecast has no 80 % interval"
        )
        warnings.append(
            f"{names(key)}: {why}; demand mean and standard deviation come from the raw demand "
            "history, which overstates the forecast error — run the forecasts first"
        )
        found[key] = estimate
    return found, warnings


def _scorecard_std(ctx: ServiceContext, principal: Principal) -> dict[int, float]:
    until = ctx.clock.now().date() + timedelta(days=1)
    cards = performance.supplier_scorecards(
        ctx, principal, until - timedelta(days=SCORECARD_DAYS), until
    )
    return {
        c.seller_member_id: c.delivery.actual_lead_time.std_days
        for c in cards
        if c.delivery.actual_lead_time.std_days is not None
    }


def _hidden_counts(
    uow: UnitOfWork, viewer: int, members: dict[int, Member], visible: dict[DataCategory, Any]
) -> dict[tuple[int, DataCategory], int]:
    repos: dict[DataCategory, OwnedRepository[Any]] = {
        DataCategory.PLANNING_PARAMETERS: uow.item_sites,
        DataCategory.BILLS_OF_MATERIALS: uow.bom_lines,
    }
    hidden: dict[tuple[int, DataCategory], int] = {}
    for category, repo in repos.items():
        for member_id in members:
            if member_id == viewer:
                continue
            seen = sum(1 for row in visible[category] if row.owner_member_id == member_id)
            missing = repo.count(owner_member_id=member_id) - seen
            if missing > 0:
                hidden[(member_id, category)] = missing
    return hidden


def load_inputs(ctx: ServiceContext, principal: Principal) -> PlanInputs:
    """Everything the builder needs, as the caller may see it."""
    nid = principal.network_id
    with ctx.uow() as uow:
        members = {m.id: m for m in uow.members.find(network_id=nid)}
        sites = {s.id: s for s in uow.sites.find(network_id=nid)}
        items = {i.id: i for i in uow.items.find(network_id=nid)}
        lanes = tuple(uow.lanes.find(network_id=nid))
    points = read_all_scoped(
        ctx,
        principal,
        DataCategory.PLANNING_PARAMETERS,
        lambda u: u.item_sites,
        ("item_id", "site_id"),
        "inventory plan: item-sites",
    )
    bom = read_all_scoped(
        ctx,
        principal,
        DataCategory.BILLS_OF_MATERIALS,
        lambda u: u.bom_lines,
        ("parent_item_id", "site_id"),
        "inventory plan: bom",
    )

    def names(key: tuple[int, int]) -> str:
        return f"{items[key[0]].sku} at {sites[key[1]].code}"

    demand, warnings = _demand(ctx, principal, names)
    with ctx.uow() as uow:
        visible = {DataCategory.PLANNING_PARAMETERS: points, DataCategory.BILLS_OF_MATERIALS: bom}
        hidden = _hidden_counts(uow, principal.member_id, members, visible)
        freight = planned_freight_per_unit(uow, nid, ctx.clock.now().date())  # logistics hook
    return PlanInputs(
        nid,
        principal.member_id,
        members,
        sites,
        items,
        lanes,
        tuple(points),
        tuple(bom),
        demand,
        _scorecard_std(ctx, principal),
        hidden,
        tuple(warnings),
        freight,
    )
